"""What the ASGI and WSGI middleware share, free of any framework: the options, which verifier
a request is for, the verification itself, the rejection to answer with and the response
signature. :mod:`apisign.asgi` and :mod:`apisign.wsgi` subclass :class:`Middleware` and only
move bytes in and out."""

from __future__ import annotations

import functools
import ipaddress
from typing import (
    TYPE_CHECKING,
    Callable,
    Generic,
    Iterable,
    List,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
)

from . import _native, _wire
from .errors import ApisignError, InputTooLargeError, InvalidInputError, InvalidUrlError

if TYPE_CHECKING:
    # A NonceStore (in memory, Redis, Redis Cluster) or any object with check_and_record.
    from ._native import _NonceStoreLike

__all__ = ["DEFAULT_MAX_BODY", "KEY", "ErrorHook", "Middleware", "Rejection"]

DEFAULT_MAX_BODY = _native.MAX_PARSED_BODY
"""Bytes of request body read before answering 413: the core's limit on a body it parses
(8 MiB), as the Go middleware."""

KEY = "apisign"
"""Where the verified caller is put: ``scope[KEY]``, ``scope["state"][KEY]``, ``environ[KEY]``."""

Pairs = List[Tuple[str, str]]
App = TypeVar("App")


class Rejection(NamedTuple):
    """An answer to a refused request: status, headers (``Content-Type`` included), body."""

    status: int
    headers: Pairs
    body: bytes


ErrorHook = Callable[[ApisignError, Rejection], Rejection]
"""``on_reject(error, rejection) -> rejection``: shape the answer (``rejection._replace(...)``)."""


def _skip_rule(entries: Iterable[str]) -> Callable[[str], bool]:
    exact = set()
    prefixes = []
    for e in entries:
        if e.endswith("*"):
            prefixes.append(e[:-1])
        else:
            exact.add(e)
    starts = tuple(prefixes)
    return lambda path: path in exact or (bool(starts) and path.startswith(starts))


class Middleware(Generic[App]):
    """Verify every HTTP request before ``app`` sees it.

    Who may call: ``verifier=Verifier(...)`` (or a list, one per scheme), or
    ``credentials=Credentials()`` with ``schemes=[...]`` (default: every scheme), ``nonces=``
    (default: one in-memory :class:`~apisign.NonceStore`; for several processes a shared one,
    ``NonceStore.redis(url)``, ``NonceStore.redis_cluster(urls)`` or any object with
    ``check_and_record``) and the window ``max_age_ms=``/``max_ahead_ms=`` (default: each
    scheme's). With several schemes, each request goes to the one whose headers it carries.

    ``max_body``: bytes of body accepted (413 beyond; default 8 MiB). ``skip``: paths not verified, as the app
    routes them (``"/health"``; ``"/public/*"`` for a prefix). ``on_reject(error, rejection)``
    returns the :class:`Rejection` to send instead. ``trusted_proxies``: addresses or CIDR
    blocks of the proxies whose ``X-Forwarded-For`` is believed (the caller's address is
    checked against per-credential ``allowed_ips``). ``sign_responses``: sign responses for
    schemes that do (default on). ``verify_in_thread`` (ASGI): verify in a worker thread so
    the event loop keeps serving while a shared nonce store answers (default: on when
    ``nonces=`` is a shared store or the application's own, off for the in-memory one).
    """

    def __init__(
        self,
        app: App,
        verifier: Union[_native.Verifier, Sequence[_native.Verifier], None] = None,
        *,
        credentials: Optional[_native.Credentials] = None,
        schemes: Optional[Sequence[str]] = None,
        nonces: Optional[_NonceStoreLike] = None,
        max_age_ms: Optional[int] = None,
        max_ahead_ms: Optional[int] = None,
        max_body: int = DEFAULT_MAX_BODY,
        skip: Iterable[str] = (),
        on_reject: Optional[ErrorHook] = None,
        trusted_proxies: Iterable[str] = (),
        sign_responses: bool = True,
        verify_in_thread: Optional[bool] = None,
    ) -> None:
        self.app = app
        if verify_in_thread is None:
            in_memory = nonces is None or (
                isinstance(nonces, _native.NonceStore) and nonces.capacity is not None
            )
            verify_in_thread = not in_memory
        self._in_thread = verify_in_thread
        self.verifiers = _verifiers(
            verifier, credentials, schemes, nonces, max_age_ms, max_ahead_ms
        )
        if isinstance(max_body, bool) or not isinstance(max_body, int) or max_body < 0:
            raise ValueError(f"max_body must be a number of bytes >= 0, not {max_body!r}")
        self.max_body = max_body
        self._skips = _skip_rule(skip)
        self._on_reject = on_reject
        self._trusted = list(trusted_proxies)
        _native.client_ip(
            "127.0.0.1", None, self._trusted
        )  # a bad entry fails here, not per request
        self._signs = {id(v): sign_responses and v.signs_responses for v in self.verifiers}

    def _pick(self, names: Iterable[str]) -> _native.Verifier:
        """The verifier for a request with these header names (the core's rule: the one whose
        scheme's headers it carries most of, the first one configured on a tie, so a request
        without any gets the first one's rejection)."""
        if len(self.verifiers) == 1:
            return self.verifiers[0]
        return self.verifiers[_native.pick_verifier(self.verifiers, list(names))]

    def _signs_responses(self, verifier: _native.Verifier) -> bool:
        return self._signs[id(verifier)]

    def _client_ip(self, peer: Optional[str], forwarded_for: Optional[str]) -> Optional[str]:
        """The caller's address: the peer, or the forwarded one when the peer is a trusted
        proxy; ``None`` when unknown (no peer, or a Unix socket), which an allow-list refuses."""
        if peer is None or not _is_ip(peer):
            return None
        if not self._trusted:
            return peer
        return _native.client_ip(peer, forwarded_for, self._trusted)

    def _verify(
        self,
        verifier: _native.Verifier,
        method: str,
        target: bytes,
        headers: Pairs,
        body: bytes,
        client_ip: Optional[str],
    ) -> _native.Verified:
        """Verify the request as received; raises :class:`ApisignError` to reject it."""
        try:
            url = target.decode("utf-8")
        except UnicodeDecodeError:
            msg = "the request path or query is not UTF-8; percent-encode it"
            raise InvalidUrlError(f"url: {msg}", "url", msg) from None
        return verifier.verify(method, url, headers, body, client_ip=client_ip)

    def _too_large(self, verifier: _native.Verifier) -> Rejection:
        msg = f"the request body is larger than {self.max_body} bytes"
        return self._reject(verifier, InputTooLargeError(f"body: {msg}", "body", msg))

    def _reject(self, verifier: _native.Verifier, err: ApisignError) -> Rejection:
        status, headers, body = verifier.rejection(err)
        rejection = Rejection(status, list(headers), body)
        return rejection if self._on_reject is None else self._on_reject(err, rejection)

    def _response_headers(
        self, verifier: _native.Verifier, verified: _native.Verified, body: bytes
    ) -> Pairs:
        return list(verifier.sign_response(verified, body))


