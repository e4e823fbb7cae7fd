/*
 * src/auth/auth.h - the JWT lifecycle (internal).
 *
 * Tokens live 30 s and cannot be refreshed, only re-issued, so the client
 * re-authenticates shortly before the lifetime ends (measured on the port's
 * monotonic clock from the moment the auth request started, never from the
 * server's clock) and once more when a call is answered with 401.
 */
#ifndef LUM_SRC_AUTH_H
#define LUM_SRC_AUTH_H

#include "lumminary/client.h"

/* Makes sure c holds a token that will outlive the margin. */
int lum_auth_ensure(lum_client *c);

/* Forgets the token (after a 401), so the next lum_auth_ensure logs in. */
void lum_auth_invalidate(lum_client *c);

#endif /* LUM_SRC_AUTH_H */
