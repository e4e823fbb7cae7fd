# The host: Linux or another POSIX system, native compiler.
# Uses port/posix for TCP, clock and entropy, port/mbedtls for TLS.
BOARD_PORTS := posix mbedtls
BOARD_HAS_NETWORK := 1
