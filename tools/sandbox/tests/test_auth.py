"""JWT issue, expiry, forgery, and the product 401/404 rules."""

import base64
import json
import time
import unittest
import urllib.parse

from sandbox import AUTHS, TRAIT, WHOLE, WHOLE_AUTH, SandboxTestCase, multipart

def b64d(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def b64e(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class AuthTests(SandboxTestCase):
    SERVER_ARGS = ("--jwt-ttl", "2")

    def jwt(self, fields, **kw):
        return self.sb.form("POST", "/auth/jwt", fields, **kw)

    def creds(self, name="trait-panel"):
        p = self.sb.products[name]
        return {"username": p["product_uuid"], "password": p["api_key"], "role": "role_product"}

    def test_issue_token_claims(self):
        t0 = int(time.time())
        r = self.jwt(self.creds())
        self.assertStatus(r, 200)
        self.assertEqual(list(r.json()), ["access_token"])
        parts = r.json()["access_token"].split(".")
        self.assertEqual(len(parts), 3)
        self.assertEqual(json.loads(b64d(parts[0])), {"alg": "HS256", "typ": "JWT"})
        claims = json.loads(b64d(parts[1]))
        self.assertEqual(claims["sub"], TRAIT)
        self.assertEqual(claims["role"], "role_product")
        self.assertEqual(claims["exp"], claims["iat"] + 2)
        self.assertLessEqual(abs(claims["iat"] - t0), 2)

    def test_jwt_multipart_and_mask(self):
        body, ctype = multipart(self.creds())
        r = self.sb.request("POST", "/auth/jwt", body, {"Content-Type": ctype, "X-Fields": "access_token"})
        self.assertStatus(r, 200)
        self.assertIn("access_token", r.json())

    def test_bad_credentials_401(self):
        c = self.creds()
        for bad in ({"password": c["password"][:-2]}, {"username": WHOLE}, {"username": "nobody"},
                    {"role": "role_client"}, {"role": ""}):
            with self.subTest(bad=bad):
                self.assertStatus(self.jwt(dict(c, **bad)), 401)

    def test_unencoded_plus_in_api_key_is_401(self):
        # a '+' sent raw decodes as a space: the classic form-encoding bug
        c = self.creds()
        self.assertIn("+", c["password"])
        body = "username=%s&password=%s&role=role_product" % (c["username"], c["password"])
        r = self.sb.request("POST", "/auth/jwt", body.encode(), {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertStatus(r, 401)
        good = urllib.parse.urlencode(c).encode()
        r = self.sb.request("POST", "/auth/jwt", good, {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertStatus(r, 200)

    def test_missing_field_400(self):
        c = self.creds()
        for missing in ("username", "password", "role"):
            with self.subTest(missing=missing):
                fields = {k: v for k, v in c.items() if k != missing}
                self.assertStatus(self.jwt(fields), 400)

    def test_token_expires(self):
        token = self.sb.token(fresh=True)
        self.assertStatus(self.sb.request("GET", "/products/" + TRAIT, token=token), 200)
        time.sleep(2.2)
        r = self.sb.request("GET", "/products/" + TRAIT, token=token)
        self.assertStatus(r, 401)
        self.assertIn("expired", r.json()["message"])

    def test_forged_tokens_401(self):
        token = self.sb.token(fresh=True)
        h, p, s = token.split(".")
        claims = json.loads(b64d(p))
        other = b64e(json.dumps(dict(claims, sub=WHOLE)).encode())
        none_header = b64e(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        sig = b64d(s)
        flipped = b64e(bytes([sig[0] ^ 1]) + sig[1:])
        nested = b64e(b"[" * 2900)  # must be a 401, not a RecursionError
        for bad in ("%s.%s.%s" % (nested, p, s), "%s.%s.%s" % (h, other, s), "%s.%s." % (none_header, p), "%s.%s.%s" % (h, p, flipped),
                    "%s.%s" % (h, p), "not-a-jwt", token + "x", "%s.%s.%s" % (h, "e30", s)):
            with self.subTest(token=bad[:40]):
                self.assertStatus(self.sb.request("GET", "/products/" + TRAIT, token=bad), 401)

    def test_authorization_header_forms(self):
        token = self.sb.token(fresh=True)
        path = "/products/" + TRAIT
        self.assertStatus(self.sb.request("GET", path), 401)
        for value, status in (("Bearer " + token, 200), ("bearer " + token, 200), ("BEARER  " + token, 200),
                              ("Token " + token, 401), (token, 401), ("Bearer", 401), ("Bearer a b", 401)):
            with self.subTest(value=value[:12]):
                self.assertStatus(self.sb.request("GET", path, headers={"authorization": value}), status)

    def test_product_ownership(self):
        token = self.sb.token(fresh=True)
        self.assertStatus(self.sb.request("GET", "/products/" + WHOLE, token=token), 401)
        self.assertStatus(self.sb.request("GET", "/products/00000000-0000-4000-8000-000000000000", token=token), 404)
        self.assertStatus(self.sb.request("GET", "/products/%s/authorizations" % WHOLE, token=token), 401)
        # another product's authorization under one's own product path
        self.assertStatus(self.sb.request("GET", "/products/%s/authorizations/%s" % (TRAIT, WHOLE_AUTH),
                                          token=token), 401)
        self.assertStatus(self.sb.request("GET", "/products/%s/authorizations/%s" % (TRAIT, "nope"),
                                          token=token), 404)
        self.assertStatus(self.sb.request("GET", "/products/%s/authorizations/%s" % (TRAIT, AUTHS[0]),
                                          token=token), 200)

    def test_get_product_model(self):
        r = self.sb.request("GET", "/products/" + TRAIT, token=self.sb.token(fresh=True))
        self.assertStatus(r, 200)
        p = r.json()
        self.assertEqual(list(p), ["authorized_scopes", "email", "product_uuid", "redirect_uri", "snps_authorized",
                                   "snps_authorized_any", "snps_min_required", "snps_min_required_any"])
        self.assertEqual(p["snps_min_required"], ["rs429358", "rs7412"])
        self.assertEqual(len(p["snps_authorized"]), 33)
        self.assertNotIn("rs53576", p["snps_authorized"])  # verification 'position single-source'
        self.assertFalse(p["snps_authorized_any"])


if __name__ == "__main__":
    unittest.main()
