# Fuzz targets: tests/fuzz/fuzz_*.c, each a libFuzzer program built with
# clang under ASan + UBSan into build/fuzz. Not part of `make test`.
#
#   make fuzz                   build every target and run each FUZZ_SECONDS
#   make fuzz FUZZ_SECONDS=600  longer runs
#   make fuzz-build             only build (build/fuzz/fuzz_<name>)
#   make fuzz-<name>            build and run one target, e.g. make fuzz-json
#
# Each target starts from its seed corpus in tests/fuzz/corpus/<target>/ and
# keeps what it learns in build/fuzz/corpus/<target>/ (never committed).
# A crash leaves its input in build/fuzz/artifacts/; reproduce it with
# build/fuzz/fuzz_<name> build/fuzz/artifacts/crash-...

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_ARGS ?=
FUZZ_DIR := build/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c99 $(WARN) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
               -Iinclude -Isrc -Itests -I$(DEPS)/jsmn -MMD -MP

FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_LIB_OBJS := $(SDK_SRCS:%.c=$(FUZZ_DIR)/obj/%.o) \
                 $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(sort $(wildcard tests/support/*.c)))

$(FUZZ_DIR)/obj/%.o: %.c | $(DEPS)/jsmn/jsmn.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^

.PHONY: fuzz fuzz-build $(FUZZ_NAMES:%=fuzz-%)
fuzz-build: $(FUZZ_BINS)

# Runs one target for FUZZ_SECONDS; fails if it finds a crash, leak or timeout.
$(FUZZ_NAMES:%=fuzz-%): fuzz-%: $(FUZZ_DIR)/fuzz_%
	@mkdir -p $(FUZZ_DIR)/corpus/$* $(FUZZ_DIR)/artifacts
	$(FUZZ_DIR)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=1024 \
	    -artifact_prefix=$(FUZZ_DIR)/artifacts/$*- -print_final_stats=1 $(FUZZ_ARGS) \
	    $(FUZZ_DIR)/corpus/$* tests/fuzz/corpus/$*

fuzz: $(FUZZ_NAMES:%=fuzz-%)

-include $(FUZZ_LIB_OBJS:.o=.d) $(FUZZ_SRCS:%.c=$(FUZZ_DIR)/obj/%.d)

# Keep the objects between runs (they are intermediate files to make).
.SECONDARY: $(FUZZ_LIB_OBJS) $(FUZZ_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
