/*
 * lum_strerror: one short sentence per error code.
 */
#include "lumminary/error.h"

const char *lum_strerror(int err)
{
    switch (err) {
    case LUM_OK: return "success";
    case LUM_ERR_INVALID_ARG: return "invalid argument";
    case LUM_ERR_BUFFER_TOO_SMALL: return "working buffer too small";
    case LUM_ERR_TOO_LONG: return "value too long for its field";
    case LUM_ERR_ABORTED: return "stopped by a callback";
    case LUM_ERR_IO: return "reader or writer callback failed";
    case LUM_ERR_STATE: return "not possible in the current state";
    case LUM_ERR_TRANSPORT: return "transport error";
    case LUM_ERR_CONNECT: return "connection refused or unreachable";
    case LUM_ERR_DNS: return "host name not resolved";
    case LUM_ERR_TIMEOUT: return "timed out";
    case LUM_ERR_CLOSED: return "connection closed by peer";
    case LUM_ERR_TLS: return "TLS failure";
    case LUM_ERR_TLS_CERT: return "server certificate not trusted";
    case LUM_ERR_TLS_CONFIG: return "TLS configuration error";
    case LUM_ERR_ENTROPY: return "entropy source failed";
    case LUM_ERR_PROTOCOL: return "malformed HTTP response";
    case LUM_ERR_HEADER_LINE_TOO_LONG: return "response header line too long";
    case LUM_ERR_HEADERS_TOO_LARGE: return "response headers too large";
    case LUM_ERR_TRUNCATED: return "response body cut short";
    case LUM_ERR_BODY_TOO_LARGE: return "response body larger than the buffer";
    case LUM_ERR_JSON: return "malformed JSON";
    case LUM_ERR_JSON_TYPE: return "JSON field of the wrong type or value";
    case LUM_ERR_JSON_MISSING: return "required JSON field missing";
    case LUM_ERR_JSON_TOKENS: return "JSON element needs too many tokens";
    case LUM_ERR_ELEMENT_TOO_LARGE: return "list element larger than the buffer";
    case LUM_ERR_HTTP_STATUS: return "unexpected HTTP status";
    case LUM_ERR_BAD_REQUEST: return "bad request (400)";
    case LUM_ERR_UNAUTHORIZED: return "unauthorized (401)";
    case LUM_ERR_FORBIDDEN: return "forbidden (403)";
    case LUM_ERR_NOT_FOUND: return "not found (404)";
    case LUM_ERR_CONFLICT: return "conflict (409)";
    case LUM_ERR_UNPROCESSABLE: return "unprocessable (422)";
    case LUM_ERR_RATE_LIMITED: return "rate limited (429)";
    case LUM_ERR_SERVER: return "server error (5xx)";
    case LUM_ERR_AUTH: return "authentication refused";
    case LUM_ERR_DECRYPT: return "decryption failed: wrong key or altered data";
    default: return "unknown error";
    }
}
