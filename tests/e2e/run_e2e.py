"""ctest entry point: python3 run_e2e.py test_module[.Class[.test]] ...

Exits 77 (ctest SKIP_RETURN_CODE) when there is no PostgreSQL to test against, so a developer
without one sees "skipped", not "passed"; deploy/test.sh always provides one."""

import os
import signal
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import SKIP_EXIT_CODE  # noqa: E402


def interrupted(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")  # unwinds through the harness's cleanups


def main(names):
    signal.signal(signal.SIGTERM, interrupted)
    missing = [v for v in ("CENTINELA_TEST_PG", "CENTINELA_BIN", "CENTINELA_FAKE_PROVIDER_BIN") if not os.environ.get(v)]
    if missing:
        print(f"skipped: {', '.join(missing)} not set (deploy/test.sh sets them)", file=sys.stderr)
        return SKIP_EXIT_CODE
    suite = unittest.defaultTestLoader.loadTestsFromNames(names)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stderr).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["test_flow", "test_bad_input", "test_crash", "test_stop", "test_tls", "test_receipts", "test_night", "test_retract",
                                     "test_overload", "test_outage"]))
