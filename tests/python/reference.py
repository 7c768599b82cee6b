"""Pure-Python (stdlib only) reference implementations of the HMAC/digest schemes, written from
SPEC.md independently of the Rust core. The hypothesis tests compare them with the native
module, the benchmark times them against it, and the end-to-end test server verifies with them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import unicodedata
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple


class RefError(Exception):
    """Signing must fail; ``kind`` is the core's error kind name."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


# --- shared -----------------------------------------------------------------------------------

_HEX = "0123456789abcdefABCDEF"


def percent_decode(text: str, plus_is_space: bool) -> bytes:
    raw = text.encode("utf-8")
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == 0x25:  # '%'
            pair = raw[i + 1 : i + 3]
            if len(pair) != 2 or any(chr(b) not in _HEX for b in pair):
                raise RefError("invalid_escape")
            out.append(int(pair, 16))
            i += 3
        elif c == 0x2B and plus_is_space:
            out.append(0x20)
            i += 1
        else:
            out.append(c)
            i += 1
    return bytes(out)


def split_target(url: str) -> Tuple[str, str]:
    """(raw path, raw query) of a path-with-query or an absolute http(s) URL."""
    url = url.split("#", 1)[0]
    lower = url[:8].lower()
    if lower.startswith("https://") or lower.startswith("http://"):
        rest = url[8:] if lower.startswith("https://") else url[7:]
        cut = min([i for i in (rest.find("/"), rest.find("?")) if i >= 0], default=len(rest))
        if cut == 0:
            raise RefError("invalid_url")
        rest = rest[cut:]
        if rest == "" or rest.startswith("?"):
            rest = "/" + rest
        url = rest
    path, _, query = url.partition("?")
    if not path.startswith("/"):
        raise RefError("invalid_url")
    return path, query


# --- lovrabet ---------------------------------------------------------------------------------


def lovrabet_string_to_sign(access_key: str, app_code: str, dataset_code: str, ts: int) -> str:
    return f"accessKey={access_key}&appCode={app_code}&datasetCode={dataset_code}&timeStamp={ts}"


def lovrabet_sign(
    app_code: str, dataset_code: str, access_key: str, secret_key: str, ts: int
) -> Tuple[Dict[str, str], str]:
    if not app_code or not dataset_code or not access_key or not secret_key:
        raise RefError("invalid_input")
    sts = lovrabet_string_to_sign(access_key, app_code, dataset_code, ts)
    mac = hmac.new(secret_key.encode(), sts.encode(), hashlib.sha256).digest()
    headers = {
        "X-App-Code": app_code,
        "X-Dataset-Code": dataset_code,
        "X-Time-Stamp": str(ts),
        "X-Token": base64.b64encode(mac).decode("ascii"),
    }
    return headers, sts


# --- jetlinks ---------------------------------------------------------------------------------


def java_utf8(raw: bytes) -> str:
    """Java's UTF-8 decoder with replacement (not Python's): one U+FFFD per malformed unit as
    ``sun.nio.cs.UTF_8`` measures it; an incomplete sequence at the end is one unit."""
    out: List[str] = []
    i = 0
    n = len(raw)

    def cont(j: int) -> bool:
        return j < n and raw[j] & 0xC0 == 0x80

    while i < n:
        b = raw[i]
        size = 1 if b < 0x80 else 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 4 if 0xF0 <= b <= 0xF4 else 0
        if size == 0:  # continuation byte, C0, C1, F5..FF
            out.append("\ufffd")
            i += 1
            continue
        chunk = raw[i : i + size]
        try:
            out.append(chunk.decode("utf-8"))
            i += size
            continue
        except UnicodeDecodeError:
            pass
        b2 = raw[i + 1] if i + 1 < n else None
        if size == 2:
            bad = 1
        elif size == 3:
            second_bad = b2 is not None and ((b == 0xE0 and b2 < 0xA0) or not cont(i + 1))
            if n - i < 3:
                bad = 1 if second_bad else n - i
            elif second_bad:
                bad = 1
            elif not cont(i + 2):
                bad = 2
            else:
                bad = 3  # a surrogate (ED A0..BF xx): one unit
        else:
            second_bad = b2 is not None and (
                (b == 0xF0 and not 0x90 <= b2 <= 0xBF) or (b == 0xF4 and not 0x80 <= b2 <= 0x8F)
                or not cont(i + 1)
            )
            if n - i < 4:
                bad = 1 if second_bad else 2 if (n - i > 2 and not cont(i + 2)) else n - i
            else:
                bad = 1 if second_bad else 2 if not cont(i + 2) else 3
        out.append("\ufffd")
        i += bad
    return "".join(out)


