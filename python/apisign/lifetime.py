"""Token lifetimes with an explicit ``now`` (Unix ms; ``None`` reads the clock).

``TokenLifetime(issued_at_ms, lifetime_ms)`` and the per-platform constructors give
``expires_at_ms``, ``remaining_ms(now)``, ``is_expired(now)`` and
``is_expiring(buffer_ms, now)``.
"""

from __future__ import annotations

from typing import Any

from . import _wire
from ._native import TokenLifetime, now_ms, now_secs, random_nonce

__all__ = ["TokenLifetime", "now_ms", "now_secs", "random_nonce"]


def __getattr__(name: str) -> Any:
    """``<SCHEME>_<CONSTANT>`` (a scheme's lifetime constants): from ``apisign.<scheme>``."""
    return _wire.scheme_attr(__name__, name)
