/*
 * lumminary/error.h - the one set of error codes every lumminary-c call returns.
 *
 * Every function that can fail returns an int: LUM_OK (0) or a value >= 0 on
 * success, one of the negative codes below on failure. Codes are grouped by
 * layer so that a caller can test a class with a range check if it wants to,
 * but each code is meant to be handled (or at least logged) on its own.
 */
#ifndef LUMMINARY_ERROR_H
#define LUMMINARY_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lum_err {
    LUM_OK = 0,

    /* Caller and configuration errors. */
    LUM_ERR_INVALID_ARG = -1,      /* NULL/empty where required, or a value that would
                                      inject a header, CR/LF or control character */
    LUM_ERR_BUFFER_TOO_SMALL = -2, /* the working buffer cannot hold what must fit */
    LUM_ERR_TOO_LONG = -3,         /* a decoded value does not fit its fixed field */
    LUM_ERR_ABORTED = -4,          /* a caller callback asked to stop */
    LUM_ERR_IO = -5,               /* a caller reader/writer callback failed */
    LUM_ERR_STATE = -6,            /* call not valid in the client's current state */

    /* Transport (port) errors. */
    LUM_ERR_TRANSPORT = -10,       /* send/recv failed (reset, broken pipe...) */
    LUM_ERR_CONNECT = -11,         /* connection refused or unreachable */
    LUM_ERR_DNS = -12,             /* host name could not be resolved */
    LUM_ERR_TIMEOUT = -13,         /* a deadline passed before the operation finished */
    LUM_ERR_CLOSED = -14,          /* the peer closed the connection */

    /* TLS errors. */
    LUM_ERR_TLS = -20,             /* handshake or record-layer failure */
    LUM_ERR_TLS_CERT = -21,        /* the server certificate did not verify */
    LUM_ERR_TLS_CONFIG = -22,      /* bad CA data, unsupported option, pool too small */
    LUM_ERR_ENTROPY = -23,         /* the platform entropy source failed */

    /* HTTP protocol errors (the server sent something malformed). */
    LUM_ERR_PROTOCOL = -30,        /* malformed status line, header or chunk framing */
    LUM_ERR_HEADER_LINE_TOO_LONG = -31, /* one header line exceeds LUM_MAX_HEADER_LINE */
    LUM_ERR_HEADERS_TOO_LARGE = -32,    /* all header lines exceed LUM_MAX_HEADER_BYTES */
    LUM_ERR_TRUNCATED = -33,       /* the connection ended inside a response body */
    LUM_ERR_BODY_TOO_LARGE = -34,  /* a non-streamed body does not fit the buffer */

    /* JSON errors (the body is not the model the operation promises). */
    LUM_ERR_JSON = -40,            /* not well-formed JSON */
    LUM_ERR_JSON_TYPE = -41,       /* a field has the wrong JSON type or an invalid value */
    LUM_ERR_JSON_MISSING = -42,    /* a required field is absent (see lum_client_error) */
    LUM_ERR_JSON_TOKENS = -43,     /* an element needs more than LUM_JSON_MAX_TOKENS */
    LUM_ERR_ELEMENT_TOO_LARGE = -44, /* a streamed list element exceeds the buffer */

    /* HTTP status classes (the server answered, but not with success). */
    LUM_ERR_HTTP_STATUS = -50,     /* an unexpected status not listed below */
    LUM_ERR_BAD_REQUEST = -51,     /* 400: malformed request or field mask */
    LUM_ERR_UNAUTHORIZED = -52,    /* 401: token expired/invalid, or data not authorized */
    LUM_ERR_FORBIDDEN = -53,       /* 403 */
    LUM_ERR_NOT_FOUND = -54,       /* 404 */
    LUM_ERR_CONFLICT = -55,        /* 409: already exists */
    LUM_ERR_UNPROCESSABLE = -56,   /* 422 */
    LUM_ERR_RATE_LIMITED = -57,    /* 429: honour lum_client_error()->retry_after_s */
    LUM_ERR_SERVER = -58,          /* 5xx: server busy or broken; retry later */

    /* Authentication. */
    LUM_ERR_AUTH = -60,            /* post_jwt_auth refused the product's credentials */

    /* Cryptography (lumminary/cwl.h). */
    LUM_ERR_DECRYPT = -70          /* an encrypted payload failed authentication: wrong
                                      key, or the payload was altered or cut short */
} lum_err;

/* A short, static, English description of an error code (never NULL). */
const char *lum_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* LUMMINARY_ERROR_H */