def _utf16(raw: bytes, big: bool, sniff_bom: bool) -> str:
    """Java's UTF-16 decoders: a high surrogate without its low half takes the next unit
    with it; a lone low surrogate and an odd tail are one U+FFFD each."""
    if sniff_bom and raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
        big, raw = raw[:2] == b"\xfe\xff", raw[2:]
    out: List[str] = []
    i = 0
    while len(raw) - i >= 2:
        u = int.from_bytes(raw[i : i + 2], "big" if big else "little")
        if 0xD800 <= u <= 0xDBFF:
            if len(raw) - i < 4:
                break
            u2 = int.from_bytes(raw[i + 2 : i + 4], "big" if big else "little")
            out.append(chr(0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00)) if 0xDC00 <= u2 <= 0xDFFF else "\ufffd")
            i += 4
        else:
            out.append("\ufffd" if 0xDC00 <= u <= 0xDFFF else chr(u))
            i += 2
    if i < len(raw):
        out.append("\ufffd")
    return "".join(out)


# Java charset names and aliases (Charset.forName is case-insensitive).
_CHARSETS = {
    "utf-8": ("utf-8", "utf8", "unicode-1-1-utf-8"),
    "latin-1": ("iso-8859-1", "819", "iso8859-1", "l1", "iso_8859-1:1987", "iso_8859-1",
                "8859_1", "iso-ir-100", "latin1", "cp819", "iso8859_1", "ibm819", "ibm-819",
                "csisolatin1"),
    "ascii": ("us-ascii", "ansi_x3.4-1968", "cp367", "csascii", "iso-ir-6", "ascii",
              "iso_646.irv:1983", "ansi_x3.4-1986", "ascii7", "default", "iso_646.irv:1991",
              "iso646-us", "ibm367", "646", "us"),
    "utf-16": ("utf-16", "utf_16", "unicode", "utf16", "unicodebig"),
    "utf-16-be": ("utf-16be", "x-utf-16be", "utf_16be", "iso-10646-ucs-2", "unicodebigunmarked"),
    "utf-16-le": ("utf-16le", "unicodelittleunmarked", "utf_16le", "x-utf-16le"),
    # Python's codecs stand in for Java's here; they agree on valid text only.
    "gbk": ("gbk", "cp936", "windows-936"),
    "gb2312": ("gb2312", "euc-cn", "x-euc-cn", "euccn", "euc_cn", "gb2312-80", "gb2312-1980"),
    "gb18030": ("gb18030", "gb18030-2022"),
}


def java_decode(raw: bytes, charset: str) -> str:
    if charset == "utf-8":
        return java_utf8(raw)
    if charset == "latin-1":
        return raw.decode("latin-1")
    if charset == "ascii":
        return "".join(chr(b) if b < 0x80 else "\ufffd" for b in raw)
    if charset.startswith("utf-16"):
        return _utf16(raw, charset != "utf-16-le", charset == "utf-16")
    return raw.decode(charset, errors="replace")


def _java_digit(c: str) -> int:
    """Java ``Character.digit(c, 16)``: ASCII hex, fullwidth A-F/a-f, any decimal digit."""
    if c in _HEX:
        return int(c, 16)
    o = ord(c)
    for base in (0xFF21, 0xFF41):
        if base <= o < base + 6:
            return o - base + 10
    if o <= 0xFFFF:
        try:
            return unicodedata.decimal(c)
        except ValueError:
            pass
    return -1


