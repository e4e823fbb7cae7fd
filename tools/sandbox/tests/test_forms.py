"""Strict form parsing in-process, and request bodies through the server
(Content-Type checks, chunked bodies, Content-Length mismatches, size limit)."""

import time
import unittest
import urllib.parse

# sandbox first: importing it puts tools/sandbox on sys.path
from sandbox import TRAIT, SandboxTestCase, read_response
import forms

B = "xYzZY"
CT = "multipart/form-data; boundary=" + B


def mp(*parts, close=True):
    body = b"".join(b"--" + B.encode() + b"\r\n" + p + b"\r\n" for p in parts)
    return body + (b"--" + B.encode() + b"--\r\n" if close else b"")


FIELD = b'Content-Disposition: form-data; name="a"\r\n\r\nvalue 1'
FILE = b'Content-Disposition: form-data; name="f"; filename="r.txt"\r\nContent-Type: text/plain\r\n\r\nline\r\n2'


class MultipartUnitTests(unittest.TestCase):
    def test_valid(self):
        f = forms.parse(CT, mp(FIELD, FILE))
        self.assertEqual(f.fields, {"a": "value 1"})
        self.assertEqual((f.files["f"].filename, f.files["f"].data, f.files["f"].content_type),
                         ("r.txt", b"line\r\n2", "text/plain"))
        # no epilogue CRLF, quoted boundary, case-insensitive names, empty value, filename*
        body = mp(FIELD).rstrip(b"\r\n")
        self.assertEqual(forms.parse('Multipart/Form-Data; charset=utf-8; boundary="%s"' % B, body).fields["a"],
                         "value 1")
        f = forms.parse(CT, mp(b'content-disposition: FORM-DATA; NAME="e"\r\n\r\n'))
        self.assertEqual(f.fields, {"e": ""})
        f = forms.parse(CT, mp(b"Content-Disposition: form-data; name=\"g\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt"
                               b"\r\n\r\nx"))
        self.assertEqual(f.files["g"].filename, "r\u00e9sum\u00e9.txt")
        # a boundary-like string inside data that is not preceded by CRLF is data
        f = forms.parse(CT, mp(b'Content-Disposition: form-data; name="h"\r\n\r\nx--' + B.encode() + b"y"))
        self.assertEqual(f.fields["h"], "x--%sy" % B)
        self.assertEqual(forms.parse(CT, mp(FIELD, FIELD.replace(b"value 1", b"second"))).fields["a"], "value 1")

    def test_malformed(self):
        good = mp(FIELD)
        cases = {
            "preamble": b"junk\r\n" + good,
            "no closing boundary": mp(FIELD, close=False),
            "LF line endings": good.replace(b"\r\n", b"\n"),
            "bare LF in headers": mp(b'Content-Disposition: form-data; name="a"\nX: y\r\n\r\nv'),
            "no name": mp(b"Content-Disposition: form-data\r\n\r\nv"),
            "not form-data": mp(b'Content-Disposition: attachment; name="a"\r\n\r\nv'),
            "no disposition": mp(b"Content-Type: text/plain\r\n\r\nv"),
            "no blank line": mp(b'Content-Disposition: form-data; name="a"'),
            "header without colon": mp(b'Content-Disposition: form-data; name="a"\r\nbogus\r\n\r\nv'),
            "folded header": mp(b'Content-Disposition: form-data;\r\n name="a"\r\n\r\nv'),
            "junk after close": good + b"trailing",
            "boundary line junk": good.replace(b"--" + B.encode() + b"\r\n", b"--" + B.encode() + b"  \r\n", 1),
            "unterminated quote": mp(b'Content-Disposition: form-data; name="a\r\n\r\nv'),
            "non-utf8 field": mp(b'Content-Disposition: form-data; name="a"\r\n\r\n\xff'),
            "empty body": b"",
        }
        for name, body in cases.items():
            with self.subTest(name):
                with self.assertRaises(forms.FormError):
                    forms.parse(CT, body)

    def test_content_types(self):
        for ct in (None, "", "application/json", "multipart/form-data", "multipart/form-data; boundary=",
                   "multipart/form-data; boundary=" + "x" * 71, "text/plain", "application/x-www-form-urlencoded; charset=latin-1",
                   "multipart/form-data; boundary=a; boundary=b", "multipart/form-data boundary=a"):
            with self.subTest(ct=ct):
                with self.assertRaises(forms.FormError):
                    forms.parse(ct, b"a=b")


