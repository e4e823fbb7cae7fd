# lumminary-c - plain Makefile, no generator.
#
#   make                  build the SDK library and the examples for BOARD
#   make test             unit tests, sandbox tests and end-to-end tests
#   make demo             the agent against a local sandbox over TLS
#   make SANITIZE=1 test  the same under AddressSanitizer + UBSan
#   make test-all-boards  make test on every board (qemu for the cross boards)
#   make bench            throughput, RSS and heap figures (host)
#   make size BOARD=cortex-m4, make stack BOARD=cortex-m4   flash, RAM, stack
#   make clean
#   V=1                   show the commands
#
# Variables: BOARD (boards/<name>/board.mk, default posix), CROSS_COMPILE
# (toolchain prefix), CC, MBEDTLS_DIR (use your own mbedTLS 3.6 source tree),
# SHARED_DIR (the shared data folder, default ../shared).

BOARD ?= posix
CROSS_COMPILE ?=
SHARED_DIR ?= $(abspath ../shared)
export LUM_SHARED_DIR := $(SHARED_DIR)

ifeq ($(wildcard boards/$(BOARD)/board.mk),)
$(error unknown BOARD '$(BOARD)': see boards/)
endif

# Board defaults; a board.mk may override any of them.
CC = $(CROSS_COMPILE)gcc
AR = $(CROSS_COMPILE)ar
OPT ?= -O2
BOARD_CFLAGS :=
BOARD_LDFLAGS :=
BOARD_LDLIBS :=
# Command prefix that runs a board's binaries on this machine (e.g. qemu-mips).
RUN :=
include boards/$(BOARD)/board.mk

ifeq ($(SANITIZE),1)
BUILD := build/$(BOARD)-san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD := build/$(BOARD)
SAN_FLAGS :=
endif
DEPS := build/deps
# The flags a build folder's objects were compiled with (written below).
FLAGS_STAMP := $(BUILD)/flags.txt

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wcast-align -Wwrite-strings -Wvla
CFLAGS ?= $(OPT) -g
# Added to every compile, mbedTLS included (make stack adds its -fstack-usage).
EXTRA_CFLAGS ?=
ALL_CFLAGS = -std=c99 $(WARN) $(CFLAGS) $(BOARD_CFLAGS) $(EXTRA_CFLAGS) $(SAN_FLAGS) -Iinclude -Isrc -I$(DEPS)/jsmn -MMD -MP
ALL_LDFLAGS = $(BOARD_LDFLAGS) $(SAN_FLAGS) $(LDFLAGS)

# Quiet by default ("CC file"); V=1 shows every command.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-5s %s\n' '$(1)' '$(2)'
endif

.DEFAULT_GOAL := all
.PHONY: all lib clean deps test demo bench size stack

# ---------------------------------------------------------------- the SDK
SDK_SRCS := $(sort $(filter-out src/cwl/%,$(wildcard src/*/*.c)))
SDK_OBJS := $(SDK_SRCS:%.c=$(BUILD)/obj/%.o)
SDK_LIB := $(BUILD)/liblumminary.a

lib: $(SDK_LIB)
$(SDK_LIB): $(SDK_OBJS)
	@mkdir -p $(@D)
	$(call say,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# jsmn is header-only; every SDK object needs it fetched first.
$(SDK_OBJS): | $(DEPS)/jsmn/jsmn.h

$(BUILD)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(DEPS)/jsmn/jsmn.h:
	tools/deps/fetch.sh jsmn

deps: $(DEPS)/jsmn/jsmn.h

clean:
	rm -rf build

# Each concern keeps its rules in its own fragment. The libraries come first:
# later fragments name them in their rules' prerequisites. mk/boards.mk comes
# last: it adds the board's start-up code to the programs the others define.
MK_LIBS := mk/ports.mk mk/mbedtls.mk
MK_LAST := mk/boards.mk
include $(MK_LIBS) $(filter-out $(MK_LIBS) $(MK_LAST),$(sort $(wildcard mk/*.mk))) $(MK_LAST)

-include $(SDK_OBJS:.o=.d)

# Objects depend on the flags too, not only on their sources: after a
# change of board options, LTO, EXTRA_CFLAGS or compiler, a build folder is
# rebuilt instead of linking objects made with the old flags. (Flags set for
# single targets are not in it; they do not change between runs.)
FLAGS_NOW := $(strip $(CC) $(ALL_CFLAGS) | $(MBEDTLS_CFLAGS) | $(ALL_LDFLAGS) | $(AR))
ifneq ($(FLAGS_NOW),$(file <$(FLAGS_STAMP)))
$(shell mkdir -p $(BUILD))
$(file >$(FLAGS_STAMP),$(FLAGS_NOW))
endif
