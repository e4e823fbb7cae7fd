# mk/tls_tests.mk - port/mbedtls against local openssl s_server instances.
#
#   make test-tls                  build tests/tls/tls_test and run it
#   make SANITIZE=1 test-tls       the same under ASan + UBSan
#   make CC=clang test-tls
#   make BUILD=build/posix-small BOARD_CFLAGS=-DLUM_TLS_SMALL test-tls
#                                  the small-buffer profile, built apart
# Needs a board with a network (BOARD_HAS_NETWORK=1) and the openssl CLI.
# For `make test` (tests/run.sh totals PASS/FAIL lines): build $(TLS_TEST_BIN)
# and add the command "tests/tls/run.sh $(TLS_TEST_BIN) $(RUN)".

TLS_TEST_BIN := $(BUILD)/tests/tls_test
TLS_TEST_OBJ := $(BUILD)/obj/tests/tls/tls_test.o

$(TLS_TEST_OBJ): ALL_CFLAGS += $(MBEDTLS_INCLUDES) -Iport/posix -Itests
$(TLS_TEST_OBJ): | $(MBEDTLS_STAMP)

$(TLS_TEST_BIN): $(TLS_TEST_OBJ) $(PORT_MBEDTLS_LIB) $(MBEDTLS_LIB) $(PORT_POSIX_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(TLS_TEST_OBJ) $(TLS_LIBS) $(PORT_POSIX_LIB) $(BOARD_LDLIBS)

.PHONY: test-tls
test-tls: $(TLS_TEST_BIN)
	tests/tls/run.sh $(TLS_TEST_BIN) $(RUN)

-include $(TLS_TEST_OBJ:.o=.d)
