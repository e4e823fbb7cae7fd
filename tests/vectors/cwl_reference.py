"""The reference Python client's "Connect with Lumminary" functions, redone
on tests/vectors/aes_gcm.py so that the C implementation is checked against
code that shares nothing with it (the reference client itself needs
PyCryptodome; its logic is copied here step by step, see the comments).

Reference: github.com/Lumminary/lumminary-api-client-python,
lumminary_sdk/lumminary_api.py (LumminaryApi.cwl_encrypt, cwl_decrypt,
cwl_data_request_build, cwl_url_query_extract).

`python3 tests/vectors/cwl_reference.py` prints tests/unit/cwl_vectors.h,
the fixed vectors test_cwl.c checks (regenerate with
`python3 tests/vectors/cwl_reference.py > tests/unit/cwl_vectors.h`;
tests/e2e/test_cli.py fails if the committed file differs).
"""

import base64
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import aes_gcm  # noqa: E402

IV_SIZE = 12   # CWL_IV_SIZE_BYTES
MAC_SIZE = 12  # CWL_MAC_SIZE_BYTES


def cwl_encrypt(data, key_b64, nonce):
    """cwl_encrypt: AES.new(key, MODE_GCM, nonce, mac_len=12).encrypt_and_digest.
    The nonce is random there (get_random_bytes(12)); a parameter here."""
    key = base64.b64decode(key_b64)
    assert len(nonce) == IV_SIZE
    ciphertext, tag = aes_gcm.encrypt(key, nonce, data, tag_len=MAC_SIZE)
    return {"nonce": nonce, "ciphertext": ciphertext, "tag": tag}


def payload(data, key_b64, nonce):
    """base64.b64encode(nonce + ciphertext + tag), as text."""
    e = cwl_encrypt(data, key_b64, nonce)
    return base64.b64encode(e["nonce"] + e["ciphertext"] + e["tag"]).decode("ascii")


def cwl_data_request_build(request, key_b64, nonce, json_encode_payload=True):
    """cwl_data_request_build: json.dumps twice, encrypt, base64, quote()."""
    if json_encode_payload:
        request = json.dumps(request)
    data = str.encode(json.dumps(request))
    return urllib.parse.quote(payload(data, key_b64, nonce).encode("ascii"))


def cwl_decrypt(encrypted, key_b64):
    """cwl_decrypt: base64-decode, split nonce | ciphertext | tag, verify,
    json.loads the plaintext."""
    key = base64.b64decode(key_b64)
    raw = base64.b64decode(encrypted)
    iv, mac, ciphertext = raw[:IV_SIZE], raw[-MAC_SIZE:], raw[IV_SIZE:-MAC_SIZE]
    plaintext = aes_gcm.decrypt(key, iv, ciphertext, mac)
    return json.loads(plaintext.decode("utf-8"))


def cwl_url_query_extract(url, key_b64, json_decode_payload=True):
    """cwl_url_query_extract: every query parameter decrypted, then json.loads."""
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(url).query))
    out = {}
    for k, v in params.items():
        value = cwl_decrypt(v, key_b64)
        out[k] = json.loads(value) if json_decode_payload else value
    return out


# ------------------------------------------------------------- fixed vectors

KEY128 = base64.b64encode(bytes(range(1, 17))).decode()
KEY192 = base64.b64encode(bytes(range(0x40, 0x58))).decode()
KEY256 = base64.b64encode(bytes.fromhex(aes_gcm._K3 * 2)).decode()
NONCE_A = bytes(range(12))
NONCE_B = bytes.fromhex("cafebabefacedbaddecaf888")

# The guide's data-request object, with customData that exercises escaping.
REQUEST = {
    "scopes": "address,dataset,email",
    "productUuid": "ef876efe-2080-4359-b7db-6407090aca55",
    "customData": {
        "customerId": "42",
        "websiteSession": "s\u00e9ssion \"7\" \\ caf\u00e9 \U0001F9EC\t/",
    },
}
RESPONSE = {"authorizationUuid": "21dde439-f110-4307-85e7-d4f474a4a39a", "authorizationTimestamp": 1552003200}
RESPONSE_ERROR = {"error": {"id": 3, "message": "Customer refuses request"}}
LONG = ("The quick brown fox jumps over the lazy dog; " * 4).encode()  # 180 bytes: several blocks, a tail
CALLBACK_BASE = "https://partner.example/lumminary/callback"


def vectors():
    """(name, C value) pairs, in order."""
    request_json = json.dumps(REQUEST)
    response_payload = cwl_data_request_build(RESPONSE, KEY128, NONCE_A)
    request_payload = cwl_data_request_build(REQUEST, KEY256, NONCE_B)
    out = [
        ("KEY128", KEY128), ("KEY192", KEY192), ("KEY256", KEY256),
        ("NONCE_A", NONCE_A), ("NONCE_B", NONCE_B),
        ("HELLO_PLAIN", b"hello, lumminary"),
        ("HELLO_KEY128", payload(b"hello, lumminary", KEY128, NONCE_A)),
        ("EMPTY_KEY256", payload(b"", KEY256, NONCE_A)),
        ("LONG_PLAIN", LONG),
        ("LONG_KEY192", payload(LONG, KEY192, NONCE_B)),
        ("LONG_KEY192_URL", urllib.parse.quote(payload(LONG, KEY192, NONCE_B))),
        ("SESSION", REQUEST["customData"]["websiteSession"].encode()),
        ("REQUEST_JSON", request_json.encode()),
        ("REQUEST_PLAINTEXT", json.dumps(request_json).encode()),
        ("REQUEST_KEY256", request_payload),
        ("RESPONSE_JSON", json.dumps(RESPONSE).encode()),
        ("RESPONSE_KEY128", response_payload),
        ("RESPONSE_ERROR_JSON", json.dumps(RESPONSE_ERROR).encode()),
        ("RESPONSE_ERROR_KEY128", cwl_data_request_build(RESPONSE_ERROR, KEY128, NONCE_B)),
        ("CALLBACK_KEY256", "%s?request=%s&response=%s" % (
            CALLBACK_BASE, request_payload, cwl_data_request_build(RESPONSE, KEY256, NONCE_A))),
    ]
    # What the reference reads back from the callback (a self-check).
    got = cwl_url_query_extract(dict(out)["CALLBACK_KEY256"], KEY256)
    assert got == {"request": REQUEST, "response": RESPONSE}, got
    return out


def c_literal(value):
    """A C string literal: octal escapes (at most three digits, so they
    never swallow what follows) for everything but printable ASCII."""
    if isinstance(value, str):
        value = value.encode("utf-8")
    out = []
    for b in value:
        if b in b'"\\?':
            out.append("\\" + chr(b))
        elif 0x20 <= b <= 0x7e:
            out.append(chr(b))
        else:
            out.append("\\%03o" % b)
    return '"' + "".join(out) + '"'


def header():
    lines = ["/* Generated by tests/vectors/cwl_reference.py from tests/vectors/aes_gcm.py",
             "   (pure-Python AES-GCM checked against FIPS 197 and GCM spec vectors). Do not edit. */",
             "#ifndef CWL_VECTORS_H", "#define CWL_VECTORS_H", ""]
    for name, value in vectors():
        lit = c_literal(value)
        if isinstance(value, bytes):
            lines.append("#define V_%s %s" % (name, lit))
            lines.append("#define V_%s_LEN %d" % (name, len(value)))
        else:
            lines.append("#define V_%s %s" % (name, lit))
    lines += ["", "#endif", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    aes_gcm.self_test()
    sys.stdout.write(header())
