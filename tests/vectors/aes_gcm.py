"""AES (FIPS 197) and GCM (NIST SP 800-38D) in plain Python, standard
library only: the independent reference the CWL tests check the C code
against. Slow (about a millisecond per block) and not constant-time: for
test vectors, never for secrets.

    encrypt(key, nonce, plaintext, aad=b"", tag_len=16) -> (ciphertext, tag)
    decrypt(key, nonce, ciphertext, tag, aad=b"") -> plaintext, or ValueError

`python3 tests/vectors/aes_gcm.py` checks it against the published
known-answer vectors in KNOWN_ANSWERS and prints "ok".
"""

import hmac

# ----------------------------------------------------------------------- AES


def _xtime(a):
    a <<= 1
    return (a ^ 0x11B) if a & 0x100 else a


def _gmul(a, b):
    """Product in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1."""
    r = 0
    while b:
        if b & 1:
            r ^= a
        a = _xtime(a)
        b >>= 1
    return r


def _rotl8(x, n):
    return ((x << n) | (x >> (8 - n))) & 0xFF


def _make_sbox():
    """FIPS 197 section 5.1.1: multiplicative inverse, then the affine map."""
    inverse = [0] * 256
    for a in range(1, 256):
        for b in range(1, 256):
            if _gmul(a, b) == 1:
                inverse[a] = b
                break
    return [b ^ _rotl8(b, 1) ^ _rotl8(b, 2) ^ _rotl8(b, 3) ^ _rotl8(b, 4) ^ 0x63 for b in inverse]


SBOX = _make_sbox()


def _expand_key(key):
    """FIPS 197 section 5.2: the round keys, as a list of 16-byte lists."""
    nk = len(key) // 4
    if len(key) not in (16, 24, 32):
        raise ValueError("AES keys are 16, 24 or 32 bytes")
    rounds = nk + 6
    words = [list(key[4 * i:4 * i + 4]) for i in range(nk)]
    rcon = 1
    for i in range(nk, 4 * (rounds + 1)):
        t = list(words[i - 1])
        if i % nk == 0:
            t = [SBOX[b] for b in t[1:] + t[:1]]
            t[0] ^= rcon
            rcon = _xtime(rcon)
        elif nk > 6 and i % nk == 4:
            t = [SBOX[b] for b in t]
        words.append([a ^ b for a, b in zip(words[i - nk], t)])
    return [sum(words[4 * r:4 * r + 4], []) for r in range(rounds + 1)]


def aes_encrypt_block(key, block):
    """One 16-byte block; the state is column-major: s[r + 4c]."""
    round_keys = _expand_key(key)
    s = [a ^ b for a, b in zip(block, round_keys[0])]
    for rnd in range(1, len(round_keys)):
        s = [SBOX[b] for b in s]
        s = [s[r + 4 * ((c + r) % 4)] for c in range(4) for r in range(4)]  # ShiftRows
        if rnd != len(round_keys) - 1:  # MixColumns, except in the last round
            m = []
            for c in range(4):
                a0, a1, a2, a3 = s[4 * c:4 * c + 4]
                m += [_gmul(a0, 2) ^ _gmul(a1, 3) ^ a2 ^ a3,
                      a0 ^ _gmul(a1, 2) ^ _gmul(a2, 3) ^ a3,
                      a0 ^ a1 ^ _gmul(a2, 2) ^ _gmul(a3, 3),
                      _gmul(a0, 3) ^ a1 ^ a2 ^ _gmul(a3, 2)]
            s = m
        s = [a ^ b for a, b in zip(s, round_keys[rnd])]
    return bytes(s)


# ----------------------------------------------------------------------- GCM

_R = 0xE1 << 120


def _gf128_mul(x, y):
    """SP 800-38D algorithm 1 (bit 0 is the most significant bit of the block)."""
    z, v = 0, y
    for i in range(128):
        if (x >> (127 - i)) & 1:
            z ^= v
        v = (v >> 1) ^ _R if v & 1 else v >> 1
    return z


def _ghash(h, data):
    y = 0
    for i in range(0, len(data), 16):
        y = _gf128_mul(y ^ int.from_bytes(data[i:i + 16], "big"), h)
    return y


def _pad16(b):
    return b + bytes(-len(b) % 16)


def _j0(h, nonce):
    if len(nonce) == 12:
        return nonce + b"\x00\x00\x00\x01"
    return _ghash(h, _pad16(nonce) + bytes(8) + (8 * len(nonce)).to_bytes(8, "big")).to_bytes(16, "big")


def _gctr(key, icb, data):
    out = bytearray()
    counter = int.from_bytes(icb, "big")
    for i in range(0, len(data), 16):
        ks = aes_encrypt_block(key, counter.to_bytes(16, "big"))
        out += bytes(a ^ b for a, b in zip(data[i:i + 16], ks))
        counter = (counter & ~0xFFFFFFFF) | ((counter + 1) & 0xFFFFFFFF)  # inc32
    return bytes(out)


