#!/usr/bin/env python3
"""Lumminary API v1 sandbox: a strict local stand-in for the real API.

Entry point, command line, HTTP/1.1 transport (keep-alive, chunked request and
response bodies, optional TLS), routing and fault injection.  The operations
themselves live in api.py; see README.md for the whole picture.
"""

import argparse
import json
import os
import re
import signal
import socket
import socketserver
import ssl
import struct
import sys
import tempfile
import threading
import traceback
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import admin as admin_mod  # noqa: E402
import api as api_mod  # noqa: E402
import certs  # noqa: E402
import faults as faults_mod  # noqa: E402
import ledger as ledger_mod  # noqa: E402
import reference as reference_mod  # noqa: E402
import store as store_mod  # noqa: E402
import tokens  # noqa: E402

# (method, path segments after /v1, operation); "{x}" matches one non-empty
# segment, "" is the empty segment a trailing slash leaves.
ROUTES = [
    ("POST", ("auth", "jwt"), "post_jwt_auth"),
    ("GET", ("products", "{productId}"), "get_product"),
    ("GET", ("products", "{productId}", "authorizations"), "get_authorizations_queue"),
    ("GET", ("products", "{productId}", "authorizations", "{authorizationId}"), "get_product_authorization"),
    ("POST", ("products", "{productId}", "authorizations", "{authorizationId}"), "post_product_authorization"),
    ("POST", ("products", "{productId}", "authorizations", "{authorizationId}", "unfulfillable"),
     "post_product_authorization_unfulfillable"),
    ("POST", ("products", "{productId}", "authorizations", "{authorizationId}", "file"),
     "post_authorization_result_file"),
    ("POST", ("products", "{productId}", "authorizations", "{authorizationId}", "credentials"),
     "post_authorization_result_credentials"),
    ("GET", ("clients", "{clientId}", "datasets", "{datasetId}", "snps", ""), "get_client_snp_group"),
    ("POST", ("clients", "{clientId}", "datasets", "{datasetId}", "snps", ""), "post_client_snp_group"),
    ("GET", ("clients", "{clientId}", "datasets", "{datasetId}", "snps", "{snpId}"), "get_client_snp"),
    ("GET", ("clients", "{clientId}", "datasets", "{datasetId}", "genes", "{geneSymbol}"), "get_client_gene"),
    ("GET", ("reference", "genes", "databases", "{databaseName}", "accessions", "{accession}"), "get_gene"),
    ("GET", ("reference", "snps", "{snpAccession}"), "get_reference_snp"),
    ("GET", ("reference", "genomes", ""), "get_reference_genomes_group"),
    ("GET", ("reference", "genomes", "{genomeBuildAccession}", "chromosomes"), "get_reference_genome"),
    ("GET", ("reference", "genomes", "{genomeBuildAccession}", "chromosomes", "{chromosomeAccession}"),
     "get_reference_chromosome"),
]
OPERATIONS = [r[2] for r in ROUTES]

SMALL_BODY = 256 << 10      # bodies up to this size go out in the same write as the headers
WRITE_SLICE = 4 << 20       # large bodies: sendall() of slices this big
MAX_TRAILERS = 64


def match_routes(segments):
    """[(method, operation, params)] of the routes whose path matches."""
    out = []
    for method, pattern, op in ROUTES:
        if len(pattern) != len(segments):
            continue
        params = {}
        for p, s in zip(pattern, segments):
            if p.startswith("{"):
                if not s:
                    break
                params[p[1:-1]] = s
            elif p != s:
                break
        else:
            out.append((method, op, params))
    return out


