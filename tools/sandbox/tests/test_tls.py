"""TLS: the generated CA verifies, SANs cover 127.0.0.1 and localhost, version
limits and key types; --no-tls serves plain HTTP."""

import json
import socket
import ssl
import subprocess
import unittest

from sandbox import TRAIT, SandboxTestCase, read_response

def handshake(sb, ctx, server_hostname="127.0.0.1"):
    s = socket.create_connection(("127.0.0.1", sb.port), timeout=10)
    return ctx.wrap_socket(s, server_hostname=server_hostname)


def key_algorithm(tls_sock):
    pem = ssl.DER_cert_to_PEM_cert(tls_sock.getpeercert(binary_form=True))
    out = subprocess.run(["openssl", "x509", "-noout", "-text"], input=pem.encode(), stdout=subprocess.PIPE,
                         check=True).stdout.decode()
    return "ec" if "id-ecPublicKey" in out else "rsa" if "rsaEncryption" in out else out


class DefaultTlsTests(SandboxTestCase):
    def test_verified_ec_tls13(self):
        self.assertTrue(self.sb.info["base_url"].startswith("https://127.0.0.1:"))
        for name in ("127.0.0.1", "localhost"):
            with self.subTest(server_hostname=name):
                s = handshake(self.sb, self.sb.ssl_context(), name)
                try:
                    self.assertEqual(s.version(), "TLSv1.3")
                    self.assertEqual(key_algorithm(s), "ec")
                    s.sendall(b"GET /v1/reference/genomes/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    self.assertEqual(read_response(s)[0], 401)
                finally:
                    s.close()

    def test_untrusted_and_wrong_name_fail(self):
        with self.assertRaises(ssl.SSLCertVerificationError):
            handshake(self.sb, ssl.create_default_context()).close()
        with self.assertRaises(ssl.SSLCertVerificationError):
            handshake(self.sb, self.sb.ssl_context(), "example.com").close()

    def test_tls12_client_also_works(self):
        s = handshake(self.sb, self.sb.ssl_context(maximum_version=ssl.TLSVersion.TLSv1_2))
        try:
            self.assertEqual(s.version(), "TLSv1.2")
        finally:
            s.close()

    def test_token_over_tls(self):
        self.assertEqual(self.sb.request("GET", "/products/" + TRAIT, product="trait-panel").status, 200)


class RsaTls12Tests(SandboxTestCase):
    # the combination mbedTLS hybrid clients trip over (mbedTLS issue 10668)
    SERVER_ARGS = ("--tls-key", "rsa", "--tls-max", "1.2")

    def test_rsa_tls12_only(self):
        s = handshake(self.sb, self.sb.ssl_context())
        try:
            self.assertEqual(s.version(), "TLSv1.2")
            self.assertEqual(key_algorithm(s), "rsa")
            self.assertIn("RSA", s.cipher()[0])
        finally:
            s.close()
        with self.assertRaises(ssl.SSLError):
            handshake(self.sb, self.sb.ssl_context(minimum_version=ssl.TLSVersion.TLSv1_3)).close()
        self.assertEqual(self.sb.request("GET", "/products/" + TRAIT, product="trait-panel").status, 200)


class PlainTests(SandboxTestCase):
    TLS = False

    def test_plain_http(self):
        info = self.sb.info
        self.assertEqual((info["scheme"], info["ca_file"]), ("http", None))
        self.assertEqual(info["base_url"], "http://127.0.0.1:%d/v1" % info["port"])
        self.assertEqual(sorted(info), ["base_url", "ca_file", "host", "ledger", "port", "products", "scheme",
                                        "state_dir"])
        self.assertEqual([p["name"] for p in info["products"]], ["trait-panel", "whole-genome"])
        self.assertEqual(self.sb.request("GET", "/products/" + TRAIT, product="trait-panel").status, 200)
        json.dumps(info)


if __name__ == "__main__":
    unittest.main()
