/*
 * lumminary-snps: prints a dataset's authorized SNPs, one per line.
 * The smallest complete use of the SDK (README quotes it).
 *
 *   lumminary-snps HOST PORT CA_FILE PRODUCT_UUID API_KEY CLIENT_UUID DATASET_UUID
 */
#include <stdio.h>
#include <stdlib.h>

#include "lum_posix.h"
#include "lum_tls.h"
#include "lumminary.h"

static uint8_t buffer[4096], tls_pool[64 * 1024]; /* all the memory it needs */

static int print_snp(void *user, const lum_client_snp *snp)
{
    (void)user;
    printf("%s\t%s\t%lld\t%s%s\n", snp->snp_id, snp->chromosome_accession, (long long)snp->location,
           snp->genotyped_alleles_count > 0 ? snp->genotyped_alleles[0] : "-",
           snp->genotyped_alleles_count > 1 ? snp->genotyped_alleles[1] : "");
    return 0; /* non-zero would stop the download */
}

int main(int argc, char **argv)
{
    lum_platform platform;
    lum_posix_tcp tcp;
    lum_transport plain, secure;
    lum_tls tls;
    lum_tls_config tls_cfg = {0};
    lum_client_config cfg = {0};
    lum_client client;
    lum_client_snp scratch;
    int rc;

    if (argc != 8) {
        fprintf(stderr, "usage: %s HOST PORT CA_FILE PRODUCT_UUID API_KEY CLIENT_UUID DATASET_UUID\n", argv[0]);
        return 2;
    }
    cfg.host = argv[1];
    cfg.port = (uint16_t)atoi(argv[2]);
    tls_cfg.ca_file = argv[3];
    cfg.product_uuid = argv[4];
    cfg.api_key = argv[5];

    lum_posix_platform_init(&platform);                 /* clock, entropy */
    lum_posix_tcp_init(&tcp, &plain);                   /* TCP ...        */
    lum_tls_pool_init(tls_pool, sizeof tls_pool);       /* ... wrapped in */
    rc = lum_tls_init(&tls, &tls_cfg, &plain, &platform); /* TLS          */
    if (rc == LUM_OK) {
        lum_tls_transport(&tls, &secure);
        rc = lum_client_init(&client, &cfg, &secure, &platform, buffer, sizeof buffer);
    }
    if (rc == LUM_OK) rc = lum_get_client_snp_group(&client, argv[6], argv[7], NULL, &scratch, print_snp, NULL);
    if (rc != LUM_OK) {
        const lum_error_info *e = lum_client_error(&client);
        fprintf(stderr, "error: %s (HTTP %d %s)\n", lum_strerror(rc), e->http_status, e->message);
        return 1;
    }
    lum_client_close(&client);
    lum_tls_free(&tls);
    return 0;
}
