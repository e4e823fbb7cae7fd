/*
 * boards/cortex-m4/tls/board_tls_config.h - mbedTLS options this board
 * drops on top of port/mbedtls/lum_mbedtls_config.h (MBEDTLS_USER_CONFIG_FILE).
 * Each saves flash and nothing the board needs:
 *   ChaCha20-Poly1305  AES-GCM is offered first and every server takes it
 *   PEM, base64        the board's one CA is DER in flash (ca_cert.c)
 *   RSA-PSS (TLS 1.2)  a TLS 1.2 server signs with PKCS#1 v1.5 unless the
 *                      client offers PSS; TLS 1.3 requires PSS, so it stays
 *                      in the tls13 profile
 *   peer certificate   not kept after the handshake (saves RAM as well)
 *   X25519             ECDHE on P-256, which every TLS server offers
 *                      (2.1 KB); P-384 stays: Let's Encrypt's ECDSA
 *                      intermediates are P-384 keys
 *   NIST fast reduction  generic modular reduction instead: a handshake's
 *                      few curve operations get slower, 1.9 KB smaller
 *   RSA CRT            only a private-key speed-up; this client verifies
 *                      RSA signatures, it never makes one (1.0 KB)
 * Together with LTO (board.mk) they bring the TLS 1.2 image under 80 KiB.
 */
#undef MBEDTLS_CHACHA20_C
#undef MBEDTLS_POLY1305_C
#undef MBEDTLS_CHACHAPOLY_C
#if !LUM_TLS_HOSTED /* make size's host run of this profile reads a PEM file */
#undef MBEDTLS_PEM_PARSE_C
#undef MBEDTLS_BASE64_C
#endif
#if !defined(MBEDTLS_SSL_PROTO_TLS1_3)
#undef MBEDTLS_PKCS1_V21
#undef MBEDTLS_X509_RSASSA_PSS_SUPPORT
#undef MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
#endif
#undef MBEDTLS_ECP_DP_CURVE25519_ENABLED
#undef MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_RSA_NO_CRT
