"""Server-side verification with the same core that signs.

Register callers in :class:`Credentials` (``creds.add("<scheme>", **params)``, or the
scheme's ``add_<scheme>...`` helpers), keep one :class:`NonceStore` per process for schemes
that remember nonces, and build a :class:`Verifier` per scheme (``Verifier("<scheme>", creds,
...)``, or ``<Scheme>Verifier`` with the scheme's documented arguments).
``verify(method, url, headers, body)`` returns :class:`Verified` (who sent the request) or
raises a :class:`~apisign.errors.VerificationError` subclass whose ``platform_code`` is the
platform's own code. Every check takes an explicit ``now`` (default: the clock). The GIL is
released while verifying.

``Verifier(scheme, creds).verify("GET", url, headers, now_ms=...)`` → ``Verified``.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from . import _native, _wire
from ._wire import Headers
from ._native import NonceStore, Verified, Verifier

__all__ = [
    "Credentials",
    "Headers",
    "NonceStore",
    "Verified",
    "Verifier",
    *_wire.class_names("Verifier"),
]



class Credentials(_native.Credentials):
    """What the server knows about its callers, for every scheme: ``add(scheme, **params)``,
    ``add_scope(scheme, scope)``, ``remove(scheme, id)``. ``add_<scheme>[_<what>](...)`` calls
    the scheme module's helper with its documented arguments (``add_<scheme>(<id>,
    <secret>)``)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Callable[..., None]:
        found = _wire.split(name[4:]) if name.startswith("add_") else None
        helper = None
        if found is not None:
            scheme, rest = found
            helper = getattr(_wire.module(scheme), "_add" + rest, None)
        if helper is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return functools.partial(helper, self)


def __getattr__(name: str) -> Any:
    """``<Scheme>Verifier`` and ``<scheme>_<helper>``: from ``apisign.<scheme>``."""
    mod = _wire.by_class_name(name, "Verifier")
    if mod is not None:
        return mod.Verifier
    return _wire.scheme_attr(__name__, name)
