/*
 * port/mbedtls/lum_mbedtls_config.h - the complete mbedTLS 3.6 configuration
 * of lumminary-c (used as MBEDTLS_CONFIG_FILE; mbedTLS's own default config
 * is never read).
 *
 * What it builds: a TLS *client* for TLS 1.2 and 1.3 with
 *   key exchange   ECDHE-ECDSA, ECDHE-RSA (1.2); (EC)DHE key shares (1.3)
 *   groups         x25519, secp256r1, secp384r1
 *   AEADs          AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305 (no CBC)
 *   hashes         SHA-256, SHA-384 (SHA-512 comes with SHA-384's code)
 *   certificates   X.509 chains, RSA >= 2048 (PKCS#1 v1.5 and PSS) and
 *                  ECDSA signatures, CA certificates in PEM or DER
 *   extensions     SNI, max_fragment_length, extended master secret
 * and nothing else: no server, no renegotiation, no session tickets, no
 * SSLv3/TLS 1.0/1.1, no PSK, no DTLS, no debug output, no error strings.
 *
 * Memory: every mbedTLS allocation comes from one pool the application hands
 * to lum_tls_pool_init() (MBEDTLS_MEMORY_BUFFER_ALLOC_C); the libc allocator
 * is never linked in by mbedTLS (MBEDTLS_PLATFORM_NO_STD_FUNCTIONS leaves
 * mbedtls_calloc returning NULL until the pool is installed).
 *
 * Randomness: no mbedTLS entropy module at all (it assumes an OS or a
 * hardware poll function). TLS records and the TLS 1.2 handshake draw from a
 * CTR_DRBG per connection, seeded from lum_platform.entropy; the PSA core
 * (TLS 1.3 key shares) draws from mbedtls_psa_external_get_random(), which
 * port/mbedtls implements on top of lum_tls_psa_entropy(). See lum_tls.h.
 *
 * Switches a board may set (compiler command line or a header of its own via
 * -DMBEDTLS_USER_CONFIG_FILE, which mbedTLS includes after this file):
 *
 *   LUM_TLS_SMALL      small record buffers: 4096 in / 2048 out, so every
 *                      connection negotiates max_fragment_length 2048 (the
 *                      most mbedTLS advertises with a 2048 output buffer),
 *                      which this port does in TLS 1.2 only (see lum_tls.h):
 *                      LUM_TLS_SMALL implies LUM_TLS12_ONLY. The 4096 input
 *                      buffer reassembles the server's certificate chain,
 *                      which must fit in it. Also trades speed for flash and
 *                      RAM in AES, SHA and ECP.
 *   LUM_TLS12_ONLY     TLS 1.2 only: drops TLS 1.3 and the whole PSA crypto
 *                      core, HKDF and the PSA RNG hook (the smallest image).
 *   LUM_TLS_HOSTED     1 where there is a filesystem and a wall clock (a
 *                      Unix-like OS, the default when __unix__/__APPLE__):
 *                      enables certificate validity dates and ca_file.
 *                      0 on a microcontroller: certificate dates are NOT
 *                      checked (there is no trustworthy clock).
 *   MBEDTLS_SSL_IN_CONTENT_LEN, MBEDTLS_SSL_OUT_CONTENT_LEN  record buffers
 *                      (below 16384 in: only with LUM_TLS12_ONLY, as above)
 *   LUM_TLS_NO_ASM     build bignum without inline assembly
 *
 * The #error guards at the end check these switches; they see -D flags and
 * this file, not a MBEDTLS_USER_CONFIG_FILE (included after it).
 */
#ifndef LUM_MBEDTLS_CONFIG_H
#define LUM_MBEDTLS_CONFIG_H

/* ------------------------------------------------------------ our switches */

#if defined(LUM_TLS_SMALL) && !defined(LUM_TLS12_ONLY)
#define LUM_TLS12_ONLY /* small buffers need max_fragment_length: TLS 1.2 */
#endif

