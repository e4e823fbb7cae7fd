"""HTTP/1.1 transport: keep-alive, chunked responses, routing strictness,
percent-decoding per segment, limits, idle timeout, clean shutdown."""

import json
import signal
import socket
import time
import unittest

from sandbox import C1, D1, TRAIT, Sandbox, SandboxTestCase, read_response

class ChunkedTests(SandboxTestCase):
    SERVER_ARGS = ("--chunked", "--chunk-size", "7", "--idle-timeout", "1")

    def test_chunked_response(self):
        s = self.sb.raw_socket()
        try:
            s.sendall(("GET /v1/products/%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n"
                       % (TRAIT, self.sb.token())).encode())
            status, headers, body, head = read_response(s)
            self.assertEqual(status, 200)
            self.assertEqual(headers["transfer-encoding"], "chunked")
            self.assertNotIn("content-length", headers)
            self.assertEqual(json.loads(body)["product_uuid"], TRAIT)
            # same connection, again (keep-alive after a chunked body)
            s.sendall(b"GET /v1/reference/genomes/ HTTP/1.1\r\nHost: x\r\n\r\n")
            status, headers, body, _ = read_response(s)
            self.assertEqual((status, headers["transfer-encoding"]), (401, "chunked"))
        finally:
            s.close()
        r = self.sb.request("GET", "/clients/%s/datasets/%s/snps/" % (C1, D1), product="trait-panel")
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.json()), 6)
        self.assertEqual(r.header("Transfer-Encoding"), "chunked")

    def test_empty_201_has_content_length(self):
        r = self.sb.request("POST", "/products/%s/authorizations/%s" % (TRAIT, "72574424-eb53-4c4e-a8a1-44afabcecda2"),
                            product="trait-panel")
        self.assertEqual((r.status, r.header("Content-Length"), r.header("Transfer-Encoding")), (201, "0", None))

    def test_idle_timeout_closes(self):
        s = self.sb.raw_socket()
        try:
            s.sendall(b"GET /v1/reference/genomes/ HTTP/1.1\r\nHost: x\r\n\r\n")
            read_response(s)
            t0 = time.time()
            s.settimeout(5)
            self.assertEqual(s.recv(100), b"")
            self.assertLess(time.time() - t0, 3)
        finally:
            s.close()


class RoutingTests(SandboxTestCase):
    TLS = False

    def raw(self, data):
        s = self.sb.raw_socket()
        try:
            s.sendall(data)
            return read_response(s)
        finally:
            s.close()

    def test_keep_alive(self):
        conn = self.sb.connection()
        try:
            for _ in range(3):
                r = self.sb.request("GET", "/products/" + TRAIT, product="trait-panel", conn=conn)
                self.assertEqual(r.status, 200)
            first = conn.sock
            self.sb.request("GET", "/reference/genomes/", product="trait-panel", conn=conn)
            self.assertIs(conn.sock, first)
        finally:
            conn.close()

    def test_404_and_405_json(self):
        for path in ("/nope", "/reference/genomes", "/products/%s/authorizations/" % TRAIT,
                     "/clients/%s/datasets/%s/snps" % (C1, D1), "/reference/genomes//chromosomes",
                     "/products//authorizations"):
            with self.subTest(path=path):
                r = self.sb.request("GET", path, product="trait-panel")
                self.assertEqual(r.status, 404, r)
                self.assertIn("message", r.json())
        for raw_path in ("/", "/v1", "/v2/products/" + TRAIT, "/_sandbox/ledger"):
            self.assertEqual(self.raw(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % raw_path).encode())[0], 404)
        for method in ("PUT", "DELETE", "PATCH", "FOO"):
            with self.subTest(method=method):
                r = self.sb.request(method, "/products/" + TRAIT, product="trait-panel")
                self.assertEqual(r.status, 405)
                self.assertEqual(r.header("Allow"), "GET, HEAD")
                self.assertIn("message", r.json())
        r = self.sb.request("GET", "/auth/jwt")
        self.assertEqual((r.status, r.header("Allow")), (405, "POST"))

    def test_head(self):
        r = self.sb.request("HEAD", "/products/" + TRAIT, product="trait-panel")
        self.assertEqual((r.status, r.body), (200, b""))
        self.assertGreater(int(r.header("Content-Length")), 100)

    def test_percent_decoding_per_segment(self):
        encoded = TRAIT.replace("-", "%2D")
        self.assertEqual(self.sb.request("GET", "/products/" + encoded, product="trait-panel").status, 200)
        # %2F stays inside the segment: an snpId 'rs1/x', not two segments
        r = self.sb.request("GET", "/clients/%s/datasets/%s/snps/rs1%%2Fx" % (C1, D1), product="whole-genome")
        self.assertEqual(r.status, 404)
        self.assertIn("rs1/x", r.json()["message"])
        self.assertEqual(self.sb.request("GET", "/clients/%s/datasets/%s/snps/rs1%%2Fx" % (C1, D1),
                                         product="trait-panel").status, 401)
        self.assertEqual(self.sb.request("GET", "/products/%FF", product="trait-panel").status, 404)

    def test_protocol_errors(self):
        self.assertEqual(self.raw(b"GET /v1/reference/genomes/ HTTP/1.1\r\n\r\n")[0], 400)   # no Host
        self.assertEqual(self.raw(b"GET /v1/reference/genomes/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")[0], 400)
        self.assertEqual(self.raw(b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")[0], 414)
        many = b"".join(b"X-H%d: v\r\n" % i for i in range(150))
        self.assertEqual(self.raw(b"GET / HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")[0], 431)
        self.assertEqual(self.raw(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n")[0], 505)
        self.assertEqual(self.raw(b"garbage\r\n\r\n")[0], 400)
        status, headers, body, _ = self.raw(b"GET /v1/reference/genomes/ HTTP/1.0\r\n\r\n")
        self.assertEqual((status, headers.get("connection")), (401, "close"))
        status, headers, body, _ = self.raw(b"GET http://127.0.0.1/v1/reference/genomes/ HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(status, 401)  # absolute-form target

    def test_admin_disabled(self):
        self.assertEqual(self.sb.request("GET", "/_sandbox/ledger").status, 404)
        self.assertEqual(self.sb.request("POST", "/_sandbox/faults", b"{}").status, 404)


class ShutdownTests(unittest.TestCase):
    def test_sigterm_with_idle_connections(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(sig=sig):
                sb = Sandbox()
                try:
                    s1 = sb.raw_socket()
                    s1.sendall(b"GET /v1/reference/genomes/ HTTP/1.1\r\nHost: x\r\n\r\n")
                    read_response(s1)
                    s2 = socket.create_connection(("127.0.0.1", sb.port))  # never handshakes
                    time.sleep(0.2)
                    t0 = time.time()
                    sb.proc.send_signal(sig)
                    rc = sb.proc.wait(5)
                    self.assertEqual(rc, 0)
                    self.assertLess(time.time() - t0, 1.0)
                    s1.close()
                    s2.close()
                finally:
                    sb.stop()


if __name__ == "__main__":
    unittest.main()
