"""JetLinks: ``X-Sign = hex(H(data ‖ timestamp ‖ secureKey))`` with H = MD5 or SHA-256.

``data`` is the sorted param string of the query (GET/DELETE) or of a form body, otherwise the
raw body bytes. Also: response signatures, the access-token request and OAuth2 form bodies.
"""

from __future__ import annotations

from ._native import JETLINKS_ACCESS_TOKEN_HEADER as ACCESS_TOKEN_HEADER
from ._native import JETLINKS_TOKEN_PATH as TOKEN_PATH
from ._native import JetlinksSigner as Signer
from ._native import Signature
from ._native import jetlinks_oauth2_client_credentials_body as oauth2_client_credentials_body
from ._native import jetlinks_oauth2_refresh_body as oauth2_refresh_body
from ._native import jetlinks_sign as sign

__all__ = [
    "ACCESS_TOKEN_HEADER",
    "TOKEN_PATH",
    "Signature",
    "Signer",
    "oauth2_client_credentials_body",
    "oauth2_refresh_body",
    "sign",
]
