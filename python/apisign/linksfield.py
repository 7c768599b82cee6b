"""Linksfield Cube: ``Authorization: LF {keyId}/{base64(SHA1withRSA(message))}``.

Version 2 (default) signs sorted compact JSON of the query parameters, the JSON body fields,
``timestamp``, ``nonce`` and ``x-sign-uri``. Version 1 (deprecated) signs typed parameters
plus ``timestamp`` and an integer ``nonce``, which the caller also sends in the query or body.
RSA runs with the GIL released.
"""

from __future__ import annotations

import json
from typing import Any, Literal, Mapping, Optional, Union, overload

from . import _native
from ._wire import Body, Headers
from ._native import MIN_KEY_BITS
from ._native import LinksfieldV1Signature as V1Signature
from ._native import PrivateKey, PublicKey, Signature, Verified
from ._native import linksfield_message_v2 as _message_v2
from .errors import InvalidInputError

__all__ = [
    "MIN_KEY_BITS",
    "PrivateKey",
    "PublicKey",
    "Signature",
    "Signer",
    "V1Signature",
    "Verifier",
    "message_v2",
    "sign",
]

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


def _key(private_key: Union[PrivateKey, str, bytes]) -> PrivateKey:
    if isinstance(private_key, PrivateKey):
        return private_key
    if isinstance(private_key, (str, bytes)):
        return PrivateKey(private_key)
    raise TypeError(
        "private_key must be a PrivateKey, str (PEM/base64) or bytes (PEM/DER), not "
        + type(private_key).__name__
    )


class Signer(_native.Signer):
    """A linksfield client: key id and private key (parsed once; PEM, base64 DER or DER)."""

    __slots__ = ("_v1",)
    _v1: _native.LinksfieldV1Signer

    def __new__(cls, key_id: str, private_key: Union[PrivateKey, str, bytes]) -> Signer:
        key = _key(private_key)
        self = super().__new__(cls, "linksfield", key_id=key_id, private_key=key)
        self._v1 = _native.LinksfieldV1Signer(key_id, key)
        return self

    @property
    def key_id(self) -> str:
        return dict(self.params)["key_id"]

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
        return _native.Signer.sign(self, method, url, body, timestamp=timestamp, nonce=nonce)

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
        return self._v1.sign_v1(
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
        return self._v1.sign_v1_params(_json(params), timestamp=timestamp, nonce=_v1_nonce(nonce))

    @overload  # type: ignore[override]
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




class Verifier:
    """Verifies linksfield signatures (v2; v1 too unless ``accept_v1=False``) with the key id's
    registered public key; with ``nonces``, a key id's nonce is refused after its first use."""

    __slots__ = ("_verifier", "_args")

    def __init__(
        self,
        credentials: _native.Credentials,
        *,
        nonces: Optional[_native.NonceStore] = None,
        max_age_ms: Optional[int] = None,
        max_ahead_ms: Optional[int] = None,
        accept_v1: bool = True,
    ) -> None:
        self._verifier = _native.Verifier(
            "linksfield", credentials, nonces=nonces, max_age_ms=max_age_ms,
            max_ahead_ms=max_ahead_ms, accept_v1=accept_v1,
        )
        # Path parameters (v1) need the scheme's own verifier; same store, window and nonces.
        self._args = (credentials, nonces, max_age_ms, max_ahead_ms, accept_v1)

    def verify(
        self,
        method: str,
        url: str,
        headers: Headers,
        body: Body = b"",
        *,
        path_params: Optional[Mapping[str, Any]] = None,
        now_ms: Optional[int] = None,
        client_ip: Optional[str] = None,
    ) -> Verified:
        """Verify a received request from ``client_ip`` (checked against the key id's
        ``allowed_ips``); for v1, ``path_params`` are the router's typed path parameters, which
        the client signed."""
        if path_params is None:
            return self._verifier.verify(
                method, url, headers, body, now_ms=now_ms, client_ip=client_ip
            )
        credentials, nonces, max_age_ms, max_ahead_ms, accept_v1 = self._args
        typed = _native.LinksfieldPathVerifier(
            credentials, nonces=nonces, max_age_ms=max_age_ms, max_ahead_ms=max_ahead_ms,
            accept_v1=accept_v1,
        )
        params = json.dumps(dict(path_params), ensure_ascii=False)
        return typed.verify(
            method, url, headers, body, path_params_json=params, now_ms=now_ms,
            client_ip=client_ip,
        )


def _add(
    credentials: _native.Credentials, key_id: str, public_key: Union[PublicKey, str, bytes]
) -> None:
    """``Credentials.add_linksfield``: a key id and its public key."""
    credentials.add("linksfield", key_id=key_id, public_key=public_key)
