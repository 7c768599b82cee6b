"""apisign: sign (and verify) HTTP API requests for Lovrabet, JetLinks, PieMDM and Linksfield
Cube with the same Rust core as the C, Go and CLI surfaces, so every language sends the same
bytes.

Any scheme by name: ``apisign.sign("jetlinks", method, url, body, client_id=..., ...)``,
``apisign.Signer(scheme, **params)``, ``apisign.Verifier(scheme, credentials, ...)``;
``apisign.schemes()`` lists each scheme's parameters. Per-scheme modules: :mod:`apisign.lovrabet`, :mod:`apisign.jetlinks`, :mod:`apisign.piemdm`,
:mod:`apisign.linksfield`; token lifetimes in :mod:`apisign.lifetime`; HTTP adapters in
:mod:`apisign.requests` and :mod:`apisign.httpx` (imported on demand, so neither library is a
dependency); server middleware in :mod:`apisign.asgi` and :mod:`apisign.wsgi`, the FastAPI
dependency in :mod:`apisign.fastapi`.
"""

from __future__ import annotations

from . import errors, jetlinks, lifetime, linksfield, lovrabet, piemdm, verify
from ._native import Credentials, NonceStore, PrivateKey, PublicKey, Signature, Signer
from ._native import TokenLifetime, Verified, Verifier, client_ip, schemes, sign
from ._native import __version__ as __version__
from .errors import (
    AccessDeniedError,
    ApisignError,
    BadKeyError,
    BareQueryKeyError,
    CryptoError,
    InputTooLargeError,
    InvalidEscapeError,
    InvalidInputError,
    InvalidJsonError,
    InvalidUrlError,
    IpNotAllowedError,
    MalformedAuthError,
    MissingAuthError,
    NonceReusedError,
    NonceStoreFullError,
    NonceStoreUnavailableError,
    RngError,
    SignatureInvalidError,
    TimestampOutOfWindowError,
    UnknownCallerError,
    UnknownDatasetError,
    VerificationError,
)

__all__ = [
    "AccessDeniedError",
    "Credentials",
    "NonceStore",
    "Signer",
    "Verified",
    "Verifier",
    "client_ip",
    "schemes",
    "sign",
    "ApisignError",
    "BadKeyError",
    "BareQueryKeyError",
    "CryptoError",
    "InputTooLargeError",
    "InvalidEscapeError",
    "InvalidInputError",
    "InvalidJsonError",
    "InvalidUrlError",
    "IpNotAllowedError",
    "MalformedAuthError",
    "MissingAuthError",
    "NonceReusedError",
    "NonceStoreFullError",
    "NonceStoreUnavailableError",
    "PrivateKey",
    "PublicKey",
    "RngError",
    "Signature",
    "SignatureInvalidError",
    "TimestampOutOfWindowError",
    "TokenLifetime",
    "__version__",
    "UnknownCallerError",
    "UnknownDatasetError",
    "VerificationError",
    "errors",
    "jetlinks",
    "lifetime",
    "linksfield",
    "lovrabet",
    "piemdm",
    "verify",
]
