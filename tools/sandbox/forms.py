"""Strict form parsing: application/x-www-form-urlencoded and multipart/form-data.

The sandbox exists to catch client bugs, so it rejects (FormError -> 400) what
a lenient server would guess at:
- urlencoded: every field is name=value, no empty fields ('a&&b'), '%' is
  always followed by two hex digits, the decoded text is UTF-8, only the
  utf-8/us-ascii charset;
- multipart (RFC 7578 / 2046): a boundary parameter of 1-70 valid characters;
  the body starts with '--boundary' (no preamble), every delimiter line ends
  in CRLF, part headers are CRLF lines ending with an empty line, each part has
  'Content-Disposition: form-data; name="..."', the body ends with
  '--boundary--' optionally followed by one CRLF and nothing else.
The first occurrence of a field name wins (as in Flask's request.form).
"""

import re
import urllib.parse

MAX_PARTS = 64
MAX_PART_HEADER_BYTES = 16384
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED = r'"(?:[^"\\\r\n]|\\.)*"'
_PARAM = re.compile(r"\s*;\s*(%s)\s*=\s*(%s|%s)" % (_TOKEN, _TOKEN, _QUOTED))
_MEDIA = re.compile(r"\s*(%s)/(%s)" % (_TOKEN, _TOKEN))
_BOUNDARY = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_URLENC_CHARS = re.compile(r"[A-Za-z0-9\-._~%+=&!$'()*,;:@/?]*")

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


class FormError(Exception):
    pass


class FilePart:
    def __init__(self, name, filename, content_type, data):
        self.name, self.filename, self.content_type, self.data = name, filename, content_type, data


class Form:
    def __init__(self, kind):
        self.kind = kind
        self.fields = {}   # name -> str
        self.files = {}    # name -> FilePart (multipart parts that carry a filename)

    def get(self, name):
        return self.fields.get(name)


def _unquote_param(value):
    if value.startswith('"'):
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def parse_media_type(value):
    """('type/subtype' lowercased, {param: value}) of a Content-Type-like header."""
    if value is None:
        raise FormError("missing Content-Type")
    m = _MEDIA.match(value)
    if not m:
        raise FormError("malformed Content-Type")
    mtype = ("%s/%s" % (m.group(1), m.group(2))).lower()
    params, pos = {}, m.end()
    while pos < len(value):
        if not value[pos:].strip():
            break
        pm = _PARAM.match(value, pos)
        if not pm:
            raise FormError("malformed Content-Type parameters")
        name = pm.group(1).lower()
        if name in params:
            raise FormError("duplicate Content-Type parameter %r" % name)
        params[name] = _unquote_param(pm.group(2))
        pos = pm.end()
    return mtype, params


def parse(content_type, body):
    """Form of a urlencoded or multipart body; FormError if anything is off."""
    mtype, params = parse_media_type(content_type)
    if mtype == URLENCODED:
        charset = params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8", "us-ascii"):
            raise FormError("unsupported charset %r" % charset)
        return parse_urlencoded(body)
    if mtype == MULTIPART:
        boundary = params.get("boundary")
        if boundary is None:
            raise FormError("multipart/form-data without a boundary parameter")
        if not _BOUNDARY.fullmatch(boundary):
            raise FormError("invalid multipart boundary")
        return parse_multipart(body, boundary.encode("ascii"))
    raise FormError("Content-Type must be %s or %s, not %s" % (URLENCODED, MULTIPART, mtype))


def parse_urlencoded(body):
    form = Form("urlencoded")
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        raise FormError("urlencoded body must be ASCII (percent-encode other bytes)")
    if not text:
        return form
    if not _URLENC_CHARS.fullmatch(text):
        raise FormError("urlencoded body contains characters that must be percent-encoded")
    if _BAD_PERCENT.search(text):
        raise FormError("malformed percent-encoding in urlencoded body")
    for pair in text.split("&"):
        if "=" not in pair:
            raise FormError("urlencoded field without '=': %r" % pair[:40])
        raw_name, raw_value = pair.split("=", 1)
        if not raw_name:
            raise FormError("urlencoded field with an empty name")
        try:
            name = urllib.parse.unquote_plus(raw_name, errors="strict")
            value = urllib.parse.unquote_plus(raw_value, errors="strict")
        except UnicodeDecodeError:
            raise FormError("urlencoded field is not UTF-8 after decoding")
        form.fields.setdefault(name, value)
    return form


