# make test / make demo: the two commands of README.
#
# make test runs, and totals in one "N passed, N failed" line:
#   - the unit tests (scripted transport; under $(RUN) on cross boards),
#   - the sandbox's own tests,
#   - the end-to-end tests: the agent against the sandbox over TLS.

PYTHON ?= python3

.PHONY: setup test demo
setup:
	@tools/setup.sh

E2E_TESTS := $(if $(BOARD_HAS_NETWORK),$(PYTHON) tests/pyunit.py e2e tests/e2e)
SANDBOX_TESTS := $(PYTHON) tests/pyunit.py sandbox tools/sandbox/tests

test: setup
	@$(MAKE) --no-print-directory unit-tests $(if $(BOARD_HAS_NETWORK),agent examples)
	@LUM_AGENT=$(abspath $(AGENT)) LUM_SNPS=$(abspath $(SNPS)) LUM_AGENT_RUN="$(RUN)" tests/run.sh --run "$(RUN)" \
	    $(UNIT_TESTS) "$(SANDBOX_TESTS)" $(if $(E2E_TESTS),"$(E2E_TESTS)")

demo: setup
	@$(MAKE) --no-print-directory agent
	@AGENT_RUN="$(RUN)" tools/demo.sh $(AGENT)
