# A MIPS router (OpenWrt-like): big-endian mips-linux-gnu, static binaries.
# Same ports as the host (port/posix for TCP, clock and entropy, port/mbedtls
# for TLS); `make BOARD=linux-mips test` runs the unit tests and the agent's
# end-to-end test under qemu-user (qemu-mips runs static binaries directly).
# Debian packages: tools/setup.sh --board linux-mips.
ifeq ($(CROSS_COMPILE),)
CROSS_COMPILE := mips-linux-gnu-
endif
BOARD_LDFLAGS := -static
BOARD_PORTS := posix mbedtls
BOARD_HAS_NETWORK := 1
BOARD_TEST_SUITES := unit e2e-agent
RUN := qemu-mips
