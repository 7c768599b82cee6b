"""Token lifetimes with an explicit ``now`` (Unix ms; ``None`` reads the clock).

``TokenLifetime.lovrabet(ts)`` (600 000 ms), ``TokenLifetime.jetlinks(issued_at_ms,
expires_secs)`` (``<= 0`` never expires) and ``TokenLifetime.oauth2(issued_at_ms, expires_in)``
give ``expires_at_ms``, ``remaining_ms(now)``, ``is_expired(now)`` and
``is_expiring(buffer_ms, now)``.
"""

from __future__ import annotations

from ._native import LOVRABET_DEFAULT_BUFFER_MS, LOVRABET_TOKEN_LIFETIME_MS, TokenLifetime
from ._native import now_ms, now_secs, random_nonce

__all__ = [
    "LOVRABET_DEFAULT_BUFFER_MS",
    "LOVRABET_TOKEN_LIFETIME_MS",
    "TokenLifetime",
    "now_ms",
    "now_secs",
    "random_nonce",
]
