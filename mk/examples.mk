# Small example programs (examples/<name>/main.c), built for boards with a network.

SNPS_OBJS := $(BUILD)/obj/examples/snps/main.o
SNPS := $(BUILD)/lumminary-snps

$(SNPS_OBJS): ALL_CFLAGS += -Iport/posix $(MBEDTLS_INCLUDES)
$(SNPS_OBJS): | $(DEPS)/jsmn/jsmn.h $(MBEDTLS_STAMP)

$(SNPS): $(SNPS_OBJS) $(PORT_MBEDTLS_LIB) $(PORT_POSIX_LIB) $(SDK_LIB) $(MBEDTLS_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(SNPS_OBJS) $(PORT_MBEDTLS_LIB) $(PORT_POSIX_LIB) $(SDK_LIB) \
	    $(MBEDTLS_LIB) $(PORT_MBEDTLS_LIB) $(BOARD_LDLIBS)

.PHONY: examples
examples: $(SNPS)
all: $(if $(BOARD_HAS_NETWORK),$(SNPS))

-include $(SNPS_OBJS:.o=.d)
