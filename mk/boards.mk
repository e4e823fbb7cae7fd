# mk/boards.mk - board start-up code, per-board packages, and every board's tests.
#
#   make BOARD=<name> ...     boards/<name>/board.mk sets the toolchain and flags:
#       CROSS_COMPILE         toolchain prefix (each cross board sets its own)
#       BOARD_CFLAGS          for everything compiled, mbedTLS included (the TLS
#                             profile -DLUM_TLS_SMALL / -DLUM_TLS12_ONLY /
#                             -DLUM_TLS_HOSTED=0 goes here, see mk/mbedtls.mk)
#       BOARD_LDFLAGS, BOARD_LDLIBS   link flags / libraries of every program
#       BOARD_PORTS           ports the board uses (posix, mbedtls)
#       BOARD_HAS_NETWORK     1: build and test the networked programs
#       BOARD_TEST_SUITES     what `make test` runs (mk/test.mk); default all
#       BOARD_RT_SRCS         start-up code every program links (bare metal),
#                             archived as $(BOARD_RT_LIB)
#       RUN                   prefix that runs the board's programs here
#                             (qemu-mips, boards/mps2-an385/run.sh...)
#   make test-all-boards      `make test` on every board below, then a summary
#   make BOARD=<name> setup   install the board's Debian packages
#                             (tools/setup.sh --board <name>)
#
# Included last (see the Makefile): it adds the start-up archive to programs
# the other fragments define.

TEST_BOARDS := posix linux-mips linux-armhf mps2-an385
# Built (not run) by test-all-boards: every board must stay -Werror clean.
BUILD_BOARDS := cortex-m4

BOARD_RT_SRCS ?=
BOARD_RT_OBJS := $(BOARD_RT_SRCS:%.c=$(BUILD)/obj/%.o)
BOARD_RT_LIB := $(if $(BOARD_RT_SRCS),$(BUILD)/libboard.a)

ifneq ($(BOARD_RT_SRCS),)
$(BOARD_RT_LIB): $(BOARD_RT_OBJS)
	@mkdir -p $(@D)
	$(call say,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# Programs linked by the generic rules pick the archive up from BOARD_LDLIBS.
$(UNIT_TESTS) $(CWL_TEST): $(BOARD_RT_LIB)
endif

# Extra flags for the test programs' own code (not the SDK's), e.g. gcc -Os
# warning that TL_FAIL may cut a long failure message (it does, on purpose).
ifneq ($(BOARD_TEST_CFLAGS),)
$(TEST_SUPPORT_OBJS) $(UNIT_TEST_SRCS:%.c=$(BUILD)/obj/%.o): ALL_CFLAGS += $(BOARD_TEST_CFLAGS)
endif
ifneq ($(BOARD_RT_SRCS),)
-include $(BOARD_RT_OBJS:.o=.d)
endif

# A board's own rules (e.g. the cortex-m4 firmware image), if it has any.
-include boards/$(BOARD)/rules.mk

.PHONY: test-all-boards
# One board after the other (each builds in parallel under -j); every board
# runs even when an earlier one failed. The summary says which failed and
# ends with the totals of every board's "N passed, N failed" line.
test-all-boards:
	@mkdir -p build; failed=; passed_all=0; failed_all=0; \
	for b in $(TEST_BOARDS); do \
	    echo "=== BOARD=$$b: make test"; \
	    { $(MAKE) --no-print-directory BOARD=$$b test; echo $$? >build/test-$$b.status; } 2>&1 | tee build/test-$$b.log; \
	    [ "$$(cat build/test-$$b.status)" = 0 ] || failed="$$failed $$b"; \
	    last=$$(grep -E '^[0-9]+ passed, [0-9]+ failed$$' build/test-$$b.log | tail -n 1); \
	    if [ -n "$$last" ]; then \
	        passed_all=$$((passed_all + $${last%% passed*})); \
	        n=$${last#*, }; failed_all=$$((failed_all + $${n%% failed})); \
	    else failed_all=$$((failed_all + 1)); fi; \
	done; \
	for b in $(BUILD_BOARDS); do \
	    echo "=== BOARD=$$b: make (build only)"; \
	    if $(MAKE) --no-print-directory BOARD=$$b all; then passed_all=$$((passed_all + 1)); \
	    else failed="$$failed $$b"; failed_all=$$((failed_all + 1)); fi; \
	done; \
	if [ -n "$$failed" ]; then echo "test-all-boards: FAILED on:$$failed"; \
	else echo "test-all-boards: all boards passed ($(TEST_BOARDS); built $(BUILD_BOARDS), counted as one test each)"; fi; \
	echo "$$passed_all passed, $$failed_all failed"; \
	[ -z "$$failed" ]
