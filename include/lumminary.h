/*
 * lumminary.h - everything a program needs to use lumminary-c.
 *
 *   lumminary/error.h   error codes and lum_strerror()
 *   lumminary/config.h  compile-time sizes (LUM_MAX_*)
 *   lumminary/port.h    what a board provides: transport and platform
 *   lumminary/client.h  the client: configuration, connection, token, errors
 *   lumminary/models.h  the API's models as C structs
 *   lumminary/api.h     one function per API operation
 *   lumminary/helpers.h the reference client's helpers (metadata, TSV export...)
 *   lumminary/json.h    models back into JSON
 *   lumminary/credentials.h  the credentials file (env.json) and API base URLs
 * Not included here: lumminary/cwl.h (Connect with Lumminary), which comes
 * with its own archive, liblumminary_cwl.a, and needs mbedTLS.
 */
#ifndef LUMMINARY_H
#define LUMMINARY_H

#include "lumminary/error.h"
#include "lumminary/config.h"
#include "lumminary/port.h"
#include "lumminary/client.h"
#include "lumminary/models.h"
#include "lumminary/api.h"
#include "lumminary/helpers.h"
#include "lumminary/json.h"
#include "lumminary/credentials.h"

#define LUM_VERSION "0.1.0"

#endif /* LUMMINARY_H */
