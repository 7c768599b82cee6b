"""Linksfield Cube: ``Authorization: LF {keyId}/{base64(SHA1withRSA(message))}``.

Version 2 (default) signs sorted compact JSON of the query parameters, the JSON body fields,
``timestamp``, ``nonce`` and ``x-sign-uri``. Version 1 (deprecated) signs typed parameters
plus ``timestamp`` and an integer ``nonce``, which the caller also sends in the query or body.
RSA runs with the GIL released.
"""

from __future__ import annotations

import json
from typing import Any, Literal, Mapping, Optional, Union, overload

from ._native import LINKSFIELD_MIN_KEY_BITS as MIN_KEY_BITS
from ._native import LinksfieldSigner as _NativeSigner
from ._native import LinksfieldV1Signature as V1Signature
from ._native import PrivateKey, PublicKey, Signature
from ._native import linksfield_message_v2 as _message_v2
from .errors import InvalidInputError

__all__ = [
    "MIN_KEY_BITS",
    "PrivateKey",
    "PublicKey",
    "Signature",
    "Signer",
    "V1Signature",
    "message_v2",
    "sign",
]

Body = Union[bytes, bytearray, str, None]
V2 = Literal["2.0", "2", "v2"]
V1 = Literal["1.0", "1", "v1"]
_V2 = ("2.0", "2", "v2")
_V1 = ("1.0", "1", "v1")


def _v1_nonce(nonce: Union[int, str, None]) -> Optional[int]:
    if nonce is None or isinstance(nonce, int):
        return nonce
    try:
        return int(nonce, 10)
    except ValueError:
        raise InvalidInputError(
            f"nonce: {nonce!r} is not an integer; signature v1 sends the nonce as a JSON integer",
            "nonce",
            f"{nonce!r} is not an integer; signature v1 sends the nonce as a JSON integer",
        ) from None


def _json(params: Mapping[str, Any]) -> str:
    # Python floats print their shortest round-trip form; the core keeps number text verbatim.
    return json.dumps(dict(params), ensure_ascii=False, allow_nan=False)


def _bad_version(version: str) -> InvalidInputError:
    msg = f"{version!r} is not a signature version; use 2.0 or 1.0"
    return InvalidInputError(f"version: {msg}", "version", msg)


class Signer:
    """A linksfield client: key id and private key (parsed once; PEM, base64 DER or DER)."""

    __slots__ = ("_native",)

    def __init__(self, key_id: str, private_key: Union[PrivateKey, str, bytes]) -> None:
        self._native = _NativeSigner(key_id, private_key)

    @property
    def key_id(self) -> str:
        return self._native.key_id

    def __repr__(self) -> str:
        return f"linksfield.Signer(key_id={self.key_id!r}, private_key=<redacted>)"

    def sign_v2(
        self,
        method: str,
        url: str,
        body: Body = b"",
        *,
        timestamp: Optional[int] = None,
        nonce: Optional[str] = None,
    ) -> Signature:
        """Version 2: headers ``Authorization``, ``timestamp``, ``nonce``, ``X-LF-Signature-Type``."""
        return self._native.sign_v2(method, url, body, timestamp=timestamp, nonce=nonce)

    def sign_v1(
        self,
        method: str,
        url: str,
        body: Body = b"",
        *,
        extra: Optional[Mapping[str, Any]] = None,
        timestamp: Optional[int] = None,
        nonce: Union[int, str, None] = None,
    ) -> V1Signature:
        """Version 1 over the query (strings) and JSON body fields (typed), plus ``extra``
        (path parameters or typed overrides). Send the returned ``timestamp`` and ``nonce`` in
        the query (GET) or body too."""
        return self._native.sign_v1(
            method,
            url,
            body,
            extra_json=None if extra is None else _json(extra),
            timestamp=timestamp,
            nonce=_v1_nonce(nonce),
        )

    def sign_v1_params(
        self,
        params: Mapping[str, Any],
        *,
        timestamp: Optional[int] = None,
        nonce: Union[int, str, None] = None,
    ) -> V1Signature:
        """Version 1 over typed parameters (every query, body and path parameter by name)."""
        return self._native.sign_v1_params(_json(params), timestamp=timestamp, nonce=_v1_nonce(nonce))

    @overload
    def sign(
        self,
        method: str,
        url: str,
        body: Body = ...,
        *,
        version: V2 = ...,
        timestamp: Optional[int] = ...,
        nonce: Union[int, str, None] = ...,
    ) -> Signature: ...

    @overload
    def sign(
        self,
        method: str,
        url: str,
        body: Body = ...,
        *,
        version: V1,
        timestamp: Optional[int] = ...,
        nonce: Union[int, str, None] = ...,
    ) -> V1Signature: ...

    @overload
    def sign(
        self,
        method: str,
        url: str,
        body: Body = ...,
        *,
        version: str,
        timestamp: Optional[int] = ...,
        nonce: Union[int, str, None] = ...,
    ) -> Union[Signature, V1Signature]: ...

    def sign(
        self,
        method: str,
        url: str,
        body: Body = b"",
        *,
        version: str = "2.0",
        timestamp: Optional[int] = None,
        nonce: Union[int, str, None] = None,
    ) -> Union[Signature, V1Signature]:
        """Sign with ``version`` ``"2.0"`` (default) or ``"1.0"``."""
        if version in _V2:
            return self.sign_v2(
                method, url, body, timestamp=timestamp, nonce=None if nonce is None else str(nonce)
            )
        if version in _V1:
            return self.sign_v1(method, url, body, timestamp=timestamp, nonce=nonce)
        raise _bad_version(version)


@overload
def sign(
    method: str,
    url: str,
    body: Body = ...,
    *,
    key_id: str,
    private_key: Union[PrivateKey, str, bytes],
    version: V2 = ...,
    timestamp: Optional[int] = ...,
    nonce: Union[int, str, None] = ...,
) -> Signature: ...


@overload
def sign(
    method: str,
    url: str,
    body: Body = ...,
    *,
    key_id: str,
    private_key: Union[PrivateKey, str, bytes],
    version: V1,
    timestamp: Optional[int] = ...,
    nonce: Union[int, str, None] = ...,
) -> V1Signature: ...


@overload
def sign(
    method: str,
    url: str,
    body: Body = ...,
    *,
    key_id: str,
    private_key: Union[PrivateKey, str, bytes],
    version: str,
    timestamp: Optional[int] = ...,
    nonce: Union[int, str, None] = ...,
) -> Union[Signature, V1Signature]: ...


def sign(
    method: str,
    url: str,
    body: Body = b"",
    *,
    key_id: str,
    private_key: Union[PrivateKey, str, bytes],
    version: str = "2.0",
    timestamp: Optional[int] = None,
    nonce: Union[int, str, None] = None,
) -> Union[Signature, V1Signature]:
    """One-shot signing. Pass a parsed :class:`PrivateKey` when signing often: parsing a PEM
    key costs far more than signing."""
    return Signer(key_id, private_key).sign(
        method, url, body, version=version, timestamp=timestamp, nonce=nonce
    )


def message_v2(
    method: str, url: str, body: Body, timestamp: Union[int, str], nonce: str
) -> str:
    """The version 2 message for these exact ``timestamp`` and ``nonce`` strings."""
    return _message_v2(method, url, b"" if body is None else body, str(timestamp), nonce)