def _tag(key, h, j0, aad, ciphertext, tag_len):
    s = _ghash(h, _pad16(aad) + _pad16(ciphertext) + (8 * len(aad)).to_bytes(8, "big")
               + (8 * len(ciphertext)).to_bytes(8, "big"))
    return bytes(a ^ b for a, b in zip(aes_encrypt_block(key, j0), s.to_bytes(16, "big")))[:tag_len]


def encrypt(key, nonce, plaintext, aad=b"", tag_len=16):
    h = int.from_bytes(aes_encrypt_block(key, bytes(16)), "big")
    j0 = _j0(h, nonce)
    inc = (int.from_bytes(j0, "big") & ~0xFFFFFFFF) | ((int.from_bytes(j0, "big") + 1) & 0xFFFFFFFF)
    ciphertext = _gctr(key, inc.to_bytes(16, "big"), plaintext)
    return ciphertext, _tag(key, h, j0, aad, ciphertext, tag_len)


def decrypt(key, nonce, ciphertext, tag, aad=b""):
    h = int.from_bytes(aes_encrypt_block(key, bytes(16)), "big")
    j0 = _j0(h, nonce)
    if not hmac.compare_digest(_tag(key, h, j0, aad, ciphertext, len(tag)), tag):
        raise ValueError("GCM tag mismatch")
    inc = (int.from_bytes(j0, "big") & ~0xFFFFFFFF) | ((int.from_bytes(j0, "big") + 1) & 0xFFFFFFFF)
    return _gctr(key, inc.to_bytes(16, "big"), ciphertext)


# ------------------------------------------------------ known-answer vectors

_P3 = ("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
       "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255")
_K3 = "feffe9928665731c6d6a8f9467308308"

# FIPS 197 Appendix C: (key, plaintext, ciphertext) of one block.
AES_KNOWN_ANSWERS = [
    ("000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a"),
    ("000102030405060708090a0b0c0d0e0f1011121314151617", "00112233445566778899aabbccddeeff",
     "dda97ca4864cdfe06eaf70a0ec0d7191"),
    ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "00112233445566778899aabbccddeeff",
     "8ea2b7ca516745bfeafc49904b496089"),
]

# D. McGrew and J. Viega, "The Galois/Counter Mode of Operation (GCM)",
# NIST modes submission (2005), Appendix B, test cases 1-4 (AES-128) and
# 13-15 (AES-256), the vectors SP 800-38D's validation is built on:
# (case, key, nonce, plaintext, aad, ciphertext, tag), hex.
KNOWN_ANSWERS = [
    (1, "00" * 16, "00" * 12, "", "", "", "58e2fccefa7e3061367f1d57a4e7455a"),
    (2, "00" * 16, "00" * 12, "00" * 16, "", "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf"),
    (3, _K3, "cafebabefacedbaddecaf888", _P3, "",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
     "4d5c2af327cd64a62cf35abd2ba6fab4"),
    (4, _K3, "cafebabefacedbaddecaf888", _P3[:120], "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"),
    (13, "00" * 32, "00" * 12, "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"),
    (14, "00" * 32, "00" * 12, "00" * 16, "", "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"),
    (15, _K3 * 2, "cafebabefacedbaddecaf888", _P3, "",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"),
]


def self_test():
    """Raises AssertionError unless every known answer comes out."""
    assert SBOX[0x00] == 0x63 and SBOX[0x01] == 0x7C and SBOX[0x53] == 0xED and SBOX[0xFF] == 0x16
    for key, pt, ct in AES_KNOWN_ANSWERS:
        got = aes_encrypt_block(bytes.fromhex(key), bytes.fromhex(pt)).hex()
        assert got == ct, "AES-%d: %s != %s" % (len(key) * 4, got, ct)
    for case, key, nonce, pt, aad, ct, tag in KNOWN_ANSWERS:
        k, n, p, a = (bytes.fromhex(x) for x in (key, nonce, pt, aad))
        c, t = encrypt(k, n, p, a)
        assert (c.hex(), t.hex()) == (ct, tag), "GCM test case %d: %s %s" % (case, c.hex(), t.hex())
        assert decrypt(k, n, c, t, a) == p, "GCM test case %d: decrypt" % case
        assert decrypt(k, n, c, t[:12], a) == p, "GCM test case %d: 12-byte tag" % case
        bad = bytes([t[0] ^ 1]) + t[1:]
        try:
            decrypt(k, n, c, bad, a)
        except ValueError:
            pass
        else:
            raise AssertionError("GCM test case %d: altered tag accepted" % case)


if __name__ == "__main__":
    self_test()
    print("ok")
