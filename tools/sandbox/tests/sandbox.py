"""Test helpers: start the real server as a subprocess and talk HTTP to it.

Every server is started on 127.0.0.1 --port 0 with its own temporary state
directory and is always terminated (killed if it does not stop), also when a
test fails.
"""

import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.parse
import weakref

TESTS = os.path.dirname(os.path.abspath(__file__))
SANDBOX = os.path.dirname(TESTS)
SERVER = os.path.join(SANDBOX, "server.py")
sys.path.insert(0, SANDBOX)

import reference  # noqa: E402

DATA_DIR = reference.default_data_dir()

# seed facts the tests rely on
TRAIT = "ef876efe-2080-4359-b7db-6407090aca55"
WHOLE = "08682628-6680-4d25-9730-c627a69d4017"
BENCH = "7e4994c0-c144-4d35-b530-d17d7816b9ad"
C1, D1 = "9d600268-9e3d-4a2f-93d3-5cb8f718f8ab", "482f486c-0575-45fb-83e9-269622814029"
C2, D2 = "e98391fc-2fbc-4313-96af-98f8f9410516", "928e4c6a-281c-4289-9856-5e09f437bfcc"
C3, D3 = "c8a63f54-a16f-4579-8a69-c5e94cab8a7a", "fc0e731a-2888-43c1-a057-c7008d672de0"
C4, D4 = "6e9d0808-54e8-4d8d-9611-0dd76dcd9d3d", "0ce6b84a-e9c5-4a5a-9194-1870b116430c"
C5 = "ca836adb-a41c-4722-bf19-3956e4146132"
C6, D6 = "c75314ca-ec2d-4b8b-9051-c320aad354da", "bcb47700-e948-4484-a0ed-f5af999c0972"
C7 = "394689e7-abcf-412d-98ad-af643de37898"
GALLERY = {
    "23andme_2011": "afe6b282-705d-4392-8929-77c3e81c2d66",
    "ancestry_v1": "e766b3d9-6b8c-4b62-ad13-d7698669a878",
    "ancestry_v2": "52365002-2669-4924-9ecb-a0e0c15c5105",
    "ancestry_zip": "8e49bc80-d605-4299-842d-38688412ed2f",
    "ftdna": "5063c09d-5e82-4a11-aad7-f33d38f58cfc",
    "myheritage": "07ab26b2-a954-48dc-a276-8050fb68ae4a",
}
AUTHS = ["21dde439-f110-4307-85e7-d4f474a4a39a", "f1b9dbdb-5e25-4240-9cdb-fbcda4c62d06",
         "a505613f-5fda-4f89-8ac0-b71459ff407c", "7fa2a6a4-aa49-4b57-baa1-fe554850730d",
         "4ef8d687-754c-4f84-b3be-95ccce59a358", "72574424-eb53-4c4e-a8a1-44afabcecda2"]
WHOLE_AUTH = "e65bee7c-e13d-4f5e-9e12-1297e0546146"


def reference_tsv(name):
    """A reference table of shared/data/reference, read as the tests expect
    it (rows as dicts; not through the sandbox's own loader)."""
    with open(os.path.join(DATA_DIR, "reference", name), encoding="utf-8-sig") as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def reference_fasta(name):
    """The bases of a FASTA file of shared/data/reference, headers left out."""
    with open(os.path.join(DATA_DIR, "reference", name), encoding="ascii") as f:
        return "".join(line.strip() for line in f if not line.startswith(">"))


def common_symbol(accession):
    """NC_000019.9 -> "19", NC_000023 -> "X", NC_012920.1 -> "MT"."""
    n = int(accession[3:].split(".")[0])
    return {23: "X", 24: "Y", 12920: "MT"}.get(n, str(n))


