"""Bodies for the Jackson differential test: hand-picked edge cases, then seeded random JSON
objects (non-BMP and U+E000..U+FFFF keys, every control character, -0, floats in many
spellings, big integers, nesting, arrays, unicode, escapes, duplicate keys).

Writes <out>/bodies.txt (bodies both sides must sign identically) and <out>/known.txt (bodies
Jackson accepts and apisign refuses, on purpose), one JSON string literal per line.
Usage: gen_bodies.py <out dir> [count] [seed]"""

import json
import random
import sys

HAND = [
    '{"😀":1,"Ａ":2}',
    '{"\ue000":1,"\U00010000":2,"\uffff":3,"\ud7ff":4}',
    '{"s":"a\\u001fb"}',
    '{"n":-0}',
    '{"a":-0.0,"b":1E2,"c":1e2,"d":1.50,"e":1e-7,"f":0.001,"g":0.0001,"h":1e7,"i":9999999.999}',
    '{"a":123456789012345678901234567890,"b":-9223372036854775809,"c":9223372036854775807}',
    '{"a":2147483648,"b":-2147483649,"c":4294967296}',
    '{"a":1e400,"b":-1e400,"c":1e-400,"d":-1e-400}',
    '{"a":5e-324,"b":4.9e-324,"c":1.7976931348623157e308,"d":2.2250738585072014E-308}',
    '{"a":2e23,"b":1e23,"c":8.41e21,"d":5.0E-324}',
    '{"s":"\\u007f\\u2028\\u2029\\/\\"\\\\","t":"\u007f\u2028\u2029"}',
    '{"s":"\\b\\t\\n\\f\\r\\u0000\\u000b\\u000e\\u001F"}',
    '{"s":"\\ud83d\\ude00 😀 𝄞 \\uD834\\uDD1E"}',
    '{"z":{"b":{"😀":[{"Ａ":1,"a":[]}],"a":{}},"a":null},"y":[null,"",{}]}',
    '{"a":null,"b":"","c":" ","d":[],"e":{},"f":false,"g":0}',
    '{"a":1,"a":2}',
    '{"timestamp":"9","nonce":"x","x-sign-uri":"/other"}',
    '  {"a" : 1 ,\n\t"b" : [ 1 , 2 ] }  ',
    '',
    '   ',
    '{}',
    '{"":1,"\\u0000":2," ":3}',
    '{"k":"' + "张三" * 50 + '"}',
    '{"a":' + '[' * 62 + ']' * 62 + '}',
]

# Jackson accepts these; apisign refuses them (documented in src/schemes/linksfield/java_json.rs
# and the report): a lone surrogate (Java signs it as '?'), trailing content after the object
# (Jackson's FAIL_ON_TRAILING_TOKENS is off by default), nesting deeper than apisign's limit of
# 64 levels (MAX_JSON_DEPTH; Jackson's own limit is 1000).
KNOWN = [
    '{"s":"\\ud800"}',
    '{"s":"\\udc00x"}',
    '{"a":1} x',
    '{"a":1}{"b":2}',
    '{"a":' + '[' * 64 + ']' * 64 + '}',
    '{"a":' + '[' * 200 + ']' * 200 + '}',
]

KEY_CHARS = (
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.$ ")
    + ["\U0001F600", "\U0001D11E", "\U00010000", "\U0010FFFF", "\uFF21", "\uE000", "\uFFFD",
       "\uFFFF", "\uD7FF", "\u00e9", "张", "Ω", "\u007f", "\u2028", "\u2029", "/", '"', "\\"]
    + [chr(c) for c in range(0x20)]
)


def rand_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(KEY_CHARS) for _ in range(n))


