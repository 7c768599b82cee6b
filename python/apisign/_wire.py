"""What the generic modules share: schemes by name (from the native registry), the module of
a scheme, and the wire signer the HTTP adapters call."""

from __future__ import annotations

import functools
import importlib
import inspect
from types import ModuleType
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, TypeVar, Union

from . import _native
from .errors import InvalidInputError

Secret = Union[str, bytes, bytearray]
Body = Union[bytes, bytearray, str, None]
Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]
F = TypeVar("F", bound=Callable[..., Any])

WireSigner = Callable[[str, str, bytes, Optional[str]], Dict[str, str]]
"""``(method, target, body, content_type) -> headers``; ``target`` is the raw path and query."""


@functools.lru_cache(maxsize=None)
def scheme_names() -> Tuple[str, ...]:
    """Every scheme's name, from the core's registry."""
    return tuple(str(s["name"]) for s in _native.schemes())


def module(scheme: str) -> ModuleType:
    """The package module of ``scheme`` (``apisign.<scheme>``)."""
    if scheme not in scheme_names():
        raise AttributeError(scheme)
    return importlib.import_module(f"{__package__}.{scheme}")


def split(name: str) -> Optional[Tuple[str, str]]:
    """``"<scheme><rest>"`` → ``(scheme, rest)`` for a known scheme (ASCII case ignored)."""
    low = name.lower()
    for s in scheme_names():
        if low == s or low.startswith(s + "_"):
            return s, name[len(s):]
    return None


def by_class_name(name: str, suffix: str) -> Optional[ModuleType]:
    """The module of the scheme that ``<Scheme><suffix>`` names (``<Scheme>Verifier``)."""
    if not name.endswith(suffix) or name == suffix:
        return None
    scheme = name[: -len(suffix)].lower()
    return module(scheme) if scheme in scheme_names() else None


def class_names(suffix: str) -> List[str]:
    return [s.capitalize() + suffix for s in scheme_names()]


def one_shot(scheme: str) -> Callable[[F], F]:
    """A scheme module's ``sign``: the decorated function gives the documented keyword
    arguments (to mypy, ``inspect`` and ``help``) and its docstring; the call itself is
    ``_native.sign`` bound to ``scheme`` (a ``functools.partial``: no Python frame per call)."""

    def bind(typed: F) -> F:
        # Shown without annotations, as a native function shows its own.
        sig = inspect.signature(typed)
        empty = inspect.Parameter.empty
        sig = sig.replace(
            parameters=[p.replace(annotation=empty) for p in sig.parameters.values()],
            return_annotation=inspect.Signature.empty,
        )
        fn: Any = functools.partial(_native.sign, scheme)
        if next(iter(sig.parameters.values())).kind is inspect.Parameter.KEYWORD_ONLY:
            # A scheme that signs no request data: its calls take no method or URL.
            fn = functools.partial(_native.sign, scheme, "GET", "/")
        fn.__signature__ = sig
        fn.__doc__ = typed.__doc__
        fn.__name__ = fn.__qualname__ = typed.__name__
        fn.__module__ = typed.__module__
        return fn  # type: ignore[no-any-return]

    return bind


def wire_signer(signer: _native.Signer) -> WireSigner:
    """The headers for a request exactly as it goes on the wire, from any scheme's signer."""
    sign = _native.Signer.sign

    def wire(method: str, target: str, body: bytes, content_type: Optional[str]) -> Dict[str, str]:
        return sign(signer, method, target, body, content_type=content_type).headers

    return wire


def signer_of(signer: Union[_native.Signer, str], params: Dict[str, Any]) -> _native.Signer:
    """``signer`` itself, or a signer for the scheme it names with ``params``."""
    if isinstance(signer, str):
        return _native.Signer(signer, **params)
    if params:
        raise TypeError("give a signer or a scheme name with its parameters, not both")
    return signer


_AUTHS: Dict[Tuple[type, str], Any] = {}


def scheme_auth(base: Any, where: str, name: str) -> Any:
    """``<Scheme>Auth`` of an adapter module: a ``base`` subclass taking the arguments of
    ``apisign.<scheme>.Signer``."""
    mod = by_class_name(name, "Auth")
    if mod is None:
        raise AttributeError(f"module {where!r} has no attribute {name!r}")
    if (base, name) not in _AUTHS:
        signer_cls = mod.Signer

        def init(self: Any, *args: Any, strict: bool = False, **kwargs: Any) -> None:
            base.__init__(self, signer_cls(*args, **kwargs), strict=strict)

        doc = f"{base.__doc__} Takes the arguments of ``{mod.__name__}.Signer``."
        _AUTHS[(base, name)] = type(name, (base,), {"__init__": init, "__doc__": doc, "__module__": where})
    return _AUTHS[(base, name)]


def scheme_attr(where: str, name: str) -> Any:
    """``<scheme>_<name>`` (any case) of a generic module: ``apisign.<scheme>.<name>``."""
    found = split(name)
    if found is not None and found[1].startswith("_"):
        value = getattr(module(found[0]), found[1][1:], None)
        if value is not None:
            return value
    raise AttributeError(f"module {where!r} has no attribute {name!r}")


class SchemeVerifier(_native.Verifier):
    """A scheme module's ``Verifier``: the generic one for ``scheme_name``, window in ms."""

    __slots__ = ()
    scheme_name = ""

    def __new__(
        cls,
        credentials: _native.Credentials,
        *,
        max_age_ms: Optional[int] = None,
        max_ahead_ms: Optional[int] = None,
        **settings: Any,
    ) -> Any:
        return super().__new__(
            cls, cls.scheme_name, credentials, max_age_ms=max_age_ms, max_ahead_ms=max_ahead_ms, **settings
        )


def strict_mode(signer: _native.Signer, strict: bool) -> bool:
    """``strict``, refused for a scheme whose server signs no responses (nothing to check)."""
    if strict and not signer.signs_responses:
        msg = f"{signer.scheme} servers do not sign their responses; remove strict=True"
        raise InvalidInputError(f"strict: {msg}", "strict", msg)
    return strict
