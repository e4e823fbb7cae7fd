#!/usr/bin/env python3
"""Flash, RAM and stack figures for `make size` and `make stack` (cortex-m4).

    footprint.py size  --size arm-none-eabi-size --sdk-lib LIB --image12 ELF --image13 ELF
    footprint.py stack --ci-dir DIR [--ci-dir DIR ...]

size: a per-module table of the SDK's objects (.text includes .rodata, as
`size` counts it), sdk_text/data/bss for the whole archive, the share of
each component in the linked agent image, and image_tls12_* /
image_tls13_* for the two firmware images. The images are linked with LTO,
so their map files name only the link's own partitions: each symbol is
given to a component by the source file its debug info names (nm -l) or,
for data, by the fat object files that define it. Code inlined across
components counts where it was inlined; string literals merged by the link,
alignment padding and the link's own switch tables have no owner and are
shown as "unattributed".

stack: reads gcc's -fcallgraph-info=su files (.ci: one node per function
with its frame size, one edge per call) and prints the deepest path from
any public SDK function (lum_* in src/) and from the TLS transport's
connect (the handshake). Indirect calls inside the SDK go to the functions
listed in SDK_INDIRECT (read off the code: the decoder, the body source,
the request-body writers, the memory reader); the rest are calls into the
port (transport, clock) or into the caller's callbacks, whose stack is the
board's and the caller's, and are reported as such. Indirect calls inside
mbedTLS and port/mbedtls go to the TLS port's I/O and the DRBG (MBEDTLS_INDIRECT).
Frames marked "dynamic" (alloca, VLAs) are flagged; the SDK has none.
"""

import argparse
import collections
import glob
import os
import re
import subprocess
import sys

# ------------------------------------------------------------------ size

def berkeley(size_tool, files):
    out = subprocess.run([size_tool] + files, stdout=subprocess.PIPE, check=True).stdout.decode()
    rows = []
    for line in out.splitlines()[1:]:
        f = line.split()
        rows.append((int(f[0]), int(f[1]), int(f[2]), f[5]))
    return rows


def archive_members(lib):
    return sorted(glob.glob(os.path.join(os.path.dirname(lib), "obj", "src", "*", "*.o")))


# Components of an LTO image. A symbol's component is found from the source
# file its debug info names (functions), else from the object files of the
# image's build that define the same name (the objects are fat, so they
# hold ordinary symbols too; data has no line info after LTO).
COMPONENT_DIRS = (
    ("mbedtls", re.compile(r"(^|/)deps/mbedtls-[^/]+/|(^|/)mbedtls/obj/")),
    ("sdk", re.compile(r"(^|/)obj/src/|^src/|(^|/)deps/jsmn/")),
    ("port/mbedtls", re.compile(r"(^|/)port/mbedtls/")),
    ("agent job", re.compile(r"(^|/)examples/agent/")),
    ("board glue", re.compile(r"(^|/)boards/")),
)
COMPONENT_ORDER = ("sdk", "port/mbedtls", "mbedtls", "agent job", "board glue", "libc + libgcc", "unattributed")
SYMBOL_CLASS = {"t": 0, "r": 0, "w": 0, "d": 1, "b": 2}
LIBC_SOURCES = re.compile(r"newlib|libgcc|/libc/|/libm/")
LTO_SUFFIX = re.compile(r"(\.(lto_priv|constprop|isra|part|cold)\.\d+)+$")


def component_of_path(path):
    for comp, rx in COMPONENT_DIRS:
        if rx.search(path):
            return comp
    return None


def object_index(readelf_tool, build_dir):
    """Symbol name -> the components whose objects define it (readelf: the
    objects' own ELF symbols, statics included; nm would show the LTO view)."""
    index = collections.defaultdict(set)
    for obj in sorted(glob.glob(os.path.join(build_dir, "**", "*.o"), recursive=True)):
        comp = component_of_path(os.path.relpath(obj, build_dir))
        if comp is None:
            continue
        out = subprocess.run([readelf_tool, "-sW", obj], stdout=subprocess.PIPE,
                             check=True).stdout.decode(errors="replace")
        for line in out.splitlines():
            f = line.split()
            if len(f) == 8 and f[3] in ("FUNC", "OBJECT") and f[6] != "UND":
                index[f[7]].add(comp)
    return index


