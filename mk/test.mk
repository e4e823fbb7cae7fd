# make test / make demo: the two commands of README.
#
# make test runs, and totals in one "N passed, N failed" line:
#   - the unit tests (scripted transport; under $(RUN) on cross boards),
#   - the TLS port against openssl s_server,
#   - the sandbox's own tests,
#   - the end-to-end tests: the agent, the CLI and the examples against the
#     sandbox over TLS (the programs are passed in LUM_* variables).

PYTHON ?= python3

.PHONY: setup test demo check-shared
setup:
	@tools/setup.sh --board $(BOARD)

# The sandbox, the demo and the end-to-end tests read the shared data folder:
# say so at once rather than in every test that needs it.
check-shared:
	@test -f "$(SHARED_DIR)/data/reference/snps_grch37.tsv" || { \
	    echo "no shared data at $(SHARED_DIR) (expected data/reference/snps_grch37.tsv there):"; \
	    echo "clone next to the shared/ folder, or pass SHARED_DIR=/path/to/shared"; exit 2; } >&2

# What `make test` runs is the board's choice (BOARD_TEST_SUITES in
# boards/<name>/board.mk; by default everything the board can run):
#   unit       the unit tests (under $(RUN) on cross boards), except the
#              board's BOARD_SKIP_TESTS (each board.mk says why)
#   tls        port/mbedtls against openssl s_server
#   e2e        every end-to-end suite: agent, CLI, examples, operations
#   e2e-agent  the agent's suite alone, the agent run under $(RUN) (cross
#              boards: the other suites test nothing the board changes)
#   sandbox    the sandbox's own tests (Python, the same on every board)
# Recursive (=) on purpose: fragments included after this one define some
# of the names (TLS_TEST_BIN).
BOARD_TEST_SUITES ?= unit $(if $(BOARD_HAS_NETWORK),tls e2e) sandbox
BOARD_SKIP_TESTS ?=

SANDBOX_TESTS = $(PYTHON) tests/pyunit.py sandbox tools/sandbox/tests
TEST_PROGRAMS_unit = unit-tests
TEST_PROGRAMS_tls = $(TLS_TEST_BIN)
TEST_PROGRAMS_e2e = agent examples e2e-tools
TEST_PROGRAMS_e2e-agent = agent
TEST_COMMANDS_unit = $(filter-out $(BOARD_SKIP_TESTS:%=$(BUILD)/tests/%),$(UNIT_TESTS))
TEST_COMMANDS_tls = "tests/tls/run.sh $(TLS_TEST_BIN) $(RUN)"
TEST_COMMANDS_e2e = "$(PYTHON) tests/pyunit.py e2e tests/e2e"
TEST_COMMANDS_e2e-agent = "$(PYTHON) tests/pyunit.py e2e-agent tests/e2e test_agent.py"
TEST_COMMANDS_sandbox = "$(SANDBOX_TESTS)"
E2E_ENV := LUM_AGENT=$(abspath $(AGENT)) LUM_SNPS=$(abspath $(SNPS)) LUM_CLI=$(abspath $(CLI)) \
           LUM_OPS_CHECK=$(abspath $(OPS_CHECK)) LUM_AGENT_RUN="$(RUN)"

NEEDS_SHARED := $(filter sandbox e2e e2e-agent,$(BOARD_TEST_SUITES))
test: setup $(if $(NEEDS_SHARED),check-shared)
	@$(MAKE) --no-print-directory $(foreach s,$(BOARD_TEST_SUITES),$(TEST_PROGRAMS_$(s)))
	@$(if $(BOARD_SKIP_TESTS),echo "  not run on $(BOARD): $(BOARD_SKIP_TESTS) (see boards/$(BOARD)/board.mk)";)
	@$(E2E_ENV) tests/run.sh --run "$(RUN)" $(foreach s,$(BOARD_TEST_SUITES),$(TEST_COMMANDS_$(s)))

demo: setup check-shared
	@$(MAKE) --no-print-directory agent
	@AGENT_RUN="$(RUN)" tools/demo.sh $(AGENT)