def _disposition(value):
    """(name, filename or None) of a form-data Content-Disposition value."""
    m = re.match(r"\s*(%s)" % _TOKEN, value)
    if not m or m.group(1).lower() != "form-data":
        raise FormError("part Content-Disposition must be form-data")
    params, pos = {}, m.end()
    while pos < len(value):
        if not value[pos:].strip():
            break
        pm = _PARAM.match(value, pos)
        if not pm:
            raise FormError("malformed Content-Disposition parameters")
        key = pm.group(1).lower()
        if key in params:
            raise FormError("duplicate Content-Disposition parameter %r" % key)
        params[key] = pm.group(2)
        pos = pm.end()
    if "name" not in params:
        raise FormError("part Content-Disposition lacks a name")
    name = _unquote_param(params["name"])
    filename = None
    if "filename*" in params:
        fm = re.fullmatch(r"(?i)utf-8'[^']*'(.*)", params["filename*"])
        if not fm:
            raise FormError("unsupported filename* encoding")
        try:
            filename = urllib.parse.unquote(fm.group(1), errors="strict")
        except UnicodeDecodeError:
            raise FormError("filename* is not UTF-8")
    elif "filename" in params:
        filename = _unquote_param(params["filename"])
    return name, filename


def parse_multipart(body, boundary):
    form = Form("multipart")
    delim = b"--" + boundary
    if not body.startswith(delim):
        raise FormError("multipart body must start with '--' and the boundary")
    next_delim = b"\r\n" + delim
    pos = len(delim)
    parts = 0
    while True:
        after = body[pos:pos + 2]
        if after == b"--":
            rest = body[pos + 2:]
            if rest not in (b"", b"\r\n"):
                raise FormError("data after the closing boundary")
            return form
        if after != b"\r\n":
            raise FormError("boundary line not followed by CRLF")
        pos += 2
        parts += 1
        if parts > MAX_PARTS:
            raise FormError("too many multipart parts")
        end = body.find(next_delim, pos)
        if end < 0:
            raise FormError("multipart body lacks its closing boundary")
        if body.startswith(b"\r\n", pos):
            header_block, content_start = b"", pos + 2
        else:
            hdr_end = body.find(b"\r\n\r\n", pos, end + 2)
            if hdr_end < 0:
                raise FormError("part headers not terminated by an empty line")
            header_block, content_start = body[pos:hdr_end], hdr_end + 4
        if len(header_block) > MAX_PART_HEADER_BYTES:
            raise FormError("part headers too large")
        if content_start > end:
            raise FormError("part headers not terminated by an empty line")
        headers = {}
        for line in header_block.split(b"\r\n") if header_block else []:
            if b"\r" in line or b"\n" in line:
                raise FormError("bare CR or LF in part headers")
            if line[:1] in (b" ", b"\t"):
                raise FormError("folded part header lines are not allowed")
            if b":" not in line:
                raise FormError("part header line without ':'")
            hname, hvalue = line.split(b":", 1)
            if not re.fullmatch(_TOKEN.encode(), hname):
                raise FormError("invalid part header name")
            try:
                hv = hvalue.decode("utf-8").strip()
            except UnicodeDecodeError:
                raise FormError("part header is not UTF-8")
            key = hname.decode("ascii").lower()
            if key in headers:
                raise FormError("duplicate part header %r" % key)
            headers[key] = hv
        if "content-disposition" not in headers:
            raise FormError("part lacks Content-Disposition")
        name, filename = _disposition(headers["content-disposition"])
        data = body[content_start:end]
        if filename is not None:
            if name not in form.files and name not in form.fields:
                form.files[name] = FilePart(name, filename, headers.get("content-type"), data)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise FormError("form field %r is not UTF-8" % name)
            if name not in form.files:
                form.fields.setdefault(name, text)
        pos = end + len(next_delim)