def free_port():
    """A port on 127.0.0.1 that nothing listens on (for "connection refused")."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return "<%d %r>" % (self.status, self.body[:200])


class Sandbox:
    def __init__(self, *args, tls=True):
        self.args = list(args)
        if not tls:
            self.args.append("--no-tls")
        self.dir = tempfile.mkdtemp(prefix="lum-sandbox-test-")
        self.stderr = open(os.path.join(self.dir, "stderr.txt"), "w+")
        cmd = [sys.executable, SERVER, "--host", "127.0.0.1", "--port", "0",
               "--state-dir", os.path.join(self.dir, "state"), "--data-dir", DATA_DIR] + self.args
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.stderr)
        watchdog = threading.Timer(60, self.proc.kill)
        watchdog.start()
        try:
            line = self.proc.stdout.readline()
        finally:
            watchdog.cancel()
        if not line:
            self.proc.wait()
            self.stderr.seek(0)
            err = self.stderr.read()
            self.stop()
            raise RuntimeError("sandbox did not start (rc %s): %s" % (self.proc.returncode, err[-2000:]))
        self.info = json.loads(line)
        self.port = self.info["port"]
        self.tls = self.info["scheme"] == "https"
        self.products = {p["name"]: p for p in self.info["products"]}
        self._tokens = {}

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # ---- connections ----------------------------------------------------------------

    def ssl_context(self, **kw):
        ctx = ssl.create_default_context(cafile=self.info["ca_file"])
        for k, v in kw.items():
            setattr(ctx, k, v)
        return ctx

    def connection(self, timeout=10):
        if self.tls:
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout, context=self.ssl_context())
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def raw_socket(self, timeout=10):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        if self.tls:
            s = self.ssl_context().wrap_socket(s, server_hostname="127.0.0.1")
        return s

    def request(self, method, path, body=None, headers=None, token=None, product=None, conn=None):
        """path is relative to /v1 unless it starts with '/_sandbox' or '//' (raw)."""
        hdrs = dict(headers or {})
        if product is not None:
            token = self.token(product)
        if token is not None:
            hdrs["Authorization"] = "Bearer " + token
        if path.startswith("/_sandbox"):
            full = path
        else:
            full = "/v1" + path
        own = conn is None
        c = conn or self.connection()
        try:
            c.request(method, full, body=body, headers=hdrs)
            r = c.getresponse()
            data = r.read()
            return Response(r.status, r.getheaders(), data)
        finally:
            if own:
                c.close()

    def token(self, product="trait-panel", fresh=False):
        if fresh or product not in self._tokens:
            p = self.products[product]
            r = self.form("POST", "/auth/jwt", {"username": p["product_uuid"], "password": p["api_key"],
                                                "role": "role_product"})
            assert r.status == 200, r
            self._tokens[product] = r.json()["access_token"]
        return self._tokens[product]

    def form(self, method, path, fields, headers=None, **kw):
        hdrs = {"Content-Type": "application/x-www-form-urlencoded"}
        hdrs.update(headers or {})
        return self.request(method, path, urllib.parse.urlencode(fields).encode(), hdrs, **kw)

    def admin(self, method, path, obj=None):
        body = json.dumps(obj).encode() if obj is not None else None
        return self.request(method, "/_sandbox" + path, body, {"Content-Type": "application/json"} if body else None)

    def ledger(self):
        with open(self.info["ledger"]) as f:
            return [json.loads(l) for l in f if l.strip()]


def multipart(fields, files=(), boundary="----lumsandboxtest7MA4YWxkTrZu0gW"):
    """(body, content_type) for fields {name: value} and files [(name, filename, bytes)]."""
    out = []
    for name, value in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n" % (boundary, name)).encode()
                   + value.encode() + b"\r\n")
    for name, filename, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n" % (boundary, name, filename)).encode()
                   + data + b"\r\n")
    out.append(("--%s--\r\n" % boundary).encode())
    return b"".join(out), "multipart/form-data; boundary=%s" % boundary


_leftover = weakref.WeakKeyDictionary()  # bytes read past a response, per socket


def read_response(sock):
    """(status, headers dict lowercased, body, raw head) of the next response on a
    socket: Content-Length or chunked; ConnectionError on EOF before its end."""
    buf = _leftover.pop(sock, b"")
    while b"\r\n\r\n" not in buf:
        d = sock.recv(65536)
        if not d:
            raise ConnectionError("EOF in headers: %r" % buf)
        buf += d
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for l in lines[1:]:
        k, _, v = l.partition(":")
        headers[k.strip().lower()] = v.strip()

    def need(n):
        nonlocal rest
        while len(rest) < n:
            d = sock.recv(65536)
            if not d:
                raise ConnectionError("EOF in body")
            rest += d

    if headers.get("transfer-encoding") == "chunked":
        body = b""
        while True:
            while b"\r\n" not in rest:
                need(len(rest) + 1)
            line, _, rest = rest.partition(b"\r\n")
            n = int(line.split(b";")[0], 16)
            need(n + 2)
            body += rest[:n]
            assert rest[n:n + 2] == b"\r\n"
            rest = rest[n + 2:]
            if n == 0:
                _leftover[sock] = rest
                return status, headers, body, head
    n = int(headers.get("content-length", "0"))
    need(n)
    _leftover[sock] = rest[n:]
    return status, headers, rest[:n], head


class SandboxTestCase(unittest.TestCase):
    """One server per class; SERVER_ARGS picks its flags."""
    SERVER_ARGS = ()
    TLS = True

    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox(*cls.SERVER_ARGS, tls=cls.TLS)
        cls.addClassCleanup(cls.sb.stop)

    def get(self, path, product="trait-panel", **kw):
        return self.sb.request("GET", path, product=product, **kw)

    def assertStatus(self, resp, status, msg=None):
        self.assertEqual(resp.status, status, msg or resp)
        if resp.body:
            self.assertEqual(resp.header("Content-Type"), "application/json")
            obj = resp.json()
            if status >= 400:
                self.assertIsInstance(obj.get("message"), str)
