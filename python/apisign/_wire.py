"""What the HTTP adapters share: one callable per scheme that turns the request exactly as it
goes on the wire (method, raw path+query, body bytes, Content-Type) into headers to add."""

from __future__ import annotations

from typing import Callable, Dict, Optional, Union

from ._native import JetlinksSigner, LinksfieldSigner, LovrabetSigner, PiemdmSigner, PrivateKey

WireSigner = Callable[[str, str, bytes, Optional[str]], Dict[str, str]]
"""``(method, target, body, content_type) -> headers``; ``target`` is the raw path and query."""

Secret = Union[str, bytes]


def lovrabet(
    app_code: str, dataset_code: str, access_key: Secret, secret_key: Secret
) -> WireSigner:
    signer = LovrabetSigner(app_code, dataset_code, access_key, secret_key)

    def sign(method: str, target: str, body: bytes, content_type: Optional[str]) -> Dict[str, str]:
        # Lovrabet tokens cover no request data; a fresh one per request never expires mid-use.
        return signer.sign().headers

    return sign


def jetlinks(client_id: str, secure_key: Secret, algorithm: str) -> WireSigner:
    signer = JetlinksSigner(client_id, secure_key, algorithm)

    def sign(method: str, target: str, body: bytes, content_type: Optional[str]) -> Dict[str, str]:
        return signer.sign(method, target, body, content_type=content_type).headers

    return sign


def piemdm(app_id: str, app_secret: Secret) -> WireSigner:
    signer = PiemdmSigner(app_id, app_secret)

    def sign(method: str, target: str, body: bytes, content_type: Optional[str]) -> Dict[str, str]:
        return signer.sign(method, target, body).headers

    return sign


def linksfield(key_id: str, private_key: Union[PrivateKey, Secret]) -> WireSigner:
    signer = LinksfieldSigner(key_id, private_key)

    def sign(method: str, target: str, body: bytes, content_type: Optional[str]) -> Dict[str, str]:
        return signer.sign_v2(method, target, body).headers

    return sign
