#!/usr/bin/env python3
"""Runs Python unittest suites and prints one line per test, the format
tests/run.sh counts: "PASS <suite>/<test>" or "FAIL <suite>/<test>: <why>".

    python3 tests/pyunit.py SUITE DIRECTORY [PATTERN]

Exit status 0 only if every test passed (skips count as passes of nothing).
"""

import sys
import unittest


class LineResult(unittest.TestResult):
    def __init__(self, suite):
        super().__init__()
        self.suite = suite

    def _name(self, test):
        # A class or module set-up that fails is reported on an _ErrorHolder,
        # which has a description but no test method.
        if not hasattr(test, "_testMethodName"):
            return "%s/%s" % (self.suite, str(test).replace(" ", ""))
        return "%s/%s.%s" % (self.suite, type(test).__name__, test._testMethodName)

    def addSuccess(self, test):
        super().addSuccess(test)
        print("PASS " + self._name(test), flush=True)

    def _fail(self, test, err, kind):
        lines = self._exc_info_to_string(err, test).strip().splitlines()
        why = lines[-1] if lines else kind
        where = [l.strip() for l in lines if l.strip().startswith('File "')]
        print("FAIL %s: %s%s" % (self._name(test), why[:300], (" (" + where[-1][:200] + ")") if where else ""),
              flush=True)
        sys.stderr.write("\n".join(lines) + "\n")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._fail(test, err, "failure")

    def addError(self, test, err):
        super().addError(test, err)
        self._fail(test, err, "error")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    suite_name, directory = sys.argv[1], sys.argv[2]
    pattern = sys.argv[3] if len(sys.argv) > 3 else "test_*.py"
    suite = unittest.defaultTestLoader.discover(directory, pattern=pattern, top_level_dir=directory)
    result = LineResult(suite_name)
    suite.run(result)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
