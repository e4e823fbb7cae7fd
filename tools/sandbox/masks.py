"""X-Fields masks (flask-restplus syntax), parsed strictly and applied to models.

Syntax: comma-separated field names; `name{sub,sub2{x}}` selects fields of a
nested model (applied to each element of a list); `*` selects every field at
its level; the whole mask may be wrapped in one pair of braces; whitespace
around tokens is ignored.  Anything else (unbalanced braces, an empty name,
a stray character) is a MaskError -> 400.  Names absent from the model are
omitted from the output; a nested mask on a plain value is a MaskError.

A parsed mask is a dict: name -> None (whole field) or a nested mask dict.
"""

import re

MAX_DEPTH = 16
MAX_LENGTH = 8192
_NAME = re.compile(r"[A-Za-z0-9_\-]+|\*")
# fields whose value is a list of nested models (an empty list must still
# accept a nested mask)
NESTED_LIST_FIELDS = frozenset({"report_files", "report_credentials", "snps"})


class MaskError(Exception):
    pass


def parse(text):
    """Parsed mask, or None for no mask (header absent or blank)."""
    if text is None:
        return None
    if len(text) > MAX_LENGTH:
        raise MaskError("X-Fields mask too long")
    s = text.strip()
    if not s:
        return None
    p = _Parser(s)
    p.skip_ws()
    if p.peek() == "{":
        p.pos += 1
        mask = p.fields(1)
        p.expect("}")
    else:
        mask = p.fields(0)
    p.skip_ws()
    if p.pos != len(s):
        raise MaskError("Unexpected character %r at offset %d of the X-Fields mask" % (s[p.pos], p.pos))
    return mask


class _Parser:
    def __init__(self, s):
        self.s, self.pos = s, 0

    def peek(self):
        return self.s[self.pos] if self.pos < len(self.s) else ""

    def skip_ws(self):
        while self.pos < len(self.s) and self.s[self.pos] in " \t\r\n":
            self.pos += 1

    def expect(self, ch):
        self.skip_ws()
        if self.peek() != ch:
            found = repr(self.peek()) if self.peek() else "end of mask"
            raise MaskError("Expected %r at offset %d of the X-Fields mask, found %s" % (ch, self.pos, found))
        self.pos += 1

    def fields(self, depth):
        if depth > MAX_DEPTH:
            raise MaskError("X-Fields mask nested too deeply")
        mask = {}
        while True:
            self.skip_ws()
            m = _NAME.match(self.s, self.pos)
            if not m:
                what = repr(self.peek()) if self.peek() else "end of mask"
                raise MaskError("Expected a field name at offset %d of the X-Fields mask, found %s" % (self.pos, what))
            name = m.group(0)
            self.pos = m.end()
            self.skip_ws()
            if self.peek() == "{":
                if name == "*":
                    raise MaskError("'*' cannot have nested fields")
                self.pos += 1
                sub = self.fields(depth + 1)
                self.expect("}")
                prev = mask.get(name)
                mask[name] = _merge(prev, sub) if isinstance(prev, dict) else sub
            elif name not in mask:
                mask[name] = None
            self.skip_ws()
            if self.peek() == ",":
                self.pos += 1
                continue
            return mask


def _merge(a, b):
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        elif k not in out or isinstance(v, dict):
            out[k] = v
    return out


def canonical(mask):
    """A stable string for a parsed mask (cache key)."""
    if mask is None:
        return ""
    return ",".join(k if v is None else "%s{%s}" % (k, canonical(v)) for k, v in sorted(mask.items()))


def apply(mask, value):
    """The model (or list of models) restricted to the mask, keys in model order."""
    if mask is None:
        return value
    if isinstance(value, list):
        return [apply(mask, v) for v in value]
    if not isinstance(value, dict):
        raise MaskError("Mask is inconsistent with the model")
    star = "*" in mask
    out = {}
    for key, v in value.items():
        if key in mask:
            sub = mask[key]
            if sub is None or v is None:
                out[key] = v
            elif isinstance(v, dict):
                out[key] = apply(sub, v)
            elif isinstance(v, list) and all(isinstance(e, dict) for e in v) and (v or key in NESTED_LIST_FIELDS):
                out[key] = [apply(sub, e) for e in v]
            else:
                raise MaskError("Mask is inconsistent with the model: %r is not a nested model" % key)
        elif star:
            out[key] = v
    return out