def elf_components(nm_tool, readelf_tool, size_tool, elf):
    """Bytes per component and text/data/bss class, from the ELF's symbols."""
    root = os.getcwd() + "/"
    index = object_index(readelf_tool, os.path.dirname(elf))
    out = subprocess.run([nm_tool, "-S", "-l", "--defined-only", elf], stdout=subprocess.PIPE,
                         check=True).stdout.decode(errors="replace")
    sizes = collections.defaultdict(lambda: [0, 0, 0])
    seen = set()
    for line in out.splitlines():
        sym, _, where = line.partition("\t")
        f = sym.split()
        if len(f) < 4:
            continue
        cls = SYMBOL_CLASS.get(f[2].lower())
        if cls is None or (f[0], f[1]) in seen:
            continue
        seen.add((f[0], f[1]))  # aliases share one address and size
        comps = index.get(LTO_SUFFIX.sub("", f[3]), set())
        if where.startswith(root) and component_of_path(where[len(root):]):
            name = component_of_path(where[len(root):])
        elif LIBC_SOURCES.search(where):
            name = "libc + libgcc"
        elif len(comps) == 1:
            name = next(iter(comps))  # data, and an MBEDTLS_DIR outside the repository
        else:
            name = "unattributed"
        sizes[name][cls] += int(f[1], 16)
    (text, data, bss, _), = berkeley(size_tool, [elf])
    total = [sum(v[i] for v in sizes.values()) for i in range(3)]
    sizes["unattributed"] = [sizes["unattributed"][i] + max(0, (text, data, bss)[i] - total[i]) for i in range(3)]
    return sizes


BANNED_LIBC = re.compile(r"^(.*printf|.*alloc|free|f?puts|f?open|fwrite|exit|abort|assert|__assert.*)$")


def libc_needs(readelf_tool, objs):
    """What the SDK's objects call outside themselves (its only outside code
    is libc: the port is reached through function pointers)."""
    defined, used = set(), set()
    for obj in objs:
        out = subprocess.run([readelf_tool, "-sW", obj], stdout=subprocess.PIPE,
                             check=True).stdout.decode(errors="replace")
        for line in out.splitlines():
            f = line.split()
            if len(f) != 8 or f[4] not in ("GLOBAL", "WEAK"):
                continue
            (used if f[6] == "UND" else defined).add(f[7])
    return sorted(used - defined)


def cmd_size(args):
    objs = archive_members(args.sdk_lib)
    rows = berkeley(args.size, objs)
    print("SDK objects (%s, -Os -mcpu=cortex-m4 -mthumb; .text includes .rodata)" % args.sdk_lib)
    print("  %-34s %7s %6s %6s" % ("module", ".text", ".data", ".bss"))
    tot = [0, 0, 0]
    for text, data, bss, name in rows:
        print("  %-34s %7d %6d %6d" % (os.path.relpath(name, os.path.dirname(args.sdk_lib) + "/obj"), text, data, bss))
        tot[0] += text
        tot[1] += data
        tot[2] += bss
    print("  %-34s %7d %6d %6d" % ("total", tot[0], tot[1], tot[2]))
    by_dir = collections.OrderedDict()
    for text, _, _, name in rows:
        d = os.path.dirname(os.path.relpath(name, os.path.dirname(args.sdk_lib) + "/obj"))
        by_dir[d] = by_dir.get(d, 0) + text
    print("SDK .text by folder: " + ", ".join("%s %d" % (d, t) for d, t in by_dir.items()))
    needs = libc_needs(args.readelf, objs)
    print("SDK needs from libc: " + " ".join(needs))
    banned = [n for n in needs if BANNED_LIBC.match(n)]
    if banned:
        print("WARNING: the SDK calls %s (no printf, no heap, no stdio in the SDK)" % " ".join(banned))
    for label, elf in (("tls12", args.image12), ("tls13", args.image13)):
        comps = elf_components(args.nm, args.readelf, args.size, elf)
        print("agent firmware, %s (%s): share of each component" % (label, elf))
        print("  %-34s %7s %6s %6s" % ("component", ".text", ".data", ".bss"))
        for comp in COMPONENT_ORDER:
            if comp in comps:
                t, d, b = comps[comp]
                print("  %-34s %7d %6d %6d" % (comp, t, d, b))
    print("sdk_text=%d" % tot[0])
    print("sdk_data=%d" % tot[1])
    print("sdk_bss=%d" % tot[2])
    for label, elf in (("tls12", args.image12), ("tls13", args.image13)):
        (text, data, bss, _), = berkeley(args.size, [elf])
        print("image_%s_text=%d" % (label, text))
        print("image_%s_data=%d" % (label, data))
        print("image_%s_bss=%d" % (label, bss))
    return 0


# ----------------------------------------------------------------- stack