class BodyError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # error replies to unparseable request lines still get a status line and headers
    default_request_version = "HTTP/1.1"
    server_version = "lumminary-sandbox/1.0"
    sys_version = ""
    disable_nagle_algorithm = True

    def version_string(self):
        return self.server_version

    # ---- connection life cycle ------------------------------------------------------

    def setup(self):
        srv = self.server
        self._abort = False
        self.timeout = srv.cfg.idle_timeout
        self.request.settimeout(self.timeout)
        if srv.ssl_context is not None:
            # handshake here, in the connection's own thread, bounded by the timeout
            self.request = srv.ssl_context.wrap_socket(self.request, server_side=True)
        super().setup()
        srv.track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.track(self.connection, False)
            if self._abort:
                # linger 0: close() sends a TCP reset, and no TLS close_notify
                try:
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                except OSError:
                    pass
            try:
                self.connection.close()
            except OSError:
                pass

    def handle_one_request(self):
        # BaseHTTPRequestHandler's loop body, with one dispatcher for every method
        # (so unknown methods get a 405 JSON, not an HTML 501) and I/O errors
        # closing the connection quietly.
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if len(self.raw_requestline) > 65536:
                self.requestline = self.request_version = self.command = ""
                self.send_error(414, "Request line too long")
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            self.dispatch()
            self.wfile.flush()
        except (TimeoutError, ConnectionError, ssl.SSLError, OSError) as e:
            self.log_message("connection closed: %r", e)
            self.close_connection = True

    def handle_expect_100(self):
        # refuse an oversized body before the client sends it
        cl = self.headers.get("Content-Length", "")
        if cl.strip().isdigit() and int(cl) > self.server.cfg.max_body:
            self.send_error(413, "Request body larger than %d bytes" % self.server.cfg.max_body)
            return False
        return super().handle_expect_100()

    # ---- logging -------------------------------------------------------------------------

    def log_message(self, fmt, *args):
        if self.server.cfg.verbose:
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def log_request(self, code="-", size="-"):
        if self.server.cfg.verbose:
            self.log_message('"%s" %s', self.requestline, str(code))

    # ---- responses ---------------------------------------------------------------------

    def send_error(self, code, message=None, explain=None):
        self.close_connection = True
        text = message or self.responses.get(code, ("Error",))[0]
        try:
            self.send_reply(api_mod.error_reply(code, text))
        except OSError:
            pass

    def error(self, status, message, close=False, headers=()):
        if close:
            self.close_connection = True
        self.send_reply(api_mod.error_reply(status, message, headers))

    def send_reply(self, reply, truncate=False):
        body = reply.body
        cfg = self.server.cfg
        if reply.status in (204, 304):
            body = b""
        head_only = self.command == "HEAD"
        chunked = (cfg.chunked and len(body) > 0 and self.request_version == "HTTP/1.1"
                   and not head_only and not truncate)
        self.send_response(reply.status)
        for k, v in reply.headers:
            self.send_header(k, v)
        if body:
            self.send_header("Content-Type", "application/json")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif reply.status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        if truncate:
            self.close_connection = True
        if self.close_connection:
            self.send_header("Connection", "close")
        elif self.request_version == "HTTP/1.0":
            self.send_header("Connection", "keep-alive")
        self._headers_buffer.append(b"\r\n")
        head = b"".join(self._headers_buffer)
        self._headers_buffer = []
        w = self.wfile
        mv = memoryview(body)
        if head_only or not body:
            w.write(head)
        elif truncate:
            w.write(head)
            w.write(mv[:len(body) // 2])
        elif chunked:
            size = cfg.chunk_size
            if len(body) <= SMALL_BODY:
                pieces = [head]
                for i in range(0, len(body), size):
                    piece = mv[i:i + size]
                    pieces += [b"%x\r\n" % len(piece), piece, b"\r\n"]
                pieces.append(b"0\r\n\r\n")
                w.write(b"".join(pieces))
            else:
                w.write(head)
                for i in range(0, len(body), size):
                    piece = mv[i:i + size]
                    if size <= 65536:
                        w.write(b"".join([b"%x\r\n" % len(piece), piece, b"\r\n"]))
                    else:
                        w.write(b"%x\r\n" % len(piece))
                        w.write(piece)
                        w.write(b"\r\n")
                w.write(b"0\r\n\r\n")
        elif len(body) <= SMALL_BODY:
            w.write(head + body)
        else:
            w.write(head)
            for i in range(0, len(body), WRITE_SLICE):
                w.write(mv[i:i + WRITE_SLICE])

    # ---- request bodies ----------------------------------------------------------------

    def read_body(self):
        max_body = self.server.cfg.max_body
        te = self.headers.get_all("Transfer-Encoding") or []
        cl = self.headers.get_all("Content-Length") or []
        if te and cl:
            raise BodyError(400, "Both Transfer-Encoding and Content-Length")
        try:
            if te:
                codings = [c.strip().lower() for v in te for c in v.split(",") if c.strip()]
                if codings != ["chunked"]:
                    raise BodyError(501, "Only Transfer-Encoding: chunked is supported")
                return self.read_chunked(max_body)
            if cl:
                values = {v.strip() for v in cl}
                value = values.pop()
                if values or not re.fullmatch(r"[0-9]{1,18}", value):
                    raise BodyError(400, "Malformed Content-Length")
                n = int(value)
                if n > max_body:
                    raise BodyError(413, "Request body larger than %d bytes" % max_body)
                data = self.rfile.read(n) if n else b""
                if len(data) != n:
                    raise BodyError(400, "Body shorter than its Content-Length")
                return data
            return b""
        except TimeoutError:
            raise BodyError(400, "Timed out reading the body (shorter than announced?)")

    def read_chunked(self, max_body):
        chunks, total = [], 0
        while True:
            line = self.rfile.readline(1026)
            if not line.endswith(b"\r\n"):
                raise BodyError(400, "Malformed chunk-size line")
            size_text = line[:-2].split(b";", 1)[0]
            if not re.fullmatch(rb"[0-9A-Fa-f]{1,15}", size_text):
                raise BodyError(400, "Malformed chunk size")
            size = int(size_text, 16)
            if size == 0:
                break
            total += size
            if total > max_body:
                raise BodyError(413, "Request body larger than %d bytes" % max_body)
            data = self.rfile.read(size)
            if len(data) != size:
                raise BodyError(400, "Chunk shorter than its size")
            chunks.append(data)
            if self.rfile.read(2) != b"\r\n":
                raise BodyError(400, "Chunk data not followed by CRLF")
        for _ in range(MAX_TRAILERS):
            line = self.rfile.readline(8194)
            if line == b"\r\n":
                return b"".join(chunks)
            if not line.endswith(b"\r\n") or b":" not in line:
                raise BodyError(400, "Malformed chunked trailer")
        raise BodyError(400, "Too many chunked trailers")

    # ---- dispatch ----------------------------------------------------------------------

    def guarded(self, fn, *args):
        try:
            return fn(*args)
        except Exception:  # a bug: answer 500 rather than drop the connection
            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            return api_mod.error_reply(500, "Internal Server Error")

    def dispatch(self):
        srv = self.server
        if self.request_version == "HTTP/1.1" and len(self.headers.get_all("Host") or []) != 1:
            return self.error(400, "An HTTP/1.1 request needs exactly one Host header", close=True)
        target = self.path
        m = re.match(r"https?://[^/?#]*", target)
        if m:
            target = target[m.end():] or "/"
        raw_path, _, raw_query = target.partition("?")
        try:
            body = self.read_body()
        except BodyError as e:
            return self.error(e.status, e.message, close=True)
        if not raw_path.startswith("/"):
            return self.error(400, "Request target must be an absolute path")
        try:
            segments = [urllib.parse.unquote(s, errors="strict") for s in raw_path.split("/")[1:]]
        except UnicodeDecodeError:
            return self.error(404, api_mod.MSG_NOT_FOUND)

        if srv.cfg.admin and segments and segments[0] == "_sandbox":
            return self.send_reply(self.guarded(srv.admin.handle, self.command, segments[1:], self.headers, body))
        if len(segments) < 2 or segments[0] != "v1":
            return self.error(404, api_mod.MSG_NOT_FOUND)
        matches = match_routes(segments[1:])
        if not matches:
            return self.error(404, api_mod.MSG_NOT_FOUND)
        method = "GET" if self.command == "HEAD" else self.command
        chosen = [m for m in matches if m[0] == method]
        if not chosen:
            allow = sorted({m[0] for m in matches} | ({"HEAD"} if any(m[0] == "GET" for m in matches) else set()))
            return self.error(405, "The method is not allowed for the requested URL.",
                              headers=[("Allow", ", ".join(allow))])
        _, operation, params = chosen[0]
        query = urllib.parse.parse_qs(raw_query, keep_blank_values=True)
        req = api_mod.Request(self.command, operation, params, query, self.headers, body)

        fault = srv.faults.take(operation)
        action = fault["action"] if fault else None
        if action == "status":
            hdrs = [("Retry-After", str(fault["retry_after"]))] if "retry_after" in fault else []
            return self.send_reply(api_mod.error_reply(fault["status"], "Injected fault: HTTP %d" % fault["status"], hdrs))
        if action == "reset_before":
            self._abort = self.close_connection = True
            return
        if action == "stall":
            srv.stopping.wait(fault["seconds"])
        if action == "gateway_timeout":
            self.send_reply(api_mod.error_reply(504, "Injected fault: gateway timeout", [("Connection", "close")]))
            self.close_connection = True
            self.wfile.flush()
            try:  # the client's next request must come on another connection
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            if not srv.stopping.wait(fault["seconds"]):
                self.guarded(srv.api.handle, req)  # the upstream finishes, unseen
            return
        reply = self.guarded(srv.api.handle, req)
        if action == "reset_after_commit":
            self._abort = self.close_connection = True
            return
        self.send_reply(reply, truncate=(action == "truncate_body"))


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, cfg, api, admin, faults, ssl_context):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.cfg, self.api, self.admin, self.faults = cfg, api, admin, faults
        self.ssl_context = ssl_context
        self.stopping = threading.Event()
        self._connections = set()
        self._conn_lock = threading.Lock()
        super().__init__(address, Handler)

    def server_bind(self):
        # skip HTTPServer's getfqdn(): a reverse DNS lookup can hang start-up
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def track(self, conn, add):
        with self._conn_lock:
            (self._connections.add if add else self._connections.discard)(conn)

    def close_connections(self):
        with self._conn_lock:
            conns = list(self._connections)
        for c in conns:
            try:
                socket.socket.shutdown(c, socket.SHUT_RDWR)  # the raw socket, also under TLS
            except OSError:
                pass

    def handle_error(self, request, client_address):
        if self.cfg.verbose:
            traceback.print_exc(file=sys.stderr)


HELP_EPILOG = """\
Start-up prints exactly one JSON line on stdout:
  {"base_url", "scheme", "host", "port", "ca_file" (null without TLS), "ledger",
   "state_dir", "products": [{"name", "product_uuid", "api_key"}, ...]}
then serves until SIGTERM/SIGINT (exit 0).  Logs go to stderr.

Behaviour (details in tools/sandbox/README.md):
- API v1 under /v1: the 17 operations of LumminaryAPISpecApi.md, exact paths
  (trailing slash on .../snps/ and /reference/genomes/), 404/405 JSON otherwise.
- JWT HS256 from POST /v1/auth/jwt (form: username=product uuid, password=api key,
  role=role_product), valid --jwt-ttl seconds; every other call needs
  'Authorization: Bearer <JWT>'.
- Client data: a product reads a dataset only through an active authorization
  whose dataset scope is that dataset, and only its snps_authorized.
- get_client_gene: for GRCh37 datasets a SNP belongs to a gene when it lies on the
  gene's chromosome accession within start..stop (inclusive); for NCBI36 (build
  36) datasets positions are never compared across builds: the SNPs are those of
  the gene's snp_ids column in data/reference/genes_grch37.tsv.
- Reference sequences: NC_012920.1 (MT) is the rCRS from NC_012920.1.fa; every
  other chromosome is a deterministic pseudo-random sequence derived from its
  accession (see reference.py), with the reference alleles of snps_grch37.tsv
  at their positions.
- Ledger: one JSON line per result received, fsync'ed before the response.
- Admin (--admin): GET /_sandbox/datasets/{uuid}, GET /_sandbox/ledger,
  GET|POST|DELETE /_sandbox/faults (status, reset_before, reset_after_commit,
  stall, truncate_body, gateway_timeout; "count": K).
"""


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="server.py", description="Strict local sandbox of the Lumminary API v1 (Python standard library only).",
        epilog=HELP_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1", help="address to bind, and only this one (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="TCP port; 0 picks a free one (default 0)")
    p.add_argument("--tls", action=argparse.BooleanOptionalAction, default=True,
                   help="HTTPS with a CA and server certificate made at start-up (default on; --no-tls for plain HTTP)")
    p.add_argument("--state-dir", help="folder for tls/ (CA, certificate), ledger.jsonl and reports/ "
                                       "(default: a fresh temporary folder, kept after exit)")
    p.add_argument("--seed", default=os.path.join(HERE, "seed.json"), help="seed file (default tools/sandbox/seed.json)")
    p.add_argument("--data-dir", help="the shared data folder (default: $LUM_SHARED_DIR/data if set, "
                                      "else <repo>/../shared/data)")
    p.add_argument("--jwt-ttl", type=int, default=30, help="JWT lifetime in seconds (default 30)")
    p.add_argument("--tls-key", choices=("ec", "rsa"), default="ec",
                   help="key type of the CA and server certificate: ec (P-256, default) or rsa (2048)")
    p.add_argument("--tls-max", choices=("1.2", "1.3"), default="1.3",
                   help="highest TLS version (default 1.3; 1.2 makes a TLS-1.2-only server). Minimum is always 1.2")
    p.add_argument("--chunked", action="store_true", help="send response bodies with Transfer-Encoding: chunked")
    p.add_argument("--chunk-size", type=int, default=65536, help="chunk size for --chunked (default 65536)")
    p.add_argument("--idle-timeout", type=float, default=10.0,
                   help="seconds before an idle keep-alive connection (or a stalled read) is closed (default 10)")
    p.add_argument("--synthetic-snps", type=int, metavar="N",
                   help="add product 'bench' (snps_authorized_any) with one authorization on a new customer whose "
                        "dataset is a synthetic N-SNP dataset (seed 42); its unmasked SNP list is pre-serialised")
    p.add_argument("--admin", action="store_true", help="enable the /_sandbox/ admin endpoints (no JWT)")
    p.add_argument("--max-body", type=int, default=64 << 20,
                   help="largest request body accepted, in bytes (default 64 MiB; larger -> 413)")
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = p.parse_args(argv)
    if args.jwt_ttl < 1:
        p.error("--jwt-ttl must be at least 1")
    if args.chunk_size < 1:
        p.error("--chunk-size must be at least 1")
    if args.idle_timeout <= 0:
        p.error("--idle-timeout must be positive")
    if args.synthetic_snps is not None and args.synthetic_snps < 0:
        p.error("--synthetic-snps must be >= 0")
    if not 0 <= args.port <= 65535:
        p.error("--port must be in 0..65535")
    return args


def main(argv=None):
    args = parse_args(argv)
    data_dir = os.path.abspath(args.data_dir or reference_mod.default_data_dir())
    if not os.path.isdir(os.path.join(data_dir, "reference")) or not os.path.isdir(os.path.join(data_dir, "genotypes")):
        print("server.py: shared data folder not found (need reference/ and genotypes/): %s\n"
              "  pass --data-dir or set LUM_SHARED_DIR" % data_dir, file=sys.stderr)
        return 2
    state_dir = os.path.abspath(args.state_dir) if args.state_dir else tempfile.mkdtemp(prefix="lum-sandbox-")
    os.makedirs(state_dir, exist_ok=True)

    try:
        ref = reference_mod.Reference(data_dir)
        ledger = ledger_mod.Ledger(os.path.join(state_dir, "ledger.jsonl"))
        store = store_mod.Store(args.seed, data_dir, ref, state_dir, ledger, args.synthetic_snps)
    except (reference_mod.ReferenceError_, store_mod.SeedError, OSError) as e:
        print("server.py: %s" % e, file=sys.stderr)
        return 2
    api = api_mod.Api(store, ref, tokens.TokenIssuer(args.jwt_ttl))
    if args.synthetic_snps is not None:
        bench = store.authorizations[store.sequence[-1].uuid]
        ds = store.datasets[bench.dataset_uuid]
        api.cache.get(("snps", ds.uuid, "*", ""), lambda: api_mod.snp_list_body(ds, ds.records, None))
    faults = faults_mod.Faults(OPERATIONS)
    admin = admin_mod.Admin(store, faults, api.cache)

    ssl_context, ca_file = None, None
    if args.tls:
        try:
            paths = certs.make(state_dir, args.tls_key)
            ssl_context = certs.server_context(paths, args.tls_max)
        except (certs.CertError, ssl.SSLError, OSError) as e:
            print("server.py: TLS set-up failed: %s" % e, file=sys.stderr)
            return 2
        ca_file = paths["ca_file"]

    args.max_body = max(0, args.max_body)
    try:
        httpd = SandboxServer((args.host, args.port), args, api, admin, faults, ssl_context)
    except OSError as e:
        print("server.py: cannot listen on %s:%d: %s" % (args.host, args.port, e), file=sys.stderr)
        return 2

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    serving = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    serving.start()

    host, port = httpd.server_address[:2]
    scheme = "https" if args.tls else "http"
    url_host = "[%s]" % host if ":" in host else host
    info = {
        "base_url": "%s://%s:%d/v1" % (scheme, url_host, port),
        "scheme": scheme,
        "host": host,
        "port": port,
        "ca_file": ca_file,
        "ledger": ledger.path,
        "state_dir": state_dir,
        "products": [{"name": p["name"], "product_uuid": p["product_uuid"], "api_key": p["api_key"]}
                     for p in store.products.values()],
    }
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()

    while not stop.wait(0.2):
        pass
    httpd.stopping.set()
    httpd.shutdown()
    httpd.close_connections()
    httpd.server_close()
    ledger.close()
    sys.stderr.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
