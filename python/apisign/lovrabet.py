"""Lovrabet: ``X-Token = base64(HMAC-SHA256(secretKey, "accessKey=…&appCode=…&datasetCode=…&timeStamp=…"))``.

Tokens cover no request data, are bound to one dataset and live 600 000 ms.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Optional, Tuple, Union

from ._native import LOVRABET_DEFAULT_BUFFER_MS as DEFAULT_BUFFER_MS
from ._native import LOVRABET_DEFAULT_SECRET_KEY as DEFAULT_SECRET_KEY
from ._native import LOVRABET_TOKEN_LIFETIME_MS as TOKEN_LIFETIME_MS
from ._native import LovrabetSigner as Signer
from ._native import LovrabetToken as Token
from ._native import LovrabetTokenGenerator as TokenGenerator
from ._native import lovrabet_sign as sign
from ._native import lovrabet_string_to_sign as string_to_sign

__all__ = [
    "DEFAULT_BUFFER_MS",
    "DEFAULT_SECRET_KEY",
    "TOKEN_LIFETIME_MS",
    "Signer",
    "Token",
    "TokenGenerator",
    "generate_batch",
    "sign",
    "string_to_sign",
]

Datasets = Union[Mapping[str, str], Iterable[Tuple[str, str]]]


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
