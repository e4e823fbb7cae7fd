# boards/cortex-m4/rules.mk - the firmware image (included by mk/boards.mk
# for BOARD=cortex-m4): the agent's portable job (examples/agent: agent.c,
# panel.c, state.c), this board's glue, port/mbedtls, the SDK and mbedTLS,
# linked with --gc-sections and a map file for `make size`.
# snprintf/vsnprintf are wrapped to boards/common/printf.c (newlib-nano's
# cannot print the state record's %lld, see there); the link fails if
# newlib's printf core still gets in.

FIRMWARE := $(BUILD)/lumminary-agent.elf
FIRMWARE_MAP := $(FIRMWARE:.elf=.map)
FIRMWARE_AGENT_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,examples/agent/agent.c examples/agent/panel.c \
                         examples/agent/state.c)
FIRMWARE_BOARD_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(sort $(wildcard boards/cortex-m4/*.c)) \
                         boards/common/printf.c)
$(BUILD)/obj/boards/common/printf.o: ALL_CFLAGS += -DPRINTF_SMALL
FIRMWARE_WRAP := -Wl,--wrap=snprintf,--wrap=vsnprintf
FIRMWARE_OBJS := $(FIRMWARE_AGENT_OBJS) $(FIRMWARE_BOARD_OBJS)

$(FIRMWARE_OBJS): ALL_CFLAGS += -Iexamples/agent -Iboards/cortex-m4 $(MBEDTLS_INCLUDES)
# The lwIP stand-in stays opaque to LTO, as a prebuilt lwIP library would:
# otherwise the link would see that every socket call fails and could drop
# the code behind them, and the image would measure less than a device runs.
$(BUILD)/obj/boards/cortex-m4/lwip_stub.o: ALL_CFLAGS += -fno-lto
$(FIRMWARE_OBJS): | $(DEPS)/jsmn/jsmn.h $(MBEDTLS_STAMP)

$(FIRMWARE): $(FIRMWARE_OBJS) $(PORT_MBEDTLS_LIB) $(SDK_LIB) $(MBEDTLS_LIB) boards/cortex-m4/cortex-m4.ld
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) $(FIRMWARE_WRAP) -T boards/cortex-m4/cortex-m4.ld -Wl,-Map=$(FIRMWARE_MAP) \
	    -o $@.tmp $(FIRMWARE_OBJS) $(PORT_MBEDTLS_LIB) $(SDK_LIB) $(MBEDTLS_LIB) $(PORT_MBEDTLS_LIB) $(BOARD_LDLIBS)
	$(Q)if $(CROSS_COMPILE)nm $@.tmp | grep -qE ' _(s?v?fprintf|printf_i)(_r)?$$'; then \
	    echo "$@: newlib's printf is linked (no C99 formats): call snprintf/vsnprintf only"; rm -f $@.tmp; exit 1; fi
	$(Q)mv $@.tmp $@

.PHONY: firmware
firmware: $(FIRMWARE)
all: $(FIRMWARE)

-include $(FIRMWARE_OBJS:.o=.d)
