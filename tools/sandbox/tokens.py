"""JWT (HS256) issue and verification, with a per-process random secret.

Claims: sub (product uuid), role, iat, exp = iat + ttl, jti.  Verification is
strict: three base64url parts without padding, header alg exactly HS256 (no
'none'), constant-time signature check, integer exp > now.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import time

_B64URL = re.compile(r"[A-Za-z0-9_-]+")
MAX_TOKEN_LENGTH = 4096


class TokenError(Exception):
    pass


def _b64e(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(part):
    if not _B64URL.fullmatch(part) or len(part) % 4 == 1:
        raise TokenError("malformed token")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class TokenIssuer:
    def __init__(self, ttl, secret=None, clock=time.time):
        self.ttl = int(ttl)
        self.secret = secret if secret is not None else os.urandom(32)
        self.clock = clock

    def _sign(self, signing_input):
        return hmac.new(self.secret, signing_input, hashlib.sha256).digest()

    def issue(self, subject, role):
        iat = int(self.clock())
        header = {"alg": "HS256", "typ": "JWT"}
        claims = {"sub": subject, "role": role, "iat": iat, "exp": iat + self.ttl,
                  "jti": _b64e(os.urandom(9))}
        signing_input = (_b64e(json.dumps(header, separators=(",", ":")).encode()) + "." +
                         _b64e(json.dumps(claims, separators=(",", ":")).encode())).encode("ascii")
        return signing_input.decode("ascii") + "." + _b64e(self._sign(signing_input))

    def verify(self, token):
        """Claims of a valid token; TokenError('...') otherwise."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            raise TokenError("malformed token")
        parts = token.split(".")
        if len(parts) != 3:
            raise TokenError("malformed token")
        try:
            header = json.loads(_b64d(parts[0]))
            claims = json.loads(_b64d(parts[1]))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise TokenError("malformed token")
        signature = _b64d(parts[2])
        if not isinstance(header, dict) or header.get("alg") != "HS256":
            raise TokenError("unsupported token algorithm")
        expected = self._sign((parts[0] + "." + parts[1]).encode("ascii"))
        if not hmac.compare_digest(signature, expected):
            raise TokenError("invalid token signature")
        if not isinstance(claims, dict):
            raise TokenError("malformed token")
        exp = claims.get("exp")
        if not isinstance(exp, int) or isinstance(exp, bool):
            raise TokenError("malformed token")
        if exp <= self.clock():
            raise TokenError("Token has expired")
        if not isinstance(claims.get("sub"), str) or not isinstance(claims.get("role"), str):
            raise TokenError("malformed token")
        return claims
