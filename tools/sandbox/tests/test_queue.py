"""The authorization queue, results, states and the ledger (one server per test)."""

import hashlib
import os
import subprocess
import sys
import unittest

from sandbox import AUTHS, C1, C2, D1, SANDBOX, TRAIT, WHOLE_AUTH, Sandbox, multipart, read_response

QUEUE = "/products/%s/authorizations" % TRAIT


def auth_path(i, suffix=""):
    return "/products/%s/authorizations/%s%s" % (TRAIT, AUTHS[i], suffix)


class QueueTests(unittest.TestCase):
    def setUp(self):
        self.sb = Sandbox()
        self.addCleanup(self.sb.stop)

    def get(self, path, **kw):
        return self.sb.request("GET", path, product="trait-panel", **kw)

    def post(self, path, body=None, headers=None):
        return self.sb.request("POST", path, body, headers, product="trait-panel")

    def seqs(self, query=""):
        r = self.get(QUEUE + query)
        self.assertEqual(r.status, 200, r)
        return [a["sequence_number"] for a in r.json()]

    def upload(self, i, data=b"report\n", filename="report.txt", query="?original_filename=apoe-report.txt",
               fields=None):
        body, ctype = multipart(fields or {}, [("file_report", filename, data)])
        return self.post(auth_path(i, "/file" + query), body, {"Content-Type": ctype})

    def test_queue_order_and_models(self):
        r = self.get(QUEUE)
        self.assertEqual(r.status, 200)
        q = r.json()
        self.assertEqual([a["authorization_uuid"] for a in q], AUTHS)
        self.assertEqual([a["sequence_number"] for a in q], [1, 2, 3, 4, 5, 6])
        a1 = q[0]
        self.assertEqual(list(a1), ["authorization_uuid", "client_uuid", "create_timestamp", "is_active", "order",
                                    "product_uuid", "report_credentials", "report_files", "scopes",
                                    "sequence_number", "state"])
        self.assertEqual(a1["client_uuid"], C1)
        self.assertEqual(a1["scopes"]["dataset"], D1)
        self.assertEqual(sorted(a1["scopes"]), ["dataset", "email", "name"])
        self.assertEqual(list(a1["scopes"]["name"]), ["first_name", "last_name"])
        self.assertEqual(q[1]["client_uuid"], C2)
        self.assertEqual(sorted(q[2]["scopes"]), ["address", "dataset", "name", "sex"])
        self.assertFalse(q[3]["is_active"])  # revoked stays in the queue
        self.assertEqual(q[4]["state"], "authorization_state_pending_dataset")
        self.assertNotIn("dataset", q[4]["scopes"])
        self.assertNotIn("order", q[4])
        self.assertEqual(sorted(q[5]["scopes"]), ["dataset", "login"])
        self.assertEqual({a["state"] for i, a in enumerate(q) if i != 4}, {"authorization_state_fulfillable"})
        # the whole-genome product sees only its own
        r = self.sb.request("GET", "/products/08682628-6680-4d25-9730-c627a69d4017/authorizations",
                            product="whole-genome")
        self.assertEqual([a["authorization_uuid"] for a in r.json()], [WHOLE_AUTH])

    def test_seq_num_start(self):
        self.assertEqual(self.seqs("?seq_num_start=3"), [3, 4, 5, 6])
        self.assertEqual(self.seqs("?seq_num_start=6"), [6])
        self.assertEqual(self.seqs("?seq_num_start=7"), [])
        self.assertEqual(self.seqs("?seq_num_start="), [1, 2, 3, 4, 5, 6])
        self.assertEqual(self.seqs("?seq_num_start=-5"), [1, 2, 3, 4, 5, 6])
        for bad in ("abc", "1.5", "0x3", "3a", "%20"):
            with self.subTest(bad=bad):
                self.assertEqual(self.get(QUEUE + "?seq_num_start=" + bad).status, 400)

    def test_each_result_kind_leaves_queue(self):
        data = b"APOE: e3/e4 (information, not a diagnosis)\n" * 50
        r = self.upload(0, data)
        self.assertEqual(r.status, 201, r)
        rf = r.json()
        self.assertEqual(list(rf), ["authorization_uuid", "create_timestamp", "file_location", "report_file_uuid"])
        self.assertEqual(rf["file_location"]["filename_original"], "apoe-report.txt")
        self.assertEqual(rf["file_location"]["host"], "sandbox")
        with open(rf["file_location"]["path"], "rb") as f:
            self.assertEqual(f.read(), data)
        self.assertEqual(self.seqs(), [2, 3, 4, 5, 6])

        r = self.sb.form("POST", auth_path(1, "/credentials"),
                         {"credentials_username": "u1", "credentials_password": "p w+&=", "report_url":
                          "https://trait-panel.example/r/1"}, product="trait-panel")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(list(r.json()), ["authorization_uuid", "client_password", "client_username",
                                          "create_timestamp", "report_credentials_uuid", "report_url"])
        self.assertEqual(r.json()["client_password"], "p w+&=")
        self.assertEqual(self.seqs(), [3, 4, 5, 6])

        r = self.post(auth_path(2))
        self.assertEqual((r.status, r.body, r.header("Content-Length")), (201, b"", "0"))
        self.assertEqual(self.seqs(), [4, 5, 6])

        r = self.post(auth_path(5, "/unfulfillable"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["state"], "authorization_state_not_fulfillable")
        self.assertEqual(self.seqs(), [4, 5])

        states = {i: self.get(auth_path(i)).json() for i in (0, 1, 2, 5)}
        self.assertEqual(states[0]["state"], "authorization_state_result_available")
        self.assertEqual(states[0]["report_files"], [rf])
        self.assertEqual(states[1]["report_credentials"][0]["client_username"], "u1")
        self.assertEqual(states[2]["state"], "authorization_state_result_available")
        self.assertEqual(states[5]["state"], "authorization_state_not_fulfillable")

        ledger = self.sb.ledger()
        self.assertEqual([e["type"] for e in ledger], ["file", "credentials", "done", "unfulfillable"])
        self.assertEqual([e["authorization_uuid"] for e in ledger], [AUTHS[0], AUTHS[1], AUTHS[2], AUTHS[5]])
        self.assertEqual([e["sequence_number"] for e in ledger], [1, 2, 3, 6])
        f = ledger[0]
        self.assertEqual((f["filename"], f["bytes"], f["sha256"], f["path"], f["client_uuid"], f["product_uuid"]),
                         ("apoe-report.txt", len(data), hashlib.sha256(data).hexdigest(),
                          rf["file_location"]["path"], C1, TRAIT))
        self.assertIsInstance(f["time"], (int, float))
        self.assertEqual((ledger[1]["credentials_username"], ledger[1]["credentials_password"],
                          ledger[1]["report_url"]), ("u1", "p w+&=", "https://trait-panel.example/r/1"))

        out = subprocess.run([sys.executable, os.path.join(SANDBOX, "ledger.py"), self.sb.info["ledger"]],
                             stdout=subprocess.PIPE, check=True).stdout.decode()
        self.assertIn(AUTHS[0], out)
        self.assertIn("apoe-report.txt", out)
        self.assertRegex(out, r"file\s+1\s+%d bytes" % len(data))
        self.assertRegex(out, r"all\s+4")

    def test_revoked_and_unknown(self):
        body, ctype = multipart({}, [("file_report", "r.txt", b"x")])
        for path, b, h in ((auth_path(3, "/file?original_filename=r.txt"), body, {"Content-Type": ctype}),
                           (auth_path(3, "/credentials"), b"", {"Content-Type": "application/x-www-form-urlencoded"}),
                           (auth_path(3), None, None), (auth_path(3, "/unfulfillable"), None, None)):
            with self.subTest(path=path):
                self.assertEqual(self.post(path, b, h).status, 401)
        self.assertEqual(self.get(auth_path(3)).json()["is_active"], False)
        self.assertEqual(self.post("/products/%s/authorizations/%s" % (TRAIT, "nope")).status, 404)
        self.assertEqual(self.post("/products/%s/authorizations/%s" % (TRAIT, WHOLE_AUTH)).status, 401)
        self.assertEqual(self.sb.ledger(), [])
        self.assertEqual(self.seqs(), [1, 2, 3, 4, 5, 6])

    def test_duplicates_recorded(self):
        self.assertEqual(self.post(auth_path(2)).status, 201)
        self.assertEqual(self.post(auth_path(2)).status, 201)
        self.assertEqual(self.upload(2).status, 201)
        self.assertEqual([e["type"] for e in self.sb.ledger()], ["done", "done", "file"])
        self.assertEqual(len(self.get(auth_path(2)).json()["report_files"]), 1)

    def test_concurrent_results(self):
        # 4 threads x 5 posts on one authorization: every post answered and ledgered once
        import threading
        token = self.sb.token()
        errors, statuses = [], []

        def worker():
            conn = self.sb.connection()
            try:
                for _ in range(5):
                    r = self.sb.request("POST", auth_path(0), token=token, conn=conn)
                    statuses.append(r.status)
            except Exception as e:  # reported below
                errors.append(e)
            finally:
                conn.close()
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(errors, [])
        self.assertEqual(statuses, [201] * 20)
        ledger = self.sb.ledger()
        self.assertEqual(len(ledger), 20)
        self.assertEqual({e["authorization_uuid"] for e in ledger}, {AUTHS[0]})

    def test_original_filename_sources(self):
        r = self.upload(0, query="", fields={"original_filename": "from-form.pdf"})
        self.assertEqual(r.json()["file_location"]["filename_original"], "from-form.pdf")
        r = self.upload(0, query="?original_filename=from-query.pdf", fields={"original_filename": "from-form.pdf"})
        self.assertEqual(r.json()["file_location"]["filename_original"], "from-query.pdf")
        r = self.upload(0, query="", filename="part-name.txt")
        self.assertEqual(r.json()["file_location"]["filename_original"], "part-name.txt")
        self.assertEqual(self.upload(0, query="", filename="").status, 400)
        # file_report as a plain field (no filename) is not a file
        body, ctype = multipart({"file_report": "abc"})
        self.assertEqual(self.post(auth_path(0, "/file?original_filename=x"), body, {"Content-Type": ctype}).status, 400)
        body = b"file_report=abc"
        self.assertEqual(self.post(auth_path(0, "/file?original_filename=x"), body,
                                   {"Content-Type": "application/x-www-form-urlencoded"}).status, 400)
        self.assertEqual(len(self.sb.ledger()), 3)

    def test_chunked_upload(self):
        data = bytes(range(256)) * 300
        body, ctype = multipart({}, [("file_report", "bin.dat", data)])
        s = self.sb.raw_socket()
        try:
            head = ("POST /v1%s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n" % (auth_path(1, "/file?original_filename=bin.dat"),
                                                             self.sb.token(), ctype)).encode()
            pieces = [body[i:i + 1000] for i in range(0, len(body), 1000)]
            s.sendall(head + b"".join(b"%x;ext=1\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\nX-T: 1\r\n\r\n")
            status, headers, resp, _ = read_response(s)
        finally:
            s.close()
        self.assertEqual(status, 201, resp)
        e = self.sb.ledger()[0]
        self.assertEqual((e["bytes"], e["sha256"]), (len(data), hashlib.sha256(data).hexdigest()))


if __name__ == "__main__":
    unittest.main()
