"""Exceptions raised by apisign.

One base class, :class:`ApisignError`, and one subclass per error kind of the Rust core. Each
class carries the kind's stable snake_case name (``kind``) and its numeric code (``code``, the
C ABI result code), so Python, C and Go report the same codes, and every instance the HTTP status
to answer with (``status``: the platform's, for a verifier's rejection). Messages never contain
secrets.
"""

from __future__ import annotations

from typing import ClassVar, Dict, Optional, Type

__all__ = [
    "ApisignError",
    "InvalidInputError",
    "BareQueryKeyError",
    "InvalidEscapeError",
    "InvalidUrlError",
    "InvalidJsonError",
    "BadKeyError",
    "InputTooLargeError",
    "RngError",
    "CryptoError",
    "VerificationError",
    "MissingAuthError",
    "MalformedAuthError",
    "UnknownCallerError",
    "UnknownDatasetError",
    "AccessDeniedError",
    "TimestampOutOfWindowError",
    "SignatureInvalidError",
    "NonceReusedError",
    "NonceStoreFullError",
    "NonceStoreUnavailableError",
    "IpNotAllowedError",
    "CLASS_BY_KIND",
]


class ApisignError(Exception):
    """Base class of every apisign error.

    ``str(err)`` is ``"<field>: <message>"`` when the error concerns one input; ``field`` names
    that input (``"app_code"``, ``"url"``, ``"body"``…) or is ``None``; ``message`` is the text
    without the field prefix.
    """

    kind: ClassVar[str] = ""
    code: ClassVar[int] = 0
    default_status: ClassVar[int] = 500
    """The HTTP status of the kind, before any platform's own."""

    def __init__(
        self,
        text: str,
        field: Optional[str] = None,
        message: Optional[str] = None,
        platform_code: Optional[str] = None,
        status: Optional[int] = None,
    ) -> None:
        super().__init__(text)
        self.field = field
        self.message = text if message is None else message
        self.platform_code = platform_code
        """The platform's own code for a verification failure (an error code, a message or an
        HTTP status, as the real platform answers); ``None`` otherwise."""
        self.status: int = self.default_status if status is None else status
        """The HTTP status to answer with: 400 malformed input, 413 too large, 401/403 a
        rejection (as the platform answers it), 503 an unusable nonce store, 500 otherwise."""


class InvalidInputError(ApisignError, ValueError):
    """A caller-supplied value is missing or malformed; ``field`` names it."""

    kind = "invalid_input"
    code = 1000
    default_status = 400


class BareQueryKeyError(ApisignError, ValueError):
    """A query or form key whose first occurrence has no ``=`` (``?flag``; ``?flag=1&flag`` is
    fine): a server that parses such keys fails on it. Write ``k=``."""

    kind = "bare_query_key"
    code = 1001
    default_status = 400


class InvalidEscapeError(ApisignError, ValueError):
    """A malformed ``%`` escape in a path, query or form body (write a literal ``%`` as ``%25``)."""

    kind = "invalid_escape"
    code = 1002
    default_status = 400


class InvalidUrlError(ApisignError, ValueError):
    """The URL is neither a path starting with ``/`` nor an absolute http(s) URL."""

    kind = "invalid_url"
    code = 1003
    default_status = 400


class InvalidJsonError(ApisignError, ValueError):
    """A body or parameter set that must be a JSON object is not one."""

    kind = "invalid_json"
    code = 1004
    default_status = 400


class BadKeyError(ApisignError, ValueError):
    """RSA key material that cannot be parsed or is too weak."""

    kind = "bad_key"
    code = 1005
    default_status = 500


class InputTooLargeError(ApisignError, ValueError):
    """An input exceeds a documented size or count limit."""

    kind = "input_too_large"
    code = 1006
    default_status = 413


class RngError(ApisignError):
    """The operating system's random generator failed."""

    kind = "rng"
    code = 1007
    default_status = 500


class CryptoError(ApisignError):
    """A cryptographic operation failed unexpectedly."""

    kind = "crypto"
    code = 1008
    default_status = 500


class VerificationError(ApisignError):
    """Base of the verification rejections: the request was checked and is not authentic or
    not acceptable (answer 401/403 with ``platform_code``)."""


class MissingAuthError(VerificationError):
    """A required authentication header is absent or empty."""

    kind = "missing_auth"
    code = 2000
    default_status = 401


class MalformedAuthError(VerificationError):
    """An authentication header is present but malformed."""

    kind = "malformed_auth"
    code = 2001
    default_status = 401


class UnknownCallerError(VerificationError):
    """The app, client or key id is not in the credential store."""

    kind = "unknown_caller"
    code = 2002
    default_status = 401


class UnknownDatasetError(VerificationError):
    """The scope (dataset) named by the request is unknown."""

    kind = "unknown_dataset"
    code = 2003
    default_status = 403


class AccessDeniedError(VerificationError):
    """The caller may not access the resource (scope, dataset)."""

    kind = "access_denied"
    code = 2004
    default_status = 403


class TimestampOutOfWindowError(VerificationError):
    """The timestamp is too old or too far ahead."""

    kind = "timestamp_out_of_window"
    code = 2005
    default_status = 401


class SignatureInvalidError(VerificationError):
    """The signature does not match the request."""

    kind = "signature_invalid"
    code = 2006
    default_status = 401


class NonceReusedError(VerificationError):
    """The nonce was already used within its replay window."""

    kind = "nonce_reused"
    code = 2007
    default_status = 401


class NonceStoreFullError(ApisignError):
    """The nonce store is at its memory bound and refuses new nonces; answer 503."""

    kind = "nonce_store_full"
    code = 2008
    default_status = 503


class NonceStoreUnavailableError(ApisignError):
    """The shared nonce store cannot be reached; the request is refused."""

    kind = "nonce_store_unavailable"
    code = 2009
    default_status = 503


class IpNotAllowedError(VerificationError):
    """The caller is authentic but its address is not in its credential's ``allowed_ips`` (or
    the address is unknown); answer 403."""

    kind = "ip_not_allowed"
    code = 2010
    default_status = 403


CLASS_BY_KIND: Dict[str, Type[ApisignError]] = {
    cls.kind: cls
    for cls in (
        InvalidInputError,
        BareQueryKeyError,
        InvalidEscapeError,
        InvalidUrlError,
        InvalidJsonError,
        BadKeyError,
        InputTooLargeError,
        RngError,
        CryptoError,
        MissingAuthError,
        MalformedAuthError,
        UnknownCallerError,
        UnknownDatasetError,
        AccessDeniedError,
        TimestampOutOfWindowError,
        SignatureInvalidError,
        NonceReusedError,
        NonceStoreFullError,
        NonceStoreUnavailableError,
        IpNotAllowedError,
    )
}
"""The exception class for each core error kind; the native module raises through this map."""
