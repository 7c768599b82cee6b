"""Lovrabet: ``X-Token = base64(HMAC-SHA256(secretKey, "accessKey=…&appCode=…&datasetCode=…&timeStamp=…"))``.

Tokens cover no request data, are bound to one dataset and live 600 000 ms.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Optional, Tuple, Union

from . import _native, _wire
from ._wire import Secret
from ._native import LOVRABET_DEFAULT_BUFFER_MS as DEFAULT_BUFFER_MS
from ._native import LOVRABET_DEFAULT_SECRET_KEY as DEFAULT_SECRET_KEY
from ._native import LOVRABET_TOKEN_LIFETIME_MS as TOKEN_LIFETIME_MS
from ._native import LovrabetToken as Token
from ._native import LovrabetTokenGenerator as TokenGenerator
from ._native import lovrabet_string_to_sign as string_to_sign

__all__ = [
    "DEFAULT_BUFFER_MS",
    "DEFAULT_SECRET_KEY",
    "TOKEN_LIFETIME_MS",
    "Signer",
    "Token",
    "TokenGenerator",
    "Verifier",
    "generate_batch",
    "sign",
    "string_to_sign",
]

Datasets = Union[Mapping[str, str], Iterable[Tuple[str, str]]]


@_wire.one_shot("lovrabet")
def sign(
    *,
    app_code: str,
    dataset_code: str,
    access_key: Secret,
    secret_key: Optional[Secret] = DEFAULT_SECRET_KEY,
    timestamp: Optional[int] = None,
) -> Token:
    """One-shot: the token for one dataset; `timestamp` (ms) defaults to now. `secret_key=None` also means the default key."""
    raise NotImplementedError  # replaced by the native call


class Signer(_native.Signer):
    """A signer bound to one app and dataset."""

    __slots__ = ()

    def __new__(
        cls,
        app_code: str,
        dataset_code: str,
        access_key: Secret,
        secret_key: Optional[Secret] = None,
    ) -> Signer:
        return super().__new__(
            cls, "lovrabet", app_code=app_code, dataset_code=dataset_code,
            access_key=access_key, secret_key=secret_key,
        )

    @property
    def app_code(self) -> str:
        return dict(self.params)["app_code"]

    @property
    def dataset_code(self) -> str:
        return dict(self.params)["dataset_code"]

    def sign(self, timestamp: Optional[int] = None) -> Token:  # type: ignore[override]
        """The token at ``timestamp`` (ms; default now)."""
        token = super().sign("GET", "/", timestamp=timestamp)
        assert isinstance(token, Token)
        return token


class Verifier(_wire.SchemeVerifier):
    """Verifies Lovrabet tokens (codes 1002–1006). ``Verifier(credentials, *, max_age_ms=None, max_ahead_ms=None)``."""

    __slots__ = ()
    scheme_name = "lovrabet"


def generate_batch(
    app_code: str,
    datasets: Datasets,
    *,
    access_key: Union[str, bytes],
    secret_key: Union[str, bytes] = DEFAULT_SECRET_KEY,
    timestamp: Optional[int] = None,
) -> dict[str, Token]:
    """One token per dataset, all with the same timestamp.

    ``datasets`` maps a name of your choosing to a dataset code (a mapping or ``(name, code)``
    pairs); the result maps the same names to tokens, in the same order.
    """
    pairs = list(datasets.items()) if isinstance(datasets, Mapping) else list(datasets)
    return TokenGenerator(access_key, secret_key).generate_batch(app_code, pairs, timestamp)


def _add_app(
    credentials: _native.Credentials,
    app_code: str,
    access_key: Secret,
    secret_key: Optional[Secret] = None,
    datasets: Iterable[str] = (),
) -> None:
    """``Credentials.add_lovrabet_app``: an app, its keys and the datasets it may read."""
    credentials.add(
        "lovrabet", app_code=app_code, access_key=access_key, secret_key=secret_key,
        dataset=list(datasets),
    )


def _add_dataset(credentials: _native.Credentials, dataset_code: str) -> None:
    """``Credentials.add_lovrabet_dataset``: a dataset that exists (readable by any app or not)."""
    credentials.add_scope("lovrabet", dataset_code)