# Indirect calls the SDK makes to its own functions, by caller (the rest
# reach the port or the caller's callbacks).
API_ELEMENT_HANDLERS = "on_element"  # the api_*.c adapters, found by name below
SDK_INDIRECT = {
    "lum_call": ["lum_json_decode", "lum_json_decode_text", "lum_form_urlencoded_write", "lum_multipart_write",
                 "lum_multipart_rewind"],
    "lum_http_request_send": ["lum_form_urlencoded_write", "lum_multipart_write"],
    "lum_json_decode": ["src/api/call.c:fill_from_body", API_ELEMENT_HANDLERS],
    "lum_json_decode_text": ["src/api/call.c:fill_from_body", "src/api/api_reference.c:append"],
    "lum_multipart_write": ["src/api/reader_memory.c:memory_read"],
    "lum_multipart_rewind": ["src/api/reader_memory.c:memory_rewind"],
    "lum_multipart_init": ["src/api/reader_memory.c:memory_read"],
    # The adapters call the caller's callback, or the SDK's own helpers'.
    "lum_on_snp": ["src/helpers/dna_data.c:on_snp"],
    "src/helpers/dna_data.c:on_snp": ["src/helpers/dna_data.c:put_header"],
    # The sequence scanner hands text to on_text: the caller's, or _into's.
    "src/json/json_string_stream.c:put_decoded": ["src/api/api_reference.c:append"],
    "src/json/json_string_stream.c:flush": ["src/api/api_reference.c:append"],
}
# Indirect calls in mbedTLS during a handshake (tls_indirect): from ssl_*.c
# the BIO callbacks (the port's, which then call the inner transport: the
# board's) and the DRBG; from pk.c / cipher.c any pk_wrap.c / cipher_wrap.c
# function (an over-estimate); from x509_crt.c the port's verify callback;
# elsewhere the DRBG (f_rng).
MBEDTLS_INDIRECT = ["port/mbedtls/tls_transport.c:bio_send", "port/mbedtls/tls_transport.c:bio_recv",
                    "mbedtls_ctr_drbg_random", "mbedtls_psa_external_get_random"]

NODE = re.compile(r'node: \{ title: "([^"]+)" label: "([^"]*)"')
EDGE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
FRAME = re.compile(r"\\n(\d+) bytes \(([a-z,]+)\)")


def load_graph(dirs):
    frame, kind, where, calls = {}, {}, {}, collections.defaultdict(list)
    for d in dirs:
        for ci in glob.glob(os.path.join(d, "**", "*.ci"), recursive=True):
            for line in open(ci, errors="replace"):
                m = NODE.search(line)
                if m:
                    f = FRAME.search(m.group(2))
                    if f:
                        frame[m.group(1)] = int(f.group(1))
                        kind[m.group(1)] = f.group(2)
                        where[m.group(1)] = m.group(2).split("\\n")[1]
                    continue
                m = EDGE.search(line)
                if m:
                    calls[m.group(1)].append(m.group(2))
    return frame, kind, where, calls


class Stack:
    """Deepest call chain. A function may appear on a chain up to its bound
    in RECURSION_BOUND times (default once: a deeper cycle is cut there and
    reported); results are memoised only where no cycle was cut below."""

    def __init__(self, frame, kind, where, calls, indirect, exact=True):
        self.frame, self.kind, self.where, self.calls, self.indirect = frame, kind, where, calls, indirect
        self.exact = exact  # False: memoise even below a cut cycle (linear time on mbedTLS's graph)
        self.memo = {}
        self.cut = set()

    def targets(self, fn):
        for t in self.calls.get(fn, ()):
            if t == "__indirect_call":
                for it in self.indirect(fn):
                    yield it
            else:
                yield t

    def worst(self, fn, path=()):
        """(bytes, path, cut) of the deepest chain from fn."""
        if fn in self.memo:
            return self.memo[fn]
        if fn not in self.frame:
            return 0, [], False  # libc and compiler builtins: not in these objects
        if path.count(fn) >= RECURSION_BOUND.get(name_of(fn), 1):
            self.cut.add(" -> ".join(path[path.index(fn):] + (fn,)))
            return 0, [], True
        best, best_path, cut = 0, [], False
        for t in set(self.targets(fn)):
            b, p, c = self.worst(t, path + (fn,))
            cut = cut or c
            if b > best:
                best, best_path = b, p
        r = (self.frame[fn] + best, [fn] + best_path, cut)
        if not cut or not self.exact:
            self.memo[fn] = r
        return r


# How deep each recursion in the SDK can go, as frames of the function on one
# chain (read off the code): lum_call -> lum_auth_ensure -> lum_post_jwt_auth
# -> lum_call happens once (the login is not authenticated); models nest
# three deep at most, the root included (Authorization > scopes > name,
# Authorization > report_files > file_location; src/api/models.c), so the
# decoder and the encoder recurse to three frames. The bound is applied to
# every entry point, flat models included: an over-estimate for those.
RECURSION_BOUND = {"lum_call": 2, "lum_auth_ensure": 1, "lum_json_decode_object": 3, "encode_object": 3}


def name_of(node):
    return node.split(":")[-1]


