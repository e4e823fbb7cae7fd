# Programs the end-to-end tests drive (tests/e2e/*.c), built for boards with
# a network. lum-ops-check calls any one API operation through the C API
# over TLS and prints what it decoded (tests/e2e/test_operations.py).

OPS_CHECK_OBJS := $(BUILD)/obj/tests/e2e/ops_client.o
OPS_CHECK := $(BUILD)/lum-ops-check

$(OPS_CHECK_OBJS): ALL_CFLAGS += -Iport/posix $(MBEDTLS_INCLUDES)
$(OPS_CHECK_OBJS): | $(DEPS)/jsmn/jsmn.h $(MBEDTLS_STAMP)

$(OPS_CHECK): $(OPS_CHECK_OBJS) $(PORT_MBEDTLS_LIB) $(PORT_POSIX_LIB) $(SDK_LIB) $(MBEDTLS_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(OPS_CHECK_OBJS) $(PORT_MBEDTLS_LIB) $(PORT_POSIX_LIB) $(SDK_LIB) \
	    $(MBEDTLS_LIB) $(PORT_MBEDTLS_LIB) $(BOARD_LDLIBS)

.PHONY: e2e-tools
e2e-tools: $(OPS_CHECK)

-include $(OPS_CHECK_OBJS:.o=.d)