def java_url_decode(text: str, charset: str, lenient: bool) -> str:
    """``URLDecoder.decode``: runs of %XX decoded with ``charset``, '+' a space. ``lenient``:
    the escape read by ``Integer.parseInt`` (forms); the query was checked by java.net.URI."""
    out: List[str] = []
    run = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c == "%":
            pair = text[i + 1 : i + 3]
            if len(pair) != 2:
                raise RefError("invalid_escape")
            if lenient and pair[0] in "+-":
                v = _java_digit(pair[1])
                if v < 0 or (pair[0] == "-" and v != 0):
                    raise RefError("invalid_escape")
            elif lenient:
                hi, lo = _java_digit(pair[0]), _java_digit(pair[1])
                if hi < 0 or lo < 0:
                    raise RefError("invalid_escape")
                v = hi * 16 + lo
            else:
                if any(ch not in _HEX for ch in pair):
                    raise RefError("invalid_escape")
                v = int(pair, 16)
            run.append(v)
            i += 3
            if text[i : i + 1] == "%":
                continue
            out.append(java_decode(bytes(run), charset))
            run.clear()
            continue
        out.append(" " if c == "+" else c)
        i += 1
    return "".join(out)


class _Collector:
    """Spring's multi-value map as the JetLinks server reads it: a key whose first
    occurrence has no '=' fails, but only after everything decoded (a bad escape wins)."""

    def __init__(self) -> None:
        self.params: List[Tuple[str, str]] = []
        self.bare_first = False

    def add(self, k: str, v: Optional[str]) -> None:
        if v is not None:
            self.params.append((k, v))
        elif all(k != seen for seen, _ in self.params):
            self.bare_first = True

    def done(self) -> List[Tuple[str, str]]:
        if self.bare_first:
            raise RefError("bare_query_key")
        return self.params


def spring_query_params(query: str) -> List[Tuple[str, str]]:
    """Spring's ``([^&=]+)(=?)([^&]+)?`` over the raw query."""
    found = _Collector()
    i = 0
    while i < len(query):
        if query[i] in "&=":
            i += 1
            continue
        j = i
        while j < len(query) and query[j] not in "&=":
            j += 1
        name = java_url_decode(query[i:j], "utf-8", False)
        if j >= len(query) or query[j] == "&":
            found.add(name, None)
            i = j
            continue
        k = j + 1
        while k < len(query) and query[k] != "&":
            k += 1
        found.add(name, java_url_decode(query[j + 1 : k], "utf-8", False))
        i = k
    return found.done()


# Spring splits form bodies with StringUtils.tokenizeToStringArray, i.e. Java String.trim():
# every char <= U+0020 is stripped, Unicode spaces are not.
_JAVA_TRIM = "".join(chr(c) for c in range(0x21))


def spring_form_params(body: bytes, charset: str = "utf-8") -> List[Tuple[str, str]]:
    text = java_decode(body, charset)
    found = _Collector()
    for pair in text.split("&"):
        pair = pair.strip(_JAVA_TRIM)
        if not pair:
            continue
        k, eq, v = pair.partition("=")
        found.add(java_url_decode(k, charset, True), java_url_decode(v, charset, True) if eq else None)
    return found.done()


_TSPECIALS = set('()<>@,;:\\"/[]?={} \t')


def _token(s: str) -> bool:
    return s != "" and all(0x20 < ord(c) < 0x7F and c not in _TSPECIALS for c in s)


def _quoted(s: str) -> bool:
    return len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'"