def cmd_stack(args):
    frame, kind, where, calls = load_graph(args.ci_dir)
    handlers = [n for n in frame if (n.startswith("src/api/") and name_of(n).startswith("on_"))
                or n in ("lum_on_snp", "lum_on_rsid")]
    unresolved = collections.Counter()

    def sdk_indirect(fn):
        out = []
        base = fn.split(".")[0] if ":" not in fn else fn[:fn.index(":") + 1] + name_of(fn).split(".")[0]
        for t in SDK_INDIRECT.get(fn, SDK_INDIRECT.get(base, SDK_INDIRECT.get(name_of(fn), []))):
            out.extend(handlers if t == API_ELEMENT_HANDLERS else [t])
        if not out:
            unresolved[fn] += 1
        return out

    wrappers = [n for n in frame if re.search(r"/library/(pk_wrap|cipher_wrap|md)\.c:", n)]

    verify = [n for n in frame if n.startswith("port/mbedtls/tls_verify.c:")]

    def tls_indirect(fn):
        """Where an indirect call in mbedTLS can go, by the caller's file."""
        w = where[fn]
        if w.startswith("port/") or "/library/ctr_drbg.c" in w:
            return []  # the inner transport, the platform's entropy: the board's
        if "/library/ssl_" in w:
            return MBEDTLS_INDIRECT
        if "/library/pk.c" in w:
            return [n for n in wrappers if "/pk_wrap.c:" in n]
        if "/library/cipher.c" in w:
            return [n for n in wrappers if "/cipher_wrap.c:" in n]
        if "/library/x509_crt.c" in w:
            return verify
        if re.search(r"/library/(bignum|ecp|ecdsa|ecdh|rsa|pk_wrap|psa_)", w):
            return MBEDTLS_INDIRECT[2:]  # f_rng
        return []  # e.g. platform_util.c's volatile memset pointer

    sdk_public = sorted(n for n in frame if ":" not in n and n.startswith("lum_") and where[n].startswith("src/"))
    dynamic = sorted(n for n in frame if where[n].startswith("src/") and kind[n] != "static")
    st = Stack(frame, kind, where, calls, sdk_indirect)
    ranked = sorted(((st.worst(f), f) for f in sdk_public), key=lambda x: -x[0][0])
    (sdk_bytes, sdk_path, _), entry = ranked[0]
    print("SDK: deepest path from a public function (%d public functions; frames from -fstack-usage)" % len(sdk_public))
    for fn in sdk_path:
        print("  %5d  %s  (%s)" % (frame[fn], fn, where[fn]))
    print("  next deepest: %s" % ", ".join("%s %d" % (f, w[0]) for w, f in ranked[1:6]))
    print("  indirect calls left to the port or the caller (not counted), in: %s"
          % ", ".join(sorted(name_of(f) for f in unresolved)))
    print("  not counted: calls into the port (transport, clock, log) and into the caller's callbacks;")
    print("  their stack is the board's and the caller's. Frames with alloca/VLA in the SDK: %s" % (dynamic or "none"))
    if st.cut:
        print("  recursion cut at its bound: %s" % "; ".join(sorted(st.cut)[:4]))

    tls_entry = "port/mbedtls/tls_transport.c:tls_connect"
    tls_bytes = None
    if tls_entry in frame:
        st_tls = Stack(frame, kind, where, calls, tls_indirect, exact=False)
        tls_bytes, tls_path, _ = st_tls.worst(tls_entry)
        print("TLS handshake: deepest path from the TLS transport's connect (mbedTLS included)")
        for fn in tls_path:
            print("  %5d  %s  (%s)" % (frame[fn], fn, where[fn]))
        dyn = sorted(n for n in tls_path if kind[n] != "static")
        if dyn:
            print("  dynamic frames on this path (sizes are gcc's bound):", ", ".join(dyn))
        if st_tls.cut:
            print("  %d call cycles in mbedTLS cut (each function counted once per chain)" % len(st_tls.cut))
    print("stack_worst_sdk=%d" % sdk_bytes)
    print("stack_worst_sdk_entry=%s" % entry)
    if tls_bytes is not None:
        print("stack_worst_tls=%d" % tls_bytes)
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("size")
    s.add_argument("--size", required=True)
    s.add_argument("--nm", required=True)
    s.add_argument("--readelf", required=True)
    s.add_argument("--sdk-lib", required=True)
    s.add_argument("--image12", required=True)
    s.add_argument("--image13", required=True)
    k = sub.add_parser("stack")
    k.add_argument("--ci-dir", action="append", required=True)
    args = p.parse_args(argv)
    return cmd_size(args) if args.cmd == "size" else cmd_stack(args)


if __name__ == "__main__":
    sys.exit(main())