#ifndef LUM_TLS_HOSTED
#if defined(__unix__) || defined(__unix) || defined(__APPLE__)
#define LUM_TLS_HOSTED 1
#else
#define LUM_TLS_HOSTED 0
#endif
#endif

/* ------------------------------------------------------- system support */

#if !defined(LUM_TLS_NO_ASM)
#define MBEDTLS_HAVE_ASM /* bignum inner loops in assembly: much faster RSA/ECC */
#if defined(__x86_64__) || defined(__amd64__)
/* AES-NI and carry-less multiply for AES-GCM where the CPU has them
   (checked at run time, software AES otherwise): x86-64 hosts decrypt
   several times faster. No effect on the other boards' instruction sets. */
#define MBEDTLS_AESNI_C
#endif
#endif

#if LUM_TLS_HOSTED
/* Certificate validity periods need a wall clock: time() from libc, and
   gmtime_r from port/mbedtls/tls_time.c (glibc's allocates on first use). */
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_PLATFORM_GMTIME_R_ALT
#endif

/* ------------------------------------------------------ platform, memory */

#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
/* No libc defaults for the allocator or anything else: mbedtls_calloc returns
   NULL until lum_tls_pool_init() installs the pool. The few libc functions
   mbedTLS still uses are named explicitly below. */
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
#define MBEDTLS_PLATFORM_STD_MEM_HDR <stdlib.h>
#define MBEDTLS_PLATFORM_SNPRINTF_MACRO snprintf /* OID and name formatting in x509 */
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C
/* The allocator's default of 4 leaves 64-bit pointers and uint64_t fields
   (its own block headers included) misaligned on 64-bit hosts and in
   structs with uint64_t everywhere: 8 costs at most 4 bytes a block. */
#define MBEDTLS_MEMORY_ALIGN_MULTIPLE 8

/* ------------------------------------------------------------ the big numbers */

#define MBEDTLS_BIGNUM_C
#define MBEDTLS_MPI_MAX_SIZE 512 /* 4096-bit RSA: common in root CAs */

/* ------------------------------------------------------------ symmetric */

#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES        /* tables in flash, not 8 KiB of RAM */
#define MBEDTLS_BLOCK_CIPHER_NO_DECRYPT /* GCM and CTR_DRBG only encrypt */
#define MBEDTLS_GCM_C
/* GCM on mbedTLS's block-cipher layer, with the AES context inline in the
   GCM context, instead of on the cipher layer, which allocates it: so a GCM
   context needs no heap (CWL payloads, src/cwl, run without the TLS pool).
   mbedTLS selects this layer itself in builds without MBEDTLS_CIPHER_C. */
#define MBEDTLS_BLOCK_CIPHER_C
#define MBEDTLS_CHACHA20_C
#define MBEDTLS_POLY1305_C
#define MBEDTLS_CHACHAPOLY_C
#define MBEDTLS_CIPHER_C

/* ---------------------------------------------------------------- hashes */

#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C /* SHA-384 is computed by the SHA-512 code */

/* ------------------------------------------------------- DRBG (no entropy module) */

#define MBEDTLS_CTR_DRBG_C
/* Seeds are requested from lum_platform.entropy: 48 bytes + 24 of nonce. */
#define MBEDTLS_CTR_DRBG_ENTROPY_LEN 48

/* --------------------------------------------------- public-key algorithms */

#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15 /* TLS 1.2 signatures, most certificate signatures */
#define MBEDTLS_PKCS1_V21 /* RSA-PSS: TLS 1.3 CertificateVerify */
#define MBEDTLS_ECP_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM /* fast reduction for the NIST curves */

#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C /* ECDSA signature (r,s) re-encoding */
#define MBEDTLS_OID_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C

/* ------------------------------------------------------------------ X.509 */

#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT /* needed to offer rsa_pss_rsae in TLS 1.3 */
#define MBEDTLS_X509_REMOVE_INFO        /* no human-readable dumps: saves flash */
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_BASE64_C

/* -------------------------------------------------------------------- TLS */

