# An ARM router or single-board computer: arm-linux-gnueabihf (ARMv7,
# hard-float), static binaries. Same ports as the host (port/posix,
# port/mbedtls); `make BOARD=linux-armhf test` runs the unit tests and the
# agent's end-to-end test under qemu-user.
# Debian packages: tools/setup.sh --board linux-armhf.
ifeq ($(CROSS_COMPILE),)
CROSS_COMPILE := arm-linux-gnueabihf-
endif
BOARD_LDFLAGS := -static
BOARD_PORTS := posix mbedtls
BOARD_HAS_NETWORK := 1
BOARD_TEST_SUITES := unit e2e-agent
RUN := qemu-arm
