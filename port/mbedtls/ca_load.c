/*
 * Loading the trusted CA certificates, from a buffer or (hosted builds) a
 * file. The file is read with POSIX open/read into pool memory rather than
 * through mbedTLS's MBEDTLS_FS_IO, whose fopen() would take a FILE and its
 * buffer from the libc heap.
 */
#define _POSIX_C_SOURCE 200809L /* open, fstat: before any system header */

#include "tls_internal.h"

#include "lumminary/error.h"

#include "mbedtls/platform.h"

#if LUM_TLS_HOSTED
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

/* A whole system bundle is ~220 KB; anything far larger is not a CA file. */
#ifndef LUM_TLS_CA_FILE_MAX
#define LUM_TLS_CA_FILE_MAX (1024u * 1024u)
#endif

/* Parses one buffer of PEM (len counts the NUL) or DER certificates. */
static int parse(mbedtls_x509_crt *ca, const uint8_t *data, size_t len,
                 const lum_platform *platform)
{
    int ret = mbedtls_x509_crt_parse(ca, data, len);
    if (ret < 0) {
        lum_tls__log(platform, LUM_LOG_ERROR, "CA certificates rejected", ret);
        return LUM_ERR_TLS_CONFIG; /* malformed data or pool too small: both config */
    }
    if (ret > 0) {
        /* Part of a bundle uses algorithms this build leaves out (e.g. P-521
           roots): those CAs are not trusted, the others are. */
        lum_tls__log(platform, LUM_LOG_WARN, "CA certificates skipped (count)", ret);
    }
    return LUM_OK;
}

#if LUM_TLS_HOSTED
static int load_file(mbedtls_x509_crt *ca, const char *path, const lum_platform *platform)
{
    struct stat st;
    uint8_t *buf;
    size_t size, got = 0;
    int fd, rc;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        lum_tls__log(platform, LUM_LOG_ERROR, "cannot open ca_file", 0);
        return LUM_ERR_TLS_CONFIG;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (unsigned long long)st.st_size > LUM_TLS_CA_FILE_MAX) {
        close(fd);
        lum_tls__log(platform, LUM_LOG_ERROR, "ca_file is not a regular file of sane size", 0);
        return LUM_ERR_TLS_CONFIG;
    }
    size = (size_t)st.st_size;
    buf = mbedtls_calloc(1, size + 1); /* +1: PEM parsing wants a NUL */
    if (buf == NULL) {
        close(fd);
        lum_tls__log(platform, LUM_LOG_ERROR, "pool too small for ca_file", 0);
        return LUM_ERR_TLS_CONFIG;
    }
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(fd);
    if (got != size) {
        rc = LUM_ERR_TLS_CONFIG;
        lum_tls__log(platform, LUM_LOG_ERROR, "short read on ca_file", 0);
    } else {
        /* DER starts with a SEQUENCE tag; anything else is tried as PEM. */
        rc = parse(ca, buf, buf[0] == 0x30 ? size : size + 1, platform);
    }
    mbedtls_free(buf);
    return rc;
}
#endif

int lum_tls__load_ca(mbedtls_x509_crt *ca, const lum_tls_config *cfg,
                     const lum_platform *platform)
{
    int rc;

    if (cfg->ca_data != NULL) {
        if (cfg->ca_data_len == 0) return LUM_ERR_TLS_CONFIG;
        rc = parse(ca, cfg->ca_data, cfg->ca_data_len, platform);
        if (rc != LUM_OK) return rc;
    }
    if (cfg->ca_file != NULL) {
#if LUM_TLS_HOSTED
        rc = load_file(ca, cfg->ca_file, platform);
        if (rc != LUM_OK) return rc;
#else
        lum_tls__log(platform, LUM_LOG_ERROR, "ca_file needs a hosted build", 0);
        return LUM_ERR_TLS_CONFIG;
#endif
    }
    /* Verification is mandatory: without a single trusted CA every handshake
       would fail later with a less helpful error. */
    if (ca->raw.p == NULL) {
        lum_tls__log(platform, LUM_LOG_ERROR, "no CA certificate loaded", 0);
        return LUM_ERR_TLS_CONFIG;
    }
    return LUM_OK;
}
