# make size / make stack (BOARD=cortex-m4): flash, RAM and stack figures.
#
#   make size BOARD=cortex-m4    per-module table of the SDK's objects and
#       sdk_text/data/bss; the agent firmware image with TLS 1.2 (the board's
#       default profile) and with TLS 1.2 + 1.3 (BOARD_TLS=tls13, built in
#       build/cortex-m4-tls13), both linked with LTO (BOARD_LTO, see the
#       board), each split by component from its symbols' debug info:
#       image_tls12_* and image_tls13_*; then tls_pool_peak: the host agent
#       built with the board's TLS profile (LUM_TLS_SMALL: TLS 1.2, 4096/2048
#       record buffers, max_fragment_length 2048, and the board's own
#       mbedTLS options, boards/cortex-m4/tls) run over TLS 1.2 against
#       the sandbox, printing the high-water mark of its TLS pool.
#   make stack BOARD=cortex-m4   rebuilds the image with -fstack-usage
#       -fcallgraph-info=su and without LTO (build/cortex-m4-stack: gcc's
#       call graph is per object, which is also how a program linking the
#       SDK archive without -flto gets it) and prints the deepest
#       call chain from any public SDK function (stack_worst_sdk) and from
#       the TLS transport's connect through the handshake (stack_worst_tls).
# Both print figures; nothing is asserted (tools/footprint.py says how).

SIZE_TOOL := $(CROSS_COMPILE)size
.PHONY: size stack

size: setup check-shared
	@test "$(BOARD)" = cortex-m4 || { echo "make size: use BOARD=cortex-m4 (the footprint build)"; exit 2; }
	@$(MAKE) --no-print-directory $(SDK_LIB) $(FIRMWARE)
	@$(MAKE) --no-print-directory BOARD_TLS=tls13 BUILD=build/cortex-m4-tls13 firmware
	@$(PYTHON) tools/footprint.py size --size $(SIZE_TOOL) --nm $(CROSS_COMPILE)nm --readelf $(CROSS_COMPILE)readelf --sdk-lib $(SDK_LIB) \
	    --image12 $(FIRMWARE) --image13 build/cortex-m4-tls13/lumminary-agent.elf
	@$(MAKE) --no-print-directory BOARD=posix BUILD=build/posix-m4-tls \
	    BOARD_CFLAGS="-DLUM_TLS_SMALL -Iboards/cortex-m4/tls -DMBEDTLS_USER_CONFIG_FILE='\"board_tls_config.h\"'" agent
	@tools/tls_pool_peak.sh build/posix-m4-tls/lumminary-agent

stack: setup
	@test "$(BOARD)" = cortex-m4 || { echo "make stack: use BOARD=cortex-m4 (the footprint build)"; exit 2; }
	@$(MAKE) --no-print-directory BUILD=build/cortex-m4-stack BOARD_LTO=0 EXTRA_CFLAGS="-fstack-usage -fcallgraph-info=su" firmware
	@$(PYTHON) tools/footprint.py stack --ci-dir build/cortex-m4-stack/obj/src \
	    --ci-dir build/cortex-m4-stack/obj/port --ci-dir build/cortex-m4-stack/mbedtls
