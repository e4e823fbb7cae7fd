# mk/cli.mk - the `lumminary` command-line tool (examples/cli) and the
# "Connect with Lumminary" library it uses.
#
#   CWL_LIB  $(BUILD)/liblumminary_cwl.a: src/cwl (lumminary/cwl.h). Kept out
#            of liblumminary.a, which has no crypto dependency: link it before
#            liblumminary.a, with mbedTLS ($(MBEDTLS_LIB)) after both.
#   CLI      $(BUILD)/lumminary, built for boards with a network and linked
#            like the agent (port/posix + port/mbedtls + the SDK, static memory).
#
#   make cli        the tool;   make cwl   the library alone
#
# tests/unit/test_cwl.c is a unit test like the others (make test-unit runs
# it) but links the CWL library and mbedTLS: its rule here, being explicit,
# takes precedence over unit_tests.mk's pattern rule.

CWL_SRCS := $(sort $(wildcard src/cwl/*.c))
CWL_OBJS := $(CWL_SRCS:%.c=$(BUILD)/obj/%.o)
CWL_LIB := $(BUILD)/liblumminary_cwl.a

$(CWL_OBJS): ALL_CFLAGS += $(MBEDTLS_INCLUDES)
$(CWL_OBJS): | $(DEPS)/jsmn/jsmn.h $(MBEDTLS_STAMP)

$(CWL_LIB): $(CWL_OBJS)
	@mkdir -p $(@D)
	$(call say,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

CLI_SRCS := $(sort $(wildcard examples/cli/*.c))
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
CLI := $(BUILD)/lumminary

$(CLI_OBJS): ALL_CFLAGS += -Iport/posix $(MBEDTLS_INCLUDES)
$(CLI_OBJS): | $(DEPS)/jsmn/jsmn.h $(MBEDTLS_STAMP)

# libport_mbedtls again after mbedTLS: its PSA core calls back into the port.
$(CLI): $(CLI_OBJS) $(CWL_LIB) $(PORT_MBEDTLS_LIB) $(PORT_POSIX_LIB) $(SDK_LIB) $(MBEDTLS_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJS) $(CWL_LIB) $(PORT_MBEDTLS_LIB) $(PORT_POSIX_LIB) \
	    $(SDK_LIB) $(MBEDTLS_LIB) $(PORT_MBEDTLS_LIB) $(BOARD_LDLIBS)

CWL_TEST := $(BUILD)/tests/test_cwl
CWL_TEST_OBJ := $(BUILD)/obj/tests/unit/test_cwl.o

$(CWL_TEST): $(CWL_TEST_OBJ) $(CWL_LIB) $(SDK_LIB) $(MBEDTLS_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CWL_TEST_OBJ) $(CWL_LIB) $(SDK_LIB) $(MBEDTLS_LIB) $(BOARD_LDLIBS)

.PHONY: cli cwl
cli: $(CLI)
cwl: $(CWL_LIB)
all: $(if $(BOARD_HAS_NETWORK),$(CLI))
# `make test` builds `examples` before the end-to-end tests run the CLI.
examples: $(if $(BOARD_HAS_NETWORK),$(CLI))

-include $(CWL_OBJS:.o=.d) $(CLI_OBJS:.o=.d)
