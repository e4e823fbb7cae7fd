#!/usr/bin/env python3
"""Run every sandbox test and print one line per test for the project's runner:

    PASS sandbox/<module>.<Class>.<test>
    FAIL sandbox/<module>.<Class>.<test>: <short reason>

Exit status 0 only if all passed.  Usage: python3 tools/sandbox/tests/run.py [-k PATTERN]
"""

import argparse
import os
import re
import sys
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def short_reason(err):
    exc_type, exc, _ = err
    lines = [l.strip() for l in traceback.format_exception_only(exc_type, exc)[-1].splitlines() if l.strip()]
    if any(l.startswith("Traceback") for l in lines):
        lines = ["%s: %s" % (exc_type.__name__, lines[-1])]  # e.g. a test module that failed to import
    text = " ".join(lines) or exc_type.__name__
    return text if len(text) <= 240 else text[:237] + "..."


class LineResult(unittest.TestResult):
    def __init__(self, stream):
        super().__init__()
        self.out = stream
        self.passed = self.failed_count = 0
        self._reason = None

    def _emit(self, name, reason):
        if reason is None:
            self.passed += 1
            self.out.write("PASS sandbox/%s\n" % name)
        else:
            self.failed_count += 1
            self.out.write("FAIL sandbox/%s: %s\n" % (name, reason))
        self.out.flush()

    @staticmethod
    def _name(test):
        return test.id()

    def startTest(self, test):
        super().startTest(test)
        self._reason = None

    def _record(self, test, err, prefix=""):
        if not isinstance(test, unittest.TestCase) or not hasattr(test, "_testMethodName"):
            # class or module set-up failed: no startTest/stopTest for it;
            # "setUpClass (mod.Class)" -> "mod.Class.setUpClass"
            desc = str(test)
            m = re.fullmatch(r"(\w+) \((.+)\)", desc)
            self._emit("%s.%s" % (m.group(2), m.group(1)) if m else desc, short_reason(err))
            return
        if self._reason is None:
            self._reason = prefix + short_reason(err)

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, err)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, err)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._record(test, err, "%s: " % subtest._subDescription())

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._reason = "skipped: %s" % reason

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._reason = "unexpected success"

    def stopTest(self, test):
        super().stopTest(test)
        self._emit(self._name(test), self._reason)


def main(argv=None):
    p = argparse.ArgumentParser(description="Run the sandbox tests, one PASS/FAIL line each.")
    p.add_argument("-k", dest="patterns", action="append", help="only tests whose id contains this substring")
    args = p.parse_args(argv)
    sys.path.insert(0, HERE)
    loader = unittest.TestLoader()
    if args.patterns:
        loader.testNamePatterns = ["*%s*" % k for k in args.patterns]
    suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = LineResult(sys.stdout)
    suite.run(result)
    # unittest runs class/module clean-ups at the end of the suite run
    total = result.passed + result.failed_count
    sys.stderr.write("sandbox tests: %d passed, %d failed, %d total\n" % (result.passed, result.failed_count, total))
    return 0 if result.failed_count == 0 and total > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
