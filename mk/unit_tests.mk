# Unit tests: tests/unit/test_*.c, each linked with the test support code
# (scripted transport, fake platform) and the SDK library; run by `make test`.

TEST_SUPPORT_SRCS := $(sort $(wildcard tests/support/*.c))
TEST_SUPPORT_OBJS := $(TEST_SUPPORT_SRCS:%.c=$(BUILD)/obj/%.o)
UNIT_TEST_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_TESTS := $(UNIT_TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

$(TEST_SUPPORT_OBJS) $(UNIT_TEST_SRCS:%.c=$(BUILD)/obj/%.o): ALL_CFLAGS += -Itests
$(TEST_SUPPORT_OBJS) $(UNIT_TEST_SRCS:%.c=$(BUILD)/obj/%.o): | $(DEPS)/jsmn/jsmn.h

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TEST_SUPPORT_OBJS) $(SDK_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(BOARD_LDLIBS)

.PHONY: unit-tests test-unit
unit-tests: $(UNIT_TESTS)

# Runs the unit tests alone (make test runs everything).
test-unit: $(UNIT_TESTS)
	@tests/run.sh --run "$(RUN)" $(UNIT_TESTS)

-include $(UNIT_TEST_SRCS:%.c=$(BUILD)/obj/%.d) $(TEST_SUPPORT_OBJS:.o=.d)