def spring_form_charset(content_type: Optional[str]) -> Optional[str]:
    """Spring 5 ``MediaType.parseMediaType`` + ``FORM.isCompatibleWith``: the charset of a
    form (reference codec name), or None for a body signed raw. Invalid headers raise."""
    if not content_type:
        return None
    full, _, params = content_type.partition(";")
    full = full.strip(_JAVA_TRIM)
    if full == "*":
        full = "*/*"
    kind, slash, sub = full.partition("/")
    if not slash or not _token(kind) or not _token(sub) or (kind == "*" and sub != "*"):
        raise RefError("invalid_input")
    charset = None
    if ";" in content_type:
        parts, cur, quoted = [], "", False
        for c in params:
            if c == ";" and not quoted:
                parts.append(cur)
                cur = ""
                continue
            if c == '"':
                quoted = not quoted
            cur += c
        parts.append(cur)
        for part in parts:
            part = part.strip(_JAVA_TRIM)
            if "=" not in part:
                continue
            attr, _, value = part.partition("=")
            attr, value = attr.strip(_JAVA_TRIM), value.strip(_JAVA_TRIM)
            if not _token(attr) or not value:
                raise RefError("invalid_input")
            if attr == "charset":
                charset = value[1:-1] if _quoted(value) else value
                if not charset or not all(c.isascii() and (c.isalnum() or (i and c in "-+:_.")) for i, c in enumerate(charset)):
                    raise RefError("invalid_input")
            elif not _quoted(value) and not _token(value):
                raise RefError("invalid_input")
            if attr == "q":
                try:
                    q = float((value[1:-1] if _quoted(value) else value).rstrip("fFdD"))
                except ValueError:
                    raise RefError("invalid_input") from None
                if not 0 <= q <= 1:
                    raise RefError("invalid_input")
    kind, sub = kind.lower(), sub.lower()
    if not (kind == "*" or (kind == "application" and sub in ("x-www-form-urlencoded", "*"))):
        return None
    if charset is None:
        return "utf-8"
    for codec, names in _CHARSETS.items():
        if charset.lower() in names:
            return codec
    raise RefError("invalid_input")


def param_string(params: List[Tuple[str, str]]) -> str:
    first: Dict[str, str] = {}
    for k, v in params:
        first.setdefault(k, v)
    # Java String.compareTo: UTF-16 code units, i.e. the bytes of UTF-16-BE.
    keys = sorted(first, key=lambda s: s.encode("utf-16-be", "surrogatepass"))
    return "&".join(f"{k}={first[k]}" for k in keys)


def jetlinks_data(method: str, url: str, body: bytes, content_type: Optional[str]) -> bytes:
    m = method.upper()
    if m in ("GET", "DELETE"):
        return param_string(spring_query_params(split_target(url)[1])).encode("utf-8")
    charset = spring_form_charset(content_type)
    if charset is not None:
        return param_string(spring_form_params(body, charset)).encode("utf-8")
    return body


def jetlinks_sign(
    method: str,
    url: str,
    body: bytes,
    content_type: Optional[str],
    client_id: str,
    secure_key: str,
    algorithm: str,
    ts: int,
) -> Tuple[Dict[str, str], str]:
    data = jetlinks_data(method, url, body, content_type)
    h = hashlib.md5() if algorithm == "md5" else hashlib.sha256()
    h.update(data + str(ts).encode() + secure_key.encode())
    headers = {"X-Client-Id": client_id, "X-Timestamp": str(ts), "X-Sign": h.hexdigest()}
    return headers, data.decode("utf-8", errors="replace")


# --- piemdm -----------------------------------------------------------------------------------

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def go_query_escape(raw: bytes) -> str:
    out = []
    for b in raw:
        if b in _UNRESERVED:
            out.append(chr(b))
        elif b == 0x20:
            out.append("+")
        else:
            out.append(f"%{b:02X}")
    return "".join(out)


def go_canonical_query(query: str) -> str:
    """``url.ParseQuery(raw).Encode()``."""
    groups: Dict[bytes, List[bytes]] = {}
    for seg in query.split("&"):
        if not seg or ";" in seg:
            continue
        k, _, v = seg.partition("=")
        try:
            kb, vb = percent_decode(k, True), percent_decode(v, True)
        except RefError:
            continue
        groups.setdefault(kb, []).append(vb)
    return "&".join(
        f"{go_query_escape(k)}={go_query_escape(v)}" for k in sorted(groups) for v in groups[k]
    )


