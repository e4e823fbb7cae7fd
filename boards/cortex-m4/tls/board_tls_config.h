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
 */
#undef MBEDTLS_CHACHA20_C
#undef MBEDTLS_POLY1305_C
#undef MBEDTLS_CHACHAPOLY_C
#undef MBEDTLS_PEM_PARSE_C
#undef MBEDTLS_BASE64_C
#if !defined(MBEDTLS_SSL_PROTO_TLS1_3)
#undef MBEDTLS_PKCS1_V21
#undef MBEDTLS_X509_RSASSA_PSS_SUPPORT
#undef MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
#endif
