"""Pure-Python (stdlib only) reference implementations of the HMAC/digest schemes, written from
SPEC.md independently of the Rust core. The hypothesis tests compare them with the native
module, the benchmark times them against it, and the end-to-end test server verifies with them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
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
    return json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
