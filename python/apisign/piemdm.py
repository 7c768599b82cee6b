"""PieMDM: ``X-Sign = hex(HMAC-SHA256(appSecret, canonical request))``.

The canonical request is the method, decoded path, Go-canonical query, SHA-256 of the body,
``X-Timestamp`` (Unix seconds) and ``X-Nonce``, joined by ``\\n``.
"""

from __future__ import annotations

from typing import Union

from ._native import PIEMDM_GENERATED_NONCE_LEN as GENERATED_NONCE_LEN
from ._native import PIEMDM_RECOMMENDED_MIN_NONCE_LEN as RECOMMENDED_MIN_NONCE_LEN
from ._native import PiemdmSigner as Signer
from ._native import Signature
from ._native import piemdm_canonical_request as _canonical_request
from ._native import piemdm_sign as sign

__all__ = [
    "GENERATED_NONCE_LEN",
    "RECOMMENDED_MIN_NONCE_LEN",
    "Signature",
    "Signer",
    "canonical_request",
    "sign",
]


def canonical_request(
    method: str,
    url: str,
    body: Union[bytes, bytearray, str],
    timestamp: Union[int, str],
    nonce: str,
) -> bytes:
    """The canonical request the server rebuilds (bytes: a decoded path need not be UTF-8)."""
    return _canonical_request(method, url, body, str(timestamp), nonce)
