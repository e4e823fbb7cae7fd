# mk/mbedtls.mk - mbedTLS 3.6 built per board with our config, and port/mbedtls.
#
# For other fragments:
#   MBEDTLS_LIB        $(BUILD)/mbedtls/libmbedtls.a (crypto + x509 + tls in one archive)
#   MBEDTLS_INCLUDES   -I flags and -DMBEDTLS_CONFIG_FILE for code that includes
#                      port/mbedtls/lum_tls.h or any mbedTLS header
#   PORT_MBEDTLS_LIB   $(BUILD)/libport_mbedtls.a (the TLS transport)
#   TLS_LIBS           what to link, in order: port, mbedTLS, port again (the
#                      PSA core calls back into the port)
#   target `mbedtls`   builds both archives
#
# Knobs:
#   MBEDTLS_DIR=/path  an mbedTLS 3.6 source tree of your own (default: the
#                      pinned Debian tarball, fetched by tools/deps/fetch.sh)
#   TLS_ENTROPY_HOOK   getentropy: link port/mbedtls/entropy_getentropy.c as
#                      lum_tls_psa_entropy() (default on boards using port/posix);
#                      board: the board links its own (default elsewhere)
#   The TLS profile (LUM_TLS_SMALL, LUM_TLS12_ONLY, LUM_TLS_HOSTED, buffer
#   sizes) comes from -D flags in BOARD_CFLAGS, so that mbedTLS, the port and
#   every user of lum_tls.h see the same configuration.
#
# mbedTLS is third-party code: it gets the board's compiler and flags but not
# our -Werror warning set. -ffunction-sections lets a board's --gc-sections
# drop the parts of mbedTLS our config compiles but we never call.

MBEDTLS_VERSION := 3.6.6
MBEDTLS_DEFAULT_DIR := $(DEPS)/mbedtls-$(MBEDTLS_VERSION)
MBEDTLS_DIR ?= $(MBEDTLS_DEFAULT_DIR)

MBEDTLS_INCLUDES = -Iport/mbedtls -I$(MBEDTLS_DIR)/include \
                   -DMBEDTLS_CONFIG_FILE='"lum_mbedtls_config.h"'
MBEDTLS_CFLAGS = -std=c99 $(CFLAGS) $(BOARD_CFLAGS) $(EXTRA_CFLAGS) $(SAN_FLAGS) \
                 -ffunction-sections -fdata-sections \
                 $(MBEDTLS_INCLUDES) -I$(MBEDTLS_DIR)/library -MMD -MP

MBEDTLS_BUILD := $(BUILD)/mbedtls
MBEDTLS_LIB := $(MBEDTLS_BUILD)/libmbedtls.a
# A header that exists in any mbedTLS 3.x tree: its presence means "fetched".
MBEDTLS_STAMP := $(MBEDTLS_DIR)/include/mbedtls/build_info.h

ifeq ($(MBEDTLS_DIR),$(MBEDTLS_DEFAULT_DIR))
$(MBEDTLS_STAMP):
	DEPS_DIR=$(DEPS) tools/deps/fetch.sh mbedtls
else
$(MBEDTLS_STAMP):
	@echo "MBEDTLS_DIR=$(MBEDTLS_DIR) is not an mbedTLS 3.6 source tree (no include/mbedtls/build_info.h)" >&2
	@exit 1
endif

ifeq ($(wildcard $(MBEDTLS_STAMP)),)
# No source tree yet, so no list of sources: fetch it, then let a fresh make
# (which sees the sources) build the archive. Only ever the first build.
ifeq ($(MBEDTLS_REMAKE),1)
$(error no mbedTLS sources in $(MBEDTLS_DIR), even after fetching)
endif
$(MBEDTLS_LIB): $(MBEDTLS_STAMP)
	$(MAKE) --no-print-directory MBEDTLS_REMAKE=1 $(MBEDTLS_LIB)
else
MBEDTLS_SRCS := $(sort $(wildcard $(MBEDTLS_DIR)/library/*.c))
MBEDTLS_OBJS := $(patsubst $(MBEDTLS_DIR)/library/%.c,$(MBEDTLS_BUILD)/obj/%.o,$(MBEDTLS_SRCS))

$(MBEDTLS_LIB): $(MBEDTLS_OBJS)
	@mkdir -p $(@D)
	$(call say,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(MBEDTLS_BUILD)/obj/%.o: $(MBEDTLS_DIR)/library/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(MBEDTLS_CFLAGS) -c $< -o $@

-include $(MBEDTLS_OBJS:.o=.d)
endif

# ---------------------------------------------------------- port/mbedtls
TLS_ENTROPY_HOOK ?= $(if $(filter posix,$(BOARD_PORTS)),getentropy,board)
ifeq ($(filter $(TLS_ENTROPY_HOOK),getentropy board),)
$(error TLS_ENTROPY_HOOK must be getentropy or board, not '$(TLS_ENTROPY_HOOK)')
endif

PORT_MBEDTLS_SRCS := $(filter-out port/mbedtls/entropy_%.c,$(sort $(wildcard port/mbedtls/*.c)))
ifeq ($(TLS_ENTROPY_HOOK),getentropy)
PORT_MBEDTLS_SRCS += port/mbedtls/entropy_getentropy.c
endif
PORT_MBEDTLS_OBJS := $(PORT_MBEDTLS_SRCS:%.c=$(BUILD)/obj/%.o)
PORT_MBEDTLS_LIB := $(BUILD)/libport_mbedtls.a
# The port library comes again after mbedTLS: mbedTLS's PSA core calls back
# into it (mbedtls_psa_external_get_random) and one-pass linkers need that.
TLS_LIBS = $(PORT_MBEDTLS_LIB) $(MBEDTLS_LIB) $(PORT_MBEDTLS_LIB)

# Our own code: the strict flags (generic rule in the Makefile) plus mbedTLS's
# headers, which must be fetched before the first compile.
$(PORT_MBEDTLS_OBJS): ALL_CFLAGS += $(MBEDTLS_INCLUDES)
$(PORT_MBEDTLS_OBJS): | $(MBEDTLS_STAMP)

$(PORT_MBEDTLS_LIB): $(PORT_MBEDTLS_OBJS)
	@mkdir -p $(@D)
	$(call say,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

-include $(PORT_MBEDTLS_OBJS:.o=.d)

.PHONY: mbedtls
mbedtls: $(MBEDTLS_LIB) $(PORT_MBEDTLS_LIB)
