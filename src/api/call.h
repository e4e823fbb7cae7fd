/*
 * src/api/call.h - one API exchange, shared by every operation (internal).
 */
#ifndef LUM_SRC_API_CALL_H
#define LUM_SRC_API_CALL_H

#include "http/http.h"
#include "json/json.h"
#include "lumminary/api.h"

/*
 * Sends rq and reads the answer: authenticates first when rq needs it,
 * reconnects once when a reused keep-alive connection turns out dead,
 * re-authenticates and retries once on a 401, decodes a 2xx body into t
 * (NULL: the body is read and ignored), or keeps the status and the
 * server's message of an error. Closes the connection unless it ended
 * cleanly and may be kept alive. Returns LUM_OK or a lum_err.
 */
int lum_call(lum_client *c, const lum_http_request *rq, const lum_json_target *t);

/* A target that decodes the body as one object of model m into out. */
lum_json_target lum_target_object(const lum_model *m, void *out, const char *x_fields);

/* A target that streams a root list of elem_model elements. */
lum_json_target lum_target_list(const lum_model *elem_model, void *scratch, const char *x_fields,
                                int (*on_element)(void *user, int list, void *elem), void *user);

/*
 * An authenticated request on path (up to two "{}" filled from arg0, arg1;
 * a third, if any, is set by the caller), with the X-Fields mask.
 * Idempotent when the method is GET; a POST that is safe to resend says so
 * itself.
 */
lum_http_request lum_request(const char *method, const char *path, const char *arg0, const char *arg1,
                             const char *x_fields);

/* The typed public callbacks behind the decoder's generic on_element:
   pass the adapter as the target's user. A NULL cb consumes the elements. */
typedef struct lum_snp_adapter {
    lum_client_snp_cb cb;
    void *user;
} lum_snp_adapter;
int lum_on_snp(void *user, int list, void *elem);

typedef struct lum_rsid_adapter {
    lum_rsid_cb cb;
    void *user;
} lum_rsid_adapter;
int lum_on_rsid(void *user, int list, void *elem);

/* The lum_err for an HTTP error status. */
int lum_status_error(int status);

#endif /* LUM_SRC_API_CALL_H */
