"""apisign: sign (and verify) HTTP API requests for Lovrabet, JetLinks, PieMDM and Linksfield
Cube with the same Rust core as the C, Go and CLI surfaces, so every language sends the same
bytes.

Per-scheme modules: :mod:`apisign.lovrabet`, :mod:`apisign.jetlinks`, :mod:`apisign.piemdm`,
:mod:`apisign.linksfield`; token lifetimes in :mod:`apisign.lifetime`; HTTP adapters in
:mod:`apisign.requests` and :mod:`apisign.httpx` (imported on demand, so neither library is a
dependency).
"""

from __future__ import annotations

from . import errors, jetlinks, lifetime, linksfield, lovrabet, piemdm, verify
from ._native import PrivateKey, PublicKey, Signature, TokenLifetime
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
    "ApisignError",
    "BadKeyError",
    "BareQueryKeyError",
    "CryptoError",
    "InputTooLargeError",
    "InvalidEscapeError",
    "InvalidInputError",
    "InvalidJsonError",
    "InvalidUrlError",
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
