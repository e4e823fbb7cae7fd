# boards/cortex-m4/rules.mk - the firmware image (included by mk/boards.mk
# for BOARD=cortex-m4): the agent's portable job (examples/agent: agent.c,
# panel.c, state.c), this board's glue, port/mbedtls, the SDK and mbedTLS,
# linked with --gc-sections and a map file for `make size`.

FIRMWARE := $(BUILD)/lumminary-agent.elf
FIRMWARE_MAP := $(FIRMWARE:.elf=.map)
FIRMWARE_AGENT_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,examples/agent/agent.c examples/agent/panel.c \
                         examples/agent/state.c)
FIRMWARE_BOARD_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(sort $(wildcard boards/cortex-m4/*.c)))
FIRMWARE_OBJS := $(FIRMWARE_AGENT_OBJS) $(FIRMWARE_BOARD_OBJS)

$(FIRMWARE_OBJS): ALL_CFLAGS += -Iexamples/agent -Iboards/cortex-m4 $(MBEDTLS_INCLUDES)
$(FIRMWARE_OBJS): | $(DEPS)/jsmn/jsmn.h $(MBEDTLS_STAMP)

$(FIRMWARE): $(FIRMWARE_OBJS) $(PORT_MBEDTLS_LIB) $(SDK_LIB) $(MBEDTLS_LIB) boards/cortex-m4/cortex-m4.ld
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -T boards/cortex-m4/cortex-m4.ld -Wl,-Map=$(FIRMWARE_MAP) -o $@ \
	    $(FIRMWARE_OBJS) $(PORT_MBEDTLS_LIB) $(SDK_LIB) $(MBEDTLS_LIB) $(PORT_MBEDTLS_LIB) $(BOARD_LDLIBS)

.PHONY: firmware
firmware: $(FIRMWARE)
all: $(FIRMWARE)

-include $(FIRMWARE_OBJS:.o=.d)