#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET /* RFC 7627: binds 1.2 sessions to the handshake */
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_MAX_FRAGMENT_LENGTH
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE /* TLS 1.3 in 3.6 requires it */
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES    /* tell the server why we hung up */

#if !defined(LUM_TLS12_ONLY)
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE /* middleboxes drop 1.3 without it */
/* TLS 1.3 in mbedTLS 3.6 runs its key schedule and key shares on PSA. The
   PSA algorithm set is derived from the legacy options above (no
   MBEDTLS_PSA_CRYPTO_CONFIG), plus HKDF. */
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG /* see port/mbedtls/psa_rng.c */
#define MBEDTLS_HKDF_C
#endif

/* Cipher suites, strongest first within each version. TLS 1.3 suites are
   ignored by a 1.2-only build and the other way round. */
#define MBEDTLS_SSL_CIPHERSUITES                                 \
    MBEDTLS_TLS1_3_AES_128_GCM_SHA256,                           \
    MBEDTLS_TLS1_3_AES_256_GCM_SHA384,                           \
    MBEDTLS_TLS1_3_CHACHA20_POLY1305_SHA256,                     \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,             \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,             \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,       \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,               \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,               \
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256

/* ------------------------------------------------------------ RAM profile */

#if defined(LUM_TLS_SMALL)
#ifndef MBEDTLS_SSL_IN_CONTENT_LEN
#define MBEDTLS_SSL_IN_CONTENT_LEN 4096
#endif
#ifndef MBEDTLS_SSL_OUT_CONTENT_LEN
#define MBEDTLS_SSL_OUT_CONTENT_LEN 2048
#endif
/* Smaller code and RAM, slower: fine for a few handshakes a day. */
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_SHA256_SMALLER
#define MBEDTLS_SHA512_SMALLER
#define MBEDTLS_ECP_WINDOW_SIZE 2
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#else
/* 16384 in: a server may send full-size records unless max_fragment_length
   is negotiated. 4096 out: our requests are written in pieces anyway. */
#ifndef MBEDTLS_SSL_IN_CONTENT_LEN
#define MBEDTLS_SSL_IN_CONTENT_LEN 16384
#endif
#ifndef MBEDTLS_SSL_OUT_CONTENT_LEN
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096
#endif
#endif

/* ------------------------------------------- guards on our own switches */

#if defined(LUM_TLS12_ONLY) && defined(MBEDTLS_SSL_PROTO_TLS1_3)
#error "LUM_TLS12_ONLY: MBEDTLS_SSL_PROTO_TLS1_3 must stay undefined"
#endif
#if LUM_TLS_HOSTED != 0 && LUM_TLS_HOSTED != 1
#error "LUM_TLS_HOSTED must be 0 or 1"
#endif
#if MBEDTLS_SSL_IN_CONTENT_LEN < 512 || MBEDTLS_SSL_OUT_CONTENT_LEN < 512
#error "TLS record buffers below 512 bytes cannot hold a negotiated fragment"
#endif
#if MBEDTLS_SSL_IN_CONTENT_LEN > 16384 || MBEDTLS_SSL_OUT_CONTENT_LEN > 16384
#error "TLS records are at most 16384 bytes: larger buffers only waste RAM"
#endif
#if defined(LUM_TLS_SMALL) && MBEDTLS_SSL_IN_CONTENT_LEN >= 16384
#error "LUM_TLS_SMALL with a 16384-byte input buffer: drop LUM_TLS_SMALL instead"
#endif
#if (MBEDTLS_SSL_IN_CONTENT_LEN < 16384) && !defined(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH)
#error "an input buffer below 16384 needs max_fragment_length (servers send full records)"
#endif
#if (MBEDTLS_SSL_IN_CONTENT_LEN < 16384) && !defined(LUM_TLS12_ONLY)
#error "an input buffer below 16384 relies on max_fragment_length, which this port negotiates in TLS 1.2 only: add -DLUM_TLS12_ONLY (TLS 1.3 would be dead code)"
#endif

#endif /* LUM_MBEDTLS_CONFIG_H */
