# The agent (examples/agent): the main job, built for boards with a network.
# The TLS port is named twice: mbedTLS's PSA core calls back into it for entropy.

AGENT_SRCS := $(sort $(wildcard examples/agent/*.c))
AGENT_OBJS := $(AGENT_SRCS:%.c=$(BUILD)/obj/%.o)
AGENT := $(BUILD)/lumminary-agent

$(AGENT_OBJS): ALL_CFLAGS += -Iport/posix $(MBEDTLS_INCLUDES)
$(AGENT_OBJS): | $(DEPS)/jsmn/jsmn.h $(MBEDTLS_STAMP)

$(AGENT): $(AGENT_OBJS) $(PORT_MBEDTLS_LIB) $(PORT_POSIX_LIB) $(SDK_LIB) $(MBEDTLS_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(AGENT_OBJS) $(PORT_MBEDTLS_LIB) $(PORT_POSIX_LIB) $(SDK_LIB) \
	    $(MBEDTLS_LIB) $(PORT_MBEDTLS_LIB) $(BOARD_LDLIBS)

.PHONY: agent
agent: $(AGENT)
all: $(if $(BOARD_HAS_NETWORK),$(AGENT))

-include $(AGENT_OBJS:.o=.d)

# Unit test of the agent's portable logic (panel, report, state text).
AGENT_LOGIC_OBJS := $(BUILD)/obj/examples/agent/panel.o $(BUILD)/obj/examples/agent/state.o
$(BUILD)/obj/tests/unit/test_agent_logic.o: ALL_CFLAGS += -Iexamples/agent
$(BUILD)/tests/test_agent_logic: $(BUILD)/obj/tests/unit/test_agent_logic.o $(AGENT_LOGIC_OBJS) $(SDK_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(BOARD_LDLIBS)
