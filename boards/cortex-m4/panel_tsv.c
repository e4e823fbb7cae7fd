/*
 * boards/cortex-m4/panel_tsv.c - the trait panel, compiled into flash: the
 * "sourced" rows of shared/data/reference/snps_grch37.tsv with the four
 * columns panel_parse() reads (examples/agent/panel.h). A product with
 * another panel regenerates this table; the agent parses it at start-up.
 */
#include "board.h"

const char board_panel_tsv[] =
    "snp_id\tgene_symbol\talternative_alleles\tverification\n"
    "rs429358\tAPOE\tC\tsourced\n"
    "rs7412\tAPOE\tT\tsourced\n"
    "rs1801133\tMTHFR\tA\tsourced\n"
    "rs1801131\tMTHFR\tG\tsourced\n"
    "rs762551\tCYP1A2\tA\tsourced\n"
    "rs4680\tCOMT\tA\tsourced\n"
    "rs1799853\tCYP2C9\tT\tsourced\n"
    "rs1057910\tCYP2C9\tC\tsourced\n"
    "rs4244285\tCYP2C19\tA\tsourced\n"
    "rs12248560\tCYP2C19\tT\tsourced\n"
    "rs3892097\tCYP2D6\tT\tsourced\n"
    "rs1065852\tCYP2D6\tA\tsourced\n"
    "rs776746\tCYP3A5\tT\tsourced\n"
    "rs9923231\tVKORC1\tT\tsourced\n"
    "rs4149056\tSLCO1B1\tC\tsourced\n"
    "rs2108622\tCYP4F2\tT\tsourced\n"
    "rs3918290\tDPYD\tT\tsourced\n"
    "rs1142345\tTPMT\tC,G\tsourced\n"
    "rs116855232\tNUDT15\tT\tsourced\n"
    "rs6025\tF5\tC\tsourced\n"
    "rs1799963\tF2\tA\tsourced\n"
    "rs1800497\tANKK1\tA\tsourced\n"
    "rs1045642\tABCB1\tG\tsourced\n"
    "rs2231142\tABCG2\tT\tsourced\n"
    "rs1799971\tOPRM1\tG\tsourced\n"
    "rs4148323\tUGT1A1\tA\tsourced\n"
    "rs713598\tTAS2R38\tG\tsourced\n"
    "rs17822931\tABCC11\tT\tsourced\n"
    "rs12913832\tHERC2\tG\tsourced\n"
    "rs7903146\tTCF7L2\tT\tsourced\n"
    "rs9939609\tFTO\tA\tsourced\n";
