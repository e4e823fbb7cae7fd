"""The ledger writer and the ledger.py summary script."""

import os
import subprocess
import sys
import tempfile
import threading
import unittest

# sandbox first: importing it puts tools/sandbox on sys.path
from sandbox import SANDBOX
import ledger

class LedgerTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.path = os.path.join(self.dir, "ledger.jsonl")

    def tearDown(self):
        for f in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, f))
        os.rmdir(self.dir)

    def test_concurrent_appends_are_whole_lines(self):
        lg = ledger.Ledger(self.path)

        def work(t):
            for i in range(50):
                lg.append({"type": "done", "authorization_uuid": "a%d-%d" % (t, i), "sequence_number": i,
                           "client_uuid": "c"})
        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        lg.close()
        entries = ledger.read(self.path)
        self.assertEqual(len(entries), 200)
        self.assertEqual(len({e["authorization_uuid"] for e in entries}), 200)

    def test_summary_script(self):
        lg = ledger.Ledger(self.path)
        lg.append({"time": 1, "type": "file", "product_uuid": "p", "authorization_uuid": "auth-1",
                   "sequence_number": 1, "client_uuid": "cust-1", "filename": "r.pdf", "bytes": 1234,
                   "sha256": "x", "path": "/p"})
        lg.append({"time": 2, "type": "credentials", "product_uuid": "p", "authorization_uuid": "auth-2",
                   "sequence_number": 2, "client_uuid": "cust-2", "credentials_username": "u",
                   "credentials_password": "p", "report_url": None})
        lg.append({"time": 3, "type": "done", "product_uuid": "p", "authorization_uuid": "auth-3",
                   "sequence_number": 3, "client_uuid": "cust-3"})
        lg.close()
        with open(self.path, "a") as f:
            f.write("not json\n")
        out = subprocess.run([sys.executable, os.path.join(SANDBOX, "ledger.py"), self.path],
                             stdout=subprocess.PIPE, check=True).stdout.decode()
        lines = out.splitlines()
        self.assertEqual(lines[0].split(), ["seq", "authorization_uuid", "customer", "type", "filename", "bytes"])
        self.assertEqual(lines[2].split(), ["1", "auth-1", "cust-1", "file", "r.pdf", "1234"])
        self.assertEqual(lines[3].split(), ["2", "auth-2", "cust-2", "credentials"])
        self.assertIn("totals:", lines)
        self.assertRegex(out, r"file\s+1\s+1234 bytes")
        self.assertRegex(out, r"credentials\s+1")
        self.assertRegex(out, r"done\s+1")
        self.assertRegex(out, r"all\s+3")
        r = subprocess.run([sys.executable, os.path.join(SANDBOX, "ledger.py"), self.path + ".missing"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()
