# make bench: figures, not tests (nothing is asserted; machines are noisy).
#
#   lum-bench     (tests/bench) the SDK's decoder from memory, and one
#                 get_client_snp_group over TLS, with a heap-allocation counter
#   run.py        drives it, the sandbox, the agent and the curl + Python
#                 yardstick, and prints one key=value line per figure
#
# Host board only: the malloc counter forwards to glibc.

BENCH_SRCS := $(sort $(wildcard tests/bench/*.c))
BENCH_OBJS := $(BENCH_SRCS:%.c=$(BUILD)/obj/%.o)
BENCH := $(BUILD)/lum-bench
BENCH_SNPS ?= 1000000

$(BENCH_OBJS): ALL_CFLAGS += -Iport/posix $(MBEDTLS_INCLUDES)
$(BENCH_OBJS): | $(DEPS)/jsmn/jsmn.h $(MBEDTLS_STAMP)

$(BENCH): $(BENCH_OBJS) $(PORT_MBEDTLS_LIB) $(PORT_POSIX_LIB) $(SDK_LIB) $(MBEDTLS_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(BENCH_OBJS) $(PORT_MBEDTLS_LIB) $(PORT_POSIX_LIB) $(SDK_LIB) \
	    $(MBEDTLS_LIB) $(PORT_MBEDTLS_LIB) $(BOARD_LDLIBS)

bench: setup check-shared
	@test "$(BOARD)" = posix || { echo "make bench runs on BOARD=posix only"; exit 2; }
	@$(MAKE) --no-print-directory $(BENCH) agent
	@$(PYTHON) tests/bench/run.py --bench $(BENCH) --agent $(AGENT) --snps $(BENCH_SNPS)

-include $(BENCH_OBJS:.o=.d)