class UrlencodedUnitTests(unittest.TestCase):
    def test_valid(self):
        f = forms.parse("application/x-www-form-urlencoded", b"a=1+2&b=%2B%2F%3D&c=&a=dup&d=%C3%A9")
        self.assertEqual(f.fields, {"a": "1 2", "b": "+/=", "c": "", "d": "\u00e9"})
        self.assertEqual(forms.parse("Application/X-WWW-Form-Urlencoded; charset=UTF-8", b"").fields, {})

    def test_malformed(self):
        for body in (b"a", b"a=1&&b=2", b"a=1&", b"=1", b"a=%zz", b"a=%4", b"a=\xc3\xa9", b"a=%ff", b'a=["x"]',
                     b"a=1 2", b"a=1\r\n"):
            with self.subTest(body=body):
                with self.assertRaises(forms.FormError):
                    forms.parse("application/x-www-form-urlencoded", body)


class BodyServerTests(SandboxTestCase):
    SERVER_ARGS = ("--no-tls", "--idle-timeout", "1", "--max-body", "100000")

    def raw(self, data, sock=None):
        s = sock or self.sb.raw_socket()
        try:
            s.sendall(data)
            return read_response(s)
        finally:
            if sock is None:
                s.close()

    def jwt_body(self):
        p = self.sb.products["trait-panel"]
        return urllib.parse.urlencode({"username": p["product_uuid"], "password": p["api_key"],
                                       "role": "role_product"}).encode()

    def test_chunked_request_body(self):
        body = self.jwt_body()
        chunks = b"".join(b"%X\r\n%s\r\n" % (len(body[i:i + 10]), body[i:i + 10]) for i in range(0, len(body), 10))
        status, _, resp, _ = self.raw(b"POST /v1/auth/jwt HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                      b"application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
                                      + chunks + b"0\r\n\r\n")
        self.assertEqual(status, 200, resp)

    def test_malformed_chunked_400_and_close(self):
        head = b"POST /v1/auth/jwt HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        for bad in (b"Transfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n",
                    b"Transfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
                    b"Transfer-Encoding: chunked\r\n\r\n2\nab\r\n0\r\n\r\n",
                    b"Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n1\r\na\r\n0\r\n\r\n",
                    b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"):
            with self.subTest(bad=bad):
                s = self.sb.raw_socket()
                try:
                    status, headers, _, _ = self.raw(head + bad, s)
                    self.assertIn(status, (400, 501))
                    self.assertEqual(headers.get("connection"), "close")
                    self.assertEqual(s.recv(100), b"")
                finally:
                    s.close()

    def test_content_length_mismatch(self):
        body = self.jwt_body()
        # longer than announced: the extra bytes are read as the next request -> 400
        s = self.sb.raw_socket()
        try:
            req = (b"POST /v1/auth/jwt HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                   b"Content-Length: %d\r\n\r\n" % len(body)) + body + b"&extra=1\r\n\r\n"
            status, _, _, _ = self.raw(req, s)
            self.assertEqual(status, 200)
            status, headers, _, _ = read_response(s)
            self.assertEqual(status, 400)
            self.assertEqual(headers.get("connection"), "close")
        finally:
            s.close()
        # shorter than announced: 400 once the read times out (--idle-timeout 1)
        t0 = time.time()
        status, headers, resp, _ = self.raw(b"POST /v1/auth/jwt HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                            b"application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n"
                                            % (len(body) + 10) + body)
        self.assertEqual(status, 400, resp)
        self.assertGreater(time.time() - t0, 0.5)
        for bad in (b"abc", b"-1", b"1, 2"):
            status, _, _, _ = self.raw(b"POST /v1/auth/jwt HTTP/1.1\r\nHost: x\r\nContent-Length: " + bad +
                                       b"\r\n\r\n")
            self.assertEqual(status, 400)

    def test_body_too_large_413(self):
        status, headers, _, _ = self.raw(b"POST /v1/auth/jwt HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                         b"application/x-www-form-urlencoded\r\nContent-Length: 200000\r\n\r\n")
        self.assertEqual(status, 413)
        self.assertEqual(headers.get("connection"), "close")
        big = b"%x\r\n" % 150000 + b"a" * 150000 + b"\r\n0\r\n\r\n"
        status, _, _, _ = self.raw(b"POST /v1/auth/jwt HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                   b"application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n" + big)
        self.assertEqual(status, 413)

    def test_form_content_type_rules(self):
        body = self.jwt_body()
        for ct in ("application/json", "text/plain", None):
            with self.subTest(ct=ct):
                r = self.sb.request("POST", "/auth/jwt", body, {"Content-Type": ct} if ct else {})
                self.assertStatus(r, 400)
        # credentials: empty body without Content-Type is an empty form; a wrong type is not
        path = "/products/%s/authorizations/%s/credentials" % (TRAIT, "a505613f-5fda-4f89-8ac0-b71459ff407c")
        r = self.sb.request("POST", path, b"x=1", {"Content-Type": "application/json"}, product="trait-panel")
        self.assertStatus(r, 400)
        self.assertEqual(self.sb.ledger(), [])


if __name__ == "__main__":
    unittest.main()
