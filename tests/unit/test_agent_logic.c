/*
 * The agent's portable logic: trait panel parsing, genotypes, APOE type,
 * the report text, and the state's text form.
 */
#include <string.h>

#include "panel.h"
#include "state.h"
#include "testlib.h"

static const char panel_tsv[] =
    "snp_id\tgene_symbol\tchromosome\treference_allele\talternative_alleles\tverification\r\n"
    "rs429358\tAPOE\t19\tT\tC\tsourced\r\n"
    "rs7412\tAPOE\t19\tC\tT\tsourced\r\n"
    "rs1142345\tTPMT\t6\tT\tC,G\tsourced\r\n"
    "rs1815739\tACTN3\t11\tunverified\tunverified\tposition sourced; ref/alt CONFLICTING\r\n"
    "rs53576\tOXTR\t3\tunverified\tunverified\tposition single-source\r\n"
    "\r\n";

static panel p;

static void observe(const char *id, const char *a1, const char *a2)
{
    lum_client_snp s;
    memset(&s, 0, sizeof s);
    strcpy(s.snp_id, id);
    strcpy(s.reference_genome, "GRCh37");
    if (a1 != NULL) strcpy(s.genotyped_alleles[s.genotyped_alleles_count++], a1);
    if (a2 != NULL) strcpy(s.genotyped_alleles[s.genotyped_alleles_count++], a2);
    panel_observe(&p, &s);
}

static void panel_keeps_only_sourced_rows(void)
{
    char why[128];
    CHECK_INT_EQ(panel_parse(&p, panel_tsv, why, sizeof why), 0);
    CHECK_INT_EQ(p.n, 3);
    CHECK_STR_EQ(p.snps[0].snp_id, "rs429358");
    CHECK_STR_EQ(p.snps[0].gene, "APOE");
    CHECK_STR_EQ(p.snps[2].alt_alleles, "C,G");
}

static void panel_rejects_bad_input(void)
{
    char why[128];
    CHECK_INT_EQ(panel_parse(&p, "", why, sizeof why), -1);
    CHECK_STR_EQ(why, "the panel is empty");
    CHECK_INT_EQ(panel_parse(&p, "snp_id\tgene_symbol\n", why, sizeof why), -1);
    CHECK_INT_EQ(panel_parse(&p, "snp_id\tgene_symbol\talternative_alleles\tverification\nrs1\tX\n", why, sizeof why), -1);
    CHECK_STR_EQ(why, "line 2: malformed panel row");
    CHECK_INT_EQ(panel_parse(&p, "snp_id\tgene_symbol\talternative_alleles\tverification\nrs1\tX\tA\tunverified\n", why,
                             sizeof why), -1);
    CHECK_STR_EQ(why, "the panel has no sourced SNP");
}

/* rs429358 C marks e4, rs7412 T marks e2 (unphased: counts only). */
static const struct {
    const char *a1, *a2, *b1, *b2, *want;
} apoe_cases[] = {
    {"C", "T", "C", "C", "\xce\xb5" "3/\xce\xb5" "4"},
    {"T", "T", "C", "C", "\xce\xb5" "3/\xce\xb5" "3"},
    {"T", "T", "T", "T", "\xce\xb5" "2/\xce\xb5" "2"},
    {"T", "T", "C", "T", "\xce\xb5" "2/\xce\xb5" "3"},
    {"C", "C", "C", "C", "\xce\xb5" "4/\xce\xb5" "4"},
    {"C", "T", "C", "T", "\xce\xb5" "2/\xce\xb5" "4"},
    {"C", "C", "T", "T", "undetermined"}, /* would need e1 twice */
    {"C", "C", "C", "T", "undetermined"},
    {"C", NULL, "C", "C", "undetermined"}, /* haploid call */
    {"A", "T", "C", "C", "undetermined"},  /* not an APOE allele */
};

static void apoe_from_both_snps(void)
{
    char why[128], buf[32];
    size_t i;
    CHECK_INT_EQ(panel_parse(&p, panel_tsv, why, sizeof why), 0);
    for (i = 0; i < sizeof apoe_cases / sizeof apoe_cases[0]; i++) {
        panel_reset(&p);
        observe("rs429358", apoe_cases[i].a1, apoe_cases[i].a2);
        observe("rs7412", apoe_cases[i].b1, apoe_cases[i].b2);
        if (strcmp(panel_apoe(&p, buf, sizeof buf), apoe_cases[i].want) != 0)
            TL_FAIL("case %zu: got %s, want %s", i, panel_apoe(&p, buf, sizeof buf), apoe_cases[i].want);
    }
    panel_reset(&p);
    observe("rs429358", "C", "T");
    CHECK_STR_EQ(panel_apoe(&p, buf, sizeof buf), "undetermined"); /* rs7412 not genotyped */
    observe("rs7412", NULL, NULL);
    CHECK_STR_EQ(panel_apoe(&p, buf, sizeof buf), "undetermined"); /* no call */
}

