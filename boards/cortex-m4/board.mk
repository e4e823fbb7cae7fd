# A Cortex-M4 microcontroller (STM32F407-class: 1 MiB flash, 128 KiB RAM),
# bare metal with newlib-nano: the footprint build. `make BOARD=cortex-m4`
# builds the SDK library and the agent firmware image (boards/cortex-m4/
# main.c: the agent's portable job + SDK + mbedTLS + an lwIP socket
# transport); `make size` and `make stack` measure them. It does not run
# here (mps2-an385 is the board that runs tests on an emulated Cortex-M).
# Debian packages: tools/setup.sh --board cortex-m4.
#
#   BOARD_TLS=tls12  (default) TLS 1.2 only, 4096/2048-byte record buffers
#                    with max_fragment_length (LUM_TLS_SMALL), 20 KiB pool
#   BOARD_TLS=tls13  TLS 1.2 + 1.3, full 16 KiB input records, 44 KiB pool
#   (make size builds both, the second in build/cortex-m4-tls13)
#   BOARD_LTO=1      (default) the firmware image is linked with link-time
#                    optimisation: whole-program inlining and dead-code
#                    removal across the agent, the SDK and mbedTLS (about
#                    6.5 KB of flash). Objects are "fat" (-ffat-lto-objects):
#                    they also hold ordinary code, which is what the SDK
#                    archive's per-module table measures and what a
#                    program linked without -flto gets. BOARD_LTO=0 turns
#                    it off (make stack does: its call graph is per object).
ifeq ($(CROSS_COMPILE),)
CROSS_COMPILE := arm-none-eabi-
endif
OPT := -Os
CPU_FLAGS := -mcpu=cortex-m4 -mthumb
BOARD_TLS ?= tls12
ifeq ($(BOARD_TLS),tls12)
TLS_PROFILE_FLAGS := -DLUM_TLS_SMALL -DBOARD_TLS_POOL='(20 * 1024)'
else ifeq ($(BOARD_TLS),tls13)
TLS_PROFILE_FLAGS := -DBOARD_TLS_POOL='(44 * 1024)'
else
$(error BOARD_TLS must be tls12 or tls13, not '$(BOARD_TLS)')
endif
# No certificate dates (no trusted clock at boot), no ca_file (no files).
BOARD_CFLAGS := $(CPU_FLAGS) -ffunction-sections -fdata-sections -DLUM_TLS_HOSTED=0 $(TLS_PROFILE_FLAGS) \
                -Iboards/cortex-m4/tls -DMBEDTLS_USER_CONFIG_FILE='"board_tls_config.h"'
BOARD_LDFLAGS := $(CPU_FLAGS) --specs=nano.specs -nostartfiles -Wl,--gc-sections
BOARD_LTO ?= 1
ifeq ($(BOARD_LTO),1)
BOARD_CFLAGS += -flto -ffat-lto-objects
# The link compiles the whole program at once (one partition: the image is
# small, and a single unit inlines and drops the most), with the same -Os,
# and again one section per function, or --gc-sections could not drop
# anything from what LTO emits.
BOARD_LDFLAGS += $(OPT) -flto -flto-partition=one -ffunction-sections -fdata-sections
# Archives of LTO objects need the plugin's symbol index.
AR := $(CROSS_COMPILE)gcc-ar
else ifneq ($(BOARD_LTO),0)
$(error BOARD_LTO must be 0 or 1, not '$(BOARD_LTO)')
endif
BOARD_PORTS := mbedtls
TLS_ENTROPY_HOOK := board
# No test suite runs on this board.
BOARD_TEST_SUITES :=
