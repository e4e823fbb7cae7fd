"""A throw-away CA and a server certificate for 127.0.0.1 / localhost, made with
the openssl CLI (the Python standard library cannot create certificates).

EC P-256 by default, RSA 2048 on request (the CA uses the same key type, so an
RSA server presents an all-RSA chain: the case mbedTLS clients trip over).
Existing files in the state directory are reused when the key type matches,
so a client can keep trusting the same ca.pem across restarts.
"""

import os
import shutil
import ssl
import subprocess


class CertError(Exception):
    pass


def _openssl(args, cwd):
    exe = shutil.which("openssl")
    if exe is None:
        raise CertError("the openssl command is needed for TLS (or run with --no-tls)")
    proc = subprocess.run([exe] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise CertError("openssl %s failed: %s" % (args[0], proc.stderr.decode(errors="replace").strip()))


def _newkey(key_type):
    if key_type == "rsa":
        return ["-newkey", "rsa:2048"]
    return ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]


def make(state_dir, key_type="ec"):
    """{'ca_file', 'cert_file', 'key_file'} as absolute paths."""
    d = os.path.join(os.path.abspath(state_dir), "tls")
    os.makedirs(d, exist_ok=True)
    paths = {"ca_file": os.path.join(d, "ca.pem"),
             "cert_file": os.path.join(d, "server.pem"),
             "key_file": os.path.join(d, "server.key")}
    marker = os.path.join(d, "key-type")
    try:
        with open(marker) as f:
            reuse = f.read().strip() == key_type and all(os.path.exists(p) for p in paths.values())
    except OSError:
        reuse = False
    if reuse:
        return paths

    with open(os.path.join(d, "server.ext"), "w") as f:
        f.write("basicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n"
                "subjectAltName=IP:127.0.0.1,DNS:localhost,IP:::1\n"
                "subjectKeyIdentifier=hash\n"
                "authorityKeyIdentifier=keyid\n")
    _openssl(["req", "-x509", "-new"] + _newkey(key_type) +
             ["-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650", "-sha256",
              "-subj", "/O=Lumminary sandbox/CN=Lumminary Sandbox CA",
              "-addext", "basicConstraints=critical,CA:TRUE",
              "-addext", "keyUsage=critical,keyCertSign,cRLSign"], d)
    _openssl(["req", "-new"] + _newkey(key_type) +
             ["-nodes", "-keyout", "server.key", "-out", "server.csr",
              "-subj", "/O=Lumminary sandbox/CN=127.0.0.1"], d)
    _openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
              "-set_serial", "0x%s" % os.urandom(8).hex(), "-days", "825", "-sha256",
              "-extfile", "server.ext", "-out", "server.pem"], d)
    os.chmod(os.path.join(d, "ca.key"), 0o600)
    os.chmod(paths["key_file"], 0o600)
    with open(marker, "w") as f:
        f.write(key_type + "\n")
    return paths


def server_context(paths, tls_max="1.3"):
    """A server SSLContext: TLS 1.2 minimum, TLS 1.2 or 1.3 maximum."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.maximum_version = ssl.TLSVersion.TLSv1_3 if tls_max == "1.3" else ssl.TLSVersion.TLSv1_2
    ctx.options |= ssl.OP_NO_COMPRESSION
    ctx.load_cert_chain(paths["cert_file"], paths["key_file"])
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx
