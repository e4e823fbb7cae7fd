# ARM MPS2 + AN385 (Cortex-M3) under `qemu-system-arm -M mps2-an385`: runs
# the unit tests (scripted transport, no network) on an emulated
# microcontroller. Output and the exit status go through semihosting
# (newlib's librdimon); the start-up code is our own (startup.c, see why
# there), linked into every program from libboard.a.
# Debian packages: tools/setup.sh --board mps2-an385.
ifeq ($(CROSS_COMPILE),)
CROSS_COMPILE := arm-none-eabi-
endif
OPT := -Os
BOARD_CFLAGS := -mcpu=cortex-m3 -mthumb -ffunction-sections -fdata-sections \
                -DLUM_TLS12_ONLY -DLUM_TLS_HOSTED=0
BOARD_LDFLAGS = -mcpu=cortex-m3 -mthumb --specs=rdimon.specs -nostartfiles \
                -T boards/mps2-an385/mps2-an385.ld -Wl,--gc-sections \
                -Wl,--undefined=lum_board_vectors \
                -Wl,--wrap=snprintf,--wrap=vsnprintf,--wrap=sprintf,--wrap=printf,--wrap=vprintf,--wrap=fprintf,--wrap=vfprintf
# Start-up code and C99 printf formats for the tests (boards/common/printf.c says why);
# mk/boards.mk archives them and makes every program depend on the archive.
BOARD_RT_SRCS := boards/mps2-an385/startup.c boards/common/printf.c
BOARD_LDLIBS = $(BOARD_RT_LIB)
BOARD_TEST_CFLAGS := -Wno-format-truncation
# Compiled as the cortex-m4 firmware compiles it: with LTO (whole-program
# inlining across the SDK, mbedTLS and each test), so the unit tests run
# that code on a Cortex-M core. The start-up code and printf stay out of
# LTO, like a board support library: only the linker (--wrap) and libc
# refer to what they define.
BOARD_CFLAGS += -flto -ffat-lto-objects
BOARD_LDFLAGS += $(OPT) -flto -flto-partition=one -ffunction-sections -fdata-sections
AR := $(CROSS_COMPILE)gcc-ar
%/obj/boards/mps2-an385/startup.o %/obj/boards/common/printf.o: ALL_CFLAGS += -fno-lto
BOARD_PORTS :=
# The unit tests, no network (mk/test.mk). test_stream_big holds 100,000-SNP
# response bodies in memory (about 90 MB of heap): far more than the 16 MiB
# this board has, so it runs on the host and under qemu-user only.
BOARD_TEST_SUITES := unit
BOARD_SKIP_TESTS := test_stream_big
TLS_ENTROPY_HOOK := board
RUN := boards/mps2-an385/run.sh
