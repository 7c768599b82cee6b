"""Exceptions raised by apisign.

One base class, :class:`ApisignError`, and one subclass per error kind of the Rust core. Each
class carries the kind's stable snake_case name (``kind``) and its numeric code (``code``, the
C ABI result code), so Python, C and Go report the same codes. Messages never contain secrets.
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

    def __init__(
        self, text: str, field: Optional[str] = None, message: Optional[str] = None
    ) -> None:
        super().__init__(text)
        self.field = field
        self.message = text if message is None else message


class InvalidInputError(ApisignError, ValueError):
    """A caller-supplied value is missing or malformed; ``field`` names it."""

    kind = "invalid_input"
    code = 1000


class BareQueryKeyError(ApisignError, ValueError):
    """A query or form parameter without ``=``; the JetLinks server fails on it. Write ``k=``."""

    kind = "bare_query_key"
    code = 1001


class InvalidEscapeError(ApisignError, ValueError):
    """A malformed ``%`` escape in a path, query or form body (write a literal ``%`` as ``%25``)."""

    kind = "invalid_escape"
    code = 1002


class InvalidUrlError(ApisignError, ValueError):
    """The URL is neither a path starting with ``/`` nor an absolute http(s) URL."""

    kind = "invalid_url"
    code = 1003


class InvalidJsonError(ApisignError, ValueError):
    """A body that must be a JSON object (linksfield) is not one."""

    kind = "invalid_json"
    code = 1004


class BadKeyError(ApisignError, ValueError):
    """RSA key material that cannot be parsed or is too weak."""

    kind = "bad_key"
    code = 1005


class InputTooLargeError(ApisignError, ValueError):
    """An input exceeds a documented size or count limit."""

    kind = "input_too_large"
    code = 1006


class RngError(ApisignError):
    """The operating system's random generator failed."""

    kind = "rng"
    code = 1007


class CryptoError(ApisignError):
    """A cryptographic operation failed unexpectedly."""

    kind = "crypto"
    code = 1008


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
    )
}
"""The exception class for each core error kind; the native module raises through this map."""