@functools.lru_cache(maxsize=4096)
def _is_ip(peer: str) -> bool:
    """Whether ``peer`` is an IP address (cached: the same peers come back, and parsing costs
    more than the rest of the check)."""
    try:
        ipaddress.ip_address(peer)
    except ValueError:
        return False
    return True


def _verifiers(
    verifier: Union[_native.Verifier, Sequence[_native.Verifier], None],
    credentials: Optional[_native.Credentials],
    schemes: Optional[Sequence[str]],
    nonces: Optional[_NonceStoreLike],
    max_age_ms: Optional[int],
    max_ahead_ms: Optional[int],
) -> List[_native.Verifier]:
    if verifier is not None:
        if credentials is not None or schemes is not None or nonces is not None:
            raise TypeError("give verifier(s), or credentials= with schemes= and nonces=, not both")
        if max_age_ms is not None or max_ahead_ms is not None:
            raise TypeError("the window belongs to the verifier: Verifier(..., max_age_ms=...)")
        found = [verifier] if isinstance(verifier, _native.Verifier) else list(verifier)
        if not found or not all(isinstance(v, _native.Verifier) for v in found):
            raise TypeError("verifier must be an apisign Verifier or a non-empty list of them")
        return found
    if credentials is None:
        raise TypeError("give verifier=Verifier(...) or credentials=Credentials()")
    names = list(_wire.scheme_names() if schemes is None else schemes)
    if isinstance(schemes, str) or not names:
        raise TypeError(
            f"schemes must be a list of scheme names, some of {list(_wire.scheme_names())}"
        )
    # One replay store for every scheme, so nonces are checked wherever the scheme allows it.
    store = _native.NonceStore() if nonces is None else nonces
    return [_verifier(s, credentials, store, max_age_ms, max_ahead_ms) for s in names]


def _verifier(
    scheme: str,
    credentials: _native.Credentials,
    nonces: _NonceStoreLike,
    max_age_ms: Optional[int],
    max_ahead_ms: Optional[int],
) -> _native.Verifier:
    try:
        return _native.Verifier(
            scheme, credentials, max_age_ms=max_age_ms, max_ahead_ms=max_ahead_ms, nonces=nonces
        )
    except InvalidInputError as e:
        # The core refuses a store for a scheme whose requests carry no nonce.
        if e.field != "nonce_store":
            raise
    return _native.Verifier(scheme, credentials, max_age_ms=max_age_ms, max_ahead_ms=max_ahead_ms)