def piemdm_canonical(method: str, url: str, body: bytes, ts: str, nonce: str) -> bytes:
    path, query = split_target(url)
    return b"\n".join(
        [
            method.upper().encode(),
            percent_decode(path, False),
            go_canonical_query(query).encode(),
            hashlib.sha256(body).hexdigest().encode(),
            ts.encode(),
            nonce.encode(),
        ]
    )


def piemdm_sign(
    method: str, url: str, body: bytes, app_id: str, app_secret: str, ts: int, nonce: str
) -> Tuple[Dict[str, str], bytes]:
    canonical = piemdm_canonical(method, url, body, str(ts), nonce)
    sign = hmac.new(app_secret.encode(), canonical, hashlib.sha256).hexdigest()
    headers = {"X-App-Id": app_id, "X-Timestamp": str(ts), "X-Nonce": nonce, "X-Sign": sign}
    return headers, canonical


# --- linksfield (message only: RSA is not in the standard library) ----------------------------


def _spring_text(raw: str) -> str:
    return percent_decode(raw, True).decode("utf-8", errors="replace")


def linksfield_message_v2(url: str, body: bytes, ts: str, nonce: str) -> str:
    path, query = split_target(url)
    params: Dict[str, Any] = {}
    for seg in query.split("&"):
        if not seg:
            continue
        k, _, v = seg.partition("=")
        key = _spring_text(k)
        val = _spring_text(v)
        params[key] = params[key] + "," + val if isinstance(params.get(key), str) else val
    if body.strip():
        fields = json.loads(body)
        if not isinstance(fields, dict):
            raise RefError("invalid_json")
        params.update(fields)
    params.update({"timestamp": ts, "nonce": nonce, "x-sign-uri": path})
    params = {k: v for k, v in params.items() if v is not None and v != ""}
    return _java_json(params)


def _java_json(value: Any) -> str:
    """JSON as Jackson writes a TreeMap read by its untyped deserializer: keys in UTF-16 code
    unit order at every level, only '"', '\\' and controls escaped (\\b \\t \\n \\f \\r short,
    others \\u00XX uppercase), integers canonical, floats as Java's Double.toString."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _java_double(value)
    if isinstance(value, str):
        return _java_string(value)
    if isinstance(value, list):
        return "[" + ",".join(_java_json(v) for v in value) + "]"
    keys = sorted(value, key=lambda s: s.encode("utf-16-be", "surrogatepass"))
    return "{" + ",".join(_java_string(k) + ":" + _java_json(value[k]) for k in keys) + "}"


_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _java_string(s: str) -> str:
    out = []
    for ch in s:
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _java_double(d: float) -> str:
    """Java's Double.toString (JDK 19+): the shortest decimal that reads back (at least two
    digits considered), the closest one, ties to even; plain between 1e-3 and 1e7."""
    if d in (float("inf"), float("-inf")):
        return '"Infinity"' if d > 0 else '"-Infinity"'  # Jackson's WRITE_NAN_AS_STRINGS
    if d == 0:
        return "-0.0" if str(d).startswith("-") else "0.0"
    sign, a = ("-" if d < 0 else ""), abs(d)
    shortest = len(Decimal(repr(a)).normalize().as_tuple().digits)
    closest = "%.*e" % (max(shortest, 2) - 1, a)  # correctly rounded, ties to even
    text = closest if float(closest) == a else repr(a)
    t = Decimal(text).normalize().as_tuple()
    assert isinstance(t.exponent, int)  # finite
    digits = "".join(map(str, t.digits))
    exp = t.exponent + len(digits) - 1  # a = d1.d2... * 10^exp
    if -3 <= exp < 7:
        if exp >= 0:
            whole, frac = digits[: exp + 1].ljust(exp + 1, "0"), digits[exp + 1 :]
            return f"{sign}{whole}.{frac or '0'}"
        return f"{sign}0.{'0' * (-exp - 1)}{digits}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exp}"