def enc_string(rng: random.Random, s: str) -> str:
    """A JSON string literal for s, each character spelled one of the legal ways."""
    out = ['"']
    for ch in s:
        c = ord(ch)
        short = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
                 "\r": "\\r", "/": "\\/"}
        if c < 0x20 or ch in '"\\':
            choices = [f"\\u{c:04x}", f"\\u{c:04X}"] + ([short[ch]] if ch in short else [])
            out.append(rng.choice(choices))
        elif rng.random() < 0.2:
            if c >= 0x10000:
                v = c - 0x10000
                hi, lo = 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)
                out.append(f"\\u{hi:04x}\\u{lo:04X}")
            else:
                out.append(short.get(ch, f"\\u{c:04x}"))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def rand_number(rng: random.Random) -> str:
    kind = rng.randrange(12)
    sign = "-" if rng.random() < 0.3 else ""
    if kind == 0:
        return rng.choice(["0", "-0", "-0.0", "0.0", "0e0", "-0E+3", "0.000"])
    if kind == 1:
        return sign + str(rng.randrange(0, 1000))
    if kind == 2:
        return sign + str(rng.randrange(1, 10 ** rng.randrange(10, 45)))
    if kind == 3:
        return sign + str(rng.choice([2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64]))
    if kind == 4:
        return repr(rng.uniform(-1e6, 1e6))
    if kind == 5:
        return repr(rng.random() * 10 ** rng.randrange(-30, 30))
    if kind == 6:
        # A random double from its bits: subnormals, huge exponents, 17-digit mantissas.
        import struct
        d = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if d != d or d in (float("inf"), float("-inf")):
            d = 1.0
        return repr(d)
    if kind == 7:
        mant = str(rng.randrange(1, 10 ** rng.randrange(1, 25)))
        exp = rng.randrange(-340, 340)
        e = rng.choice(["e", "E"]) + rng.choice(["", "+", "-"] if exp >= 0 else ["-"]) + str(abs(exp))
        if rng.random() < 0.5 and len(mant) > 1:
            mant = mant[0] + "." + mant[1:]
        return sign + mant + e
    if kind == 8:
        whole = str(rng.randrange(0, 10 ** rng.randrange(1, 9)))
        frac = "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 12)))
        return sign + whole + "." + frac
    if kind == 9:
        return sign + str(rng.randrange(1, 10)) + "e" + str(rng.randrange(0, 25))
    if kind == 10:
        return sign + "1" + "0" * rng.randrange(0, 12) + "." + "0" * rng.randrange(1, 4)
    return sign + str(rng.randrange(1, 100000)) + "." + str(rng.randrange(0, 100000)) + "e-" + str(rng.randrange(0, 10))


def rand_value(rng: random.Random, depth: int) -> str:
    k = rng.randrange(10 if depth < 4 else 7)
    if k == 0:
        return rng.choice(["null", "true", "false"])
    if k in (1, 2, 3):
        return rand_number(rng)
    if k in (4, 5, 6):
        return enc_string(rng, rand_text(rng, rng.randrange(0, 8)))
    if k in (7, 8):
        return rand_object(rng, depth + 1)
    items = [rand_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    return "[" + ",".join(items) + "]"


def ws(rng: random.Random) -> str:
    return rng.choice(["", "", "", " ", "\n", "\t ", "\r\n"])


def rand_object(rng: random.Random, depth: int) -> str:
    keys = [rand_text(rng, rng.randrange(0, 5)) for _ in range(rng.randrange(0, 7))]
    if keys and rng.random() < 0.1:
        keys.append(rng.choice(keys))  # a duplicate: the last one wins on both sides
    parts = [ws(rng) + enc_string(rng, k) + ws(rng) + ":" + ws(rng) + rand_value(rng, depth) + ws(rng)
             for k in keys]
    return "{" + ",".join(parts) + "}"


def main() -> None:
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20261130)
    bodies = HAND + [rand_object(rng, 0) for _ in range(count)]
    for name, items in (("bodies.txt", bodies), ("known.txt", KNOWN)):
        with open(f"{out}/{name}", "w", encoding="utf-8") as f:
            for b in items:
                f.write(json.dumps(b) + "\n")


if __name__ == "__main__":
    main()