static void report_text_is_exact(void)
{
    char why[128], out[2048];
    static const char want[] =
        "Lumminary trait panel report. For information only: this is not a medical diagnosis.\n"
        "product: P\nauthorization: A\ncustomer: C\ndataset: D\n"
        "reference genome: GRCh37\nSNPs received: 4\n\n"
        "snp_id\tgene\tgenotype\talternative_alleles\talternative_allele_count\n"
        "rs429358\tAPOE\tC/T\tC\t1\n"
        "rs7412\tAPOE\tno call\tT\t-\n"
        "rs1142345\tTPMT\tG/C\tC,G\t2\n"
        "\nAPOE: undetermined\n";
    CHECK_INT_EQ(panel_parse(&p, panel_tsv, why, sizeof why), 0);
    panel_reset(&p);
    observe("rs1", "A", "A"); /* not on the panel: counted only */
    observe("rs429358", "C", "T");
    observe("rs7412", NULL, NULL);
    observe("rs1142345", "G", "C");
    CHECK_INT_EQ(panel_called(&p), 2);
    CHECK_INT_EQ(panel_write_report(&p, out, sizeof out, "P", "A", "C", "D"), strlen(want));
    CHECK_MEM_EQ(out, strlen(out), want, strlen(want));
    CHECK_INT_EQ(panel_write_report(&p, out, 100, "P", "A", "C", "D"), 0); /* does not fit: 0, no cut */
}

static void not_genotyped_panel_snps_are_listed(void)
{
    char why[128], out[2048];
    CHECK_INT_EQ(panel_parse(&p, panel_tsv, why, sizeof why), 0);
    panel_reset(&p);
    CHECK(panel_write_report(&p, out, sizeof out, "P", "A", "C", "D") > 0);
    CHECK(strstr(out, "rs429358\tAPOE\tnot genotyped\tC\t-\n") != NULL);
    CHECK(strstr(out, "reference genome: unknown\nSNPs received: 0\n") != NULL);
}

static void state_round_trips(void)
{
    agent_state st, back;
    char text[AGENT_STATE_TEXT_MAX], why[128];
    agent_state_init(&st);
    CHECK_INT_EQ(agent_state_format(&st, text, sizeof text), 60);
    CHECK_STR_EQ(text, "last_seq=-1\npending_uuid=\npending_seq=-1\npending_phase=none\n");
    st.last_seq = 41;
    strcpy(st.pending_uuid, "21dde439-f110-4307-85e7-d4f474a4a39a");
    st.pending_seq = 42;
    st.pending_phase = PHASE_UPLOADING;
    CHECK(agent_state_format(&st, text, sizeof text) > 0);
    CHECK_INT_EQ(agent_state_parse(&back, text, why, sizeof why), 0);
    CHECK_INT_EQ(back.last_seq, 41);
    CHECK_INT_EQ(back.pending_seq, 42);
    CHECK_INT_EQ(back.pending_phase, PHASE_UPLOADING);
    CHECK_STR_EQ(back.pending_uuid, st.pending_uuid);
}

/* Texts the writer never writes, and the reason each is refused with. */
#define STATE_TAIL "pending_uuid=\npending_seq=-1\npending_phase=none\n"
static const struct {
    const char *text, *why;
} refused[] = {
    {"", "empty"},
    {"last_seq=12x\n" STATE_TAIL, "corrupt line 'last_seq=12x'"},
    {"last_seq=+5\n" STATE_TAIL, "corrupt line 'last_seq=+5'"},
    {"last_seq= 5\n" STATE_TAIL, "corrupt line 'last_seq= 5'"},
    {"last_seq=-\n" STATE_TAIL, "corrupt line 'last_seq=-'"},
    {"last_seq=05\n" STATE_TAIL, "corrupt line 'last_seq=05'"}, /* %lld never writes it */
    {"last_seq=1\npending_uuid=\npending_seq=-1\npending_phase=none",
     "last line 'pending_phase=none' has no end (cut short?)"},
    {"last_seq=1\n" STATE_TAIL "last_seq=2\n", "repeated line 'last_seq=2'"},
    {"last_seq=-5\n" STATE_TAIL, "negative sequence number"},
    {"last_seq=1\npending_uuid=\npending_seq=2\npending_phase=uploading\n", "pending phase without uuid"},
    {"last_seq=1\npending_uuid=x\npending_seq=2\npending_phase=none\n", "pending uuid without phase"},
    {"last_seq=6\npending_uuid=x\npending_seq=6\npending_phase=uploading\n",
     "pending sequence number not after last_seq"},
    {"colour=\x1b[2J\n", "corrupt line 'colour=?[2J'"},
};

static void state_rejects_corruption(void)
{
    static const char good[] = "last_seq=5\npending_uuid=72574424-eb53-4c4e-a8a1-44afabcecda2\npending_seq=6\n"
                               "pending_phase=uploading\n";
    agent_state st;
    char why[128], cut[sizeof good];
    size_t n;
    CHECK_INT_EQ(agent_state_parse(&st, good, why, sizeof why), 0);
    CHECK_INT_EQ(st.pending_phase, PHASE_UPLOADING);
    /* Cut at every length: never accepted, so a pending upload is never forgotten. */
    for (n = 0; n < sizeof good - 1; n++) {
        memcpy(cut, good, n);
        cut[n] = '\0';
        if (agent_state_parse(&st, cut, why, sizeof why) != -1) TL_FAIL("accepted a cut at %zu: '%s'", n, cut);
    }
    for (n = 0; n < sizeof refused / sizeof refused[0]; n++) {
        if (agent_state_parse(&st, refused[n].text, why, sizeof why) != -1)
            TL_FAIL("accepted '%s'", refused[n].text);
        if (strcmp(why, refused[n].why) != 0) TL_FAIL("'%s': why '%s', want '%s'", refused[n].text, why, refused[n].why);
    }
}

int main(void)
{
    RUN("agent", panel_keeps_only_sourced_rows);
    RUN("agent", panel_rejects_bad_input);
    RUN("agent", apoe_from_both_snps);
    RUN("agent", report_text_is_exact);
    RUN("agent", not_genotyped_panel_snps_are_listed);
    RUN("agent", state_round_trips);
    RUN("agent", state_rejects_corruption);
    return TESTS_DONE();
}
