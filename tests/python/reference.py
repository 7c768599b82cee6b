"""Pure-Python (stdlib only) reference implementations of the HMAC/digest schemes, written from
SPEC.md independently of the Rust core. The hypothesis tests compare them with the native
module, the benchmark times them against it, and the end-to-end test server verifies with them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
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


def _spring_text(raw: str) -> str:
    return percent_decode(raw, True).decode("utf-8", errors="replace")


def spring_query_params(query: str) -> List[Tuple[str, str]]:
    """Spring's ``([^&=]+)(=?)([^&]+)?`` over the raw query; a bare key is an error."""
    params = []
    i = 0
    while i < len(query):
        if query[i] in "&=":
            i += 1
            continue
        j = i
        while j < len(query) and query[j] not in "&=":
            j += 1
        name = query[i:j]
        if j >= len(query) or query[j] == "&":
            raise RefError("bare_query_key")
        k = j + 1
        while k < len(query) and query[k] != "&":
            k += 1
        params.append((_spring_text(name), _spring_text(query[j + 1 : k])))
        i = k
    return params


# Spring splits form bodies with StringUtils.tokenizeToStringArray, i.e. Java String.trim():
# every char <= U+0020 is stripped, Unicode spaces are not.
_JAVA_TRIM = "".join(chr(c) for c in range(0x21))


def spring_form_params(body: bytes) -> List[Tuple[str, str]]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise RefError("invalid_input") from None
    params = []
    for pair in text.split("&"):
        pair = pair.strip(_JAVA_TRIM)
        if not pair:
            continue
        if "=" not in pair:
            raise RefError("bare_query_key")
        k, v = pair.split("=", 1)
        params.append((_spring_text(k), _spring_text(v)))
    return params


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
    if content_type and "application/x-www-form-urlencoded" in content_type.lower():
        return param_string(spring_form_params(body)).encode("utf-8")
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
