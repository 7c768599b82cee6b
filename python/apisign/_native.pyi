# Type stubs for the Rust extension module (pyext/src/). scripts/test-python.sh checks them
# against the built module with `mypy.stubtest`, so a name or parameter that drifts fails CI.
from typing import Any, Iterable, Mapping, Optional, Protocol, Sequence, Tuple, Union, final

from typing_extensions import Self

_Bytes = Union[bytes, bytearray, str]
_Secret = Union[str, bytes, bytearray]
_Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]

class _CustomNonceStore(Protocol):
    def check_and_record(self, key: str, ttl_secs: int, now_secs: int) -> bool: ...

_NonceStoreLike = Union["NonceStore", _CustomNonceStore]

__all__ = [
    "__version__",
    "DETACH_BODY_LEN",
    "MAX_URL_LEN",
    "MAX_PARAMS",
    "MAX_PARSED_BODY",
    "MAX_JSON_DEPTH",
    "error_kinds",
    "PrivateKey",
    "PublicKey",
    "MIN_KEY_BITS",
    "Signature",
    "Signer",
    "sign",
    "_bench_core",
    "Credentials",
    "NonceStore",
    "Verified",
    "Verifier",
    "client_ip",
    "pick_verifier",
    "_CoreError",
    "schemes",
    "now_ms",
    "now_secs",
    "random_nonce",
    "LovrabetToken",
    "LovrabetTokenGenerator",
    "lovrabet_string_to_sign",
    "LOVRABET_DEFAULT_SECRET_KEY",
    "LOVRABET_TOKEN_LIFETIME_MS",
    "LOVRABET_DEFAULT_BUFFER_MS",
    "JetlinksClient",
    "jetlinks_verify_response",
    "jetlinks_oauth2_client_credentials_body",
    "jetlinks_oauth2_refresh_body",
    "JETLINKS_TOKEN_PATH",
    "JETLINKS_ACCESS_TOKEN_HEADER",
    "piemdm_canonical_request",
    "PIEMDM_GENERATED_NONCE_LEN",
    "PIEMDM_RECOMMENDED_MIN_NONCE_LEN",
    "LinksfieldV1Signature",
    "LinksfieldV1Signer",
    "LinksfieldPathVerifier",
    "linksfield_message_v2",
    "TokenLifetime",
]

__version__: str
DETACH_BODY_LEN: int
MAX_URL_LEN: int
MAX_PARAMS: int
MAX_PARSED_BODY: int
MAX_JSON_DEPTH: int
MIN_KEY_BITS: int
LOVRABET_TOKEN_LIFETIME_MS: int
LOVRABET_DEFAULT_BUFFER_MS: int
LOVRABET_DEFAULT_SECRET_KEY: str
JETLINKS_TOKEN_PATH: str
JETLINKS_ACCESS_TOKEN_HEADER: str
PIEMDM_GENERATED_NONCE_LEN: int
PIEMDM_RECOMMENDED_MIN_NONCE_LEN: int

def error_kinds() -> list[tuple[str, int, int]]: ...
def schemes() -> list[dict[str, Any]]: ...
def now_ms() -> int: ...
def now_secs() -> int: ...
def random_nonce() -> str: ...

class Signature:
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def header_items(self) -> list[tuple[str, str]]: ...
    @property
    def signed(self) -> str: ...
    @property
    def signed_redacted(self) -> str: ...
    @property
    def params(self) -> list[tuple[str, str]]: ...
    @property
    def scheme(self) -> str: ...
    @property
    def timestamp_ms(self) -> int: ...
    def header(self, name: str) -> Optional[str]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

class Signer:
    def __new__(cls, scheme: str, **params: Any) -> Self: ...
    def sign(
        self,
        method: str,
        url: str,
        body: Optional[_Bytes] = None,
        *,
        content_type: Optional[str] = None,
        timestamp: Optional[int] = None,
        timestamp_ms: Optional[int] = None,
        nonce: Optional[str] = None,
    ) -> Signature: ...
    @property
    def scheme(self) -> str: ...
    @property
    def params(self) -> list[tuple[str, str]]: ...
    def check_response(self, headers: _Headers, body: _Bytes) -> None: ...
    @property
    def signs_responses(self) -> bool: ...

def sign(
    scheme: str,
    method: str,
    url: str,
    body: Optional[_Bytes] = None,
    *,
    content_type: Optional[str] = None,
    timestamp: Optional[int] = None,
    timestamp_ms: Optional[int] = None,
    nonce: Optional[str] = None,
    app_code: Any = None,
    dataset_code: Any = None,
    access_key: Any = None,
    secret_key: Any = None,
    client_id: Any = None,
    secure_key: Any = None,
    algorithm: Any = None,
    app_id: Any = None,
    app_secret: Any = None,
    key_id: Any = None,
    private_key: Any = None,
    version: Any = None,
) -> Signature: ...
def _bench_core(
    scheme: str,
    method: str,
    url: str,
    body: _Bytes,
    timestamp_ms: int,
    nonce: Optional[str],
    n: int,
    reuse: bool = False,
    **params: Any,
) -> float: ...

@final
class PrivateKey:
    def __new__(cls, key: _Secret) -> PrivateKey: ...
    @property
    def bits(self) -> int: ...
    def public_key(self) -> PublicKey: ...
    def sign_base64(self, message: _Bytes) -> str: ...

@final
class PublicKey:
    def __new__(cls, key: _Bytes) -> PublicKey: ...
    @property
    def bits(self) -> int: ...
    def verify_base64(self, message: _Bytes, signature_b64: str) -> bool: ...
    def __eq__(self, value: object, /) -> bool: ...

class Credentials:
    def __new__(cls) -> Self: ...
    def add(self, scheme: str, *, allowed_ips: Optional[str] = None, **params: Any) -> None: ...
    def add_scope(self, scheme: str, scope: str) -> None: ...
    def remove(self, scheme: str, id: str) -> bool: ...
    def __len__(self) -> int: ...

@final
class NonceStore:
    def __new__(cls, capacity: Optional[int] = None) -> NonceStore: ...
    @staticmethod
    def redis(url: str, *, prefix: Optional[str] = None, timeout_ms: Optional[int] = None) -> NonceStore: ...
    @staticmethod
    def redis_cluster(
        urls: Sequence[str], *, prefix: Optional[str] = None, timeout_ms: Optional[int] = None
    ) -> NonceStore: ...
    @property
    def capacity(self) -> Optional[int]: ...
    def check_and_record(self, key: str, ttl_secs: int, now_secs: int) -> bool: ...
    def __len__(self) -> int: ...

@final
class Verified:
    @property
    def scheme(self) -> str: ...
    @property
    def caller(self) -> str: ...
    @property
    def dataset(self) -> Optional[str]: ...
    @property
    def timestamp(self) -> int: ...
    @property
    def timestamp_ms(self) -> int: ...
    @property
    def nonce(self) -> Optional[str]: ...

class Verifier:
    def __new__(
        cls,
        scheme: str,
        credentials: Credentials,
        *,
        max_age_ms: Optional[int] = None,
        max_ahead_ms: Optional[int] = None,
        nonces: Optional[_NonceStoreLike] = None,
        nonce_ttl_secs: Optional[int] = None,
        **settings: Any,
    ) -> Self: ...
    @property
    def scheme(self) -> str: ...
    @property
    def signs_responses(self) -> bool: ...
    def verify(
        self,
        method: str,
        url: str,
        headers: _Headers,
        body: Optional[_Bytes] = None,
        *,
        now_ms: Optional[int] = None,
        client_ip: Optional[str] = None,
    ) -> Verified: ...
    def rejection(self, error: BaseException) -> tuple[int, list[tuple[str, str]], bytes]: ...
    def sign_response(
        self, verified: Verified, body: _Bytes, *, now_ms: Optional[int] = None
    ) -> list[tuple[str, str]]: ...

def client_ip(peer: str, forwarded_for: Optional[str], trusted: Sequence[str]) -> str: ...

def pick_verifier(verifiers: Sequence[Verifier], names: Sequence[str]) -> int: ...

@final
class _CoreError: ...

@final
class TokenLifetime:
    def __new__(cls, issued_at_ms: int, lifetime_ms: Optional[int] = None) -> TokenLifetime: ...
    @staticmethod
    def lovrabet(timestamp_ms: int) -> TokenLifetime: ...
    @staticmethod
    def jetlinks(issued_at_ms: int, expires_secs: int) -> TokenLifetime: ...
    @staticmethod
    def oauth2(issued_at_ms: int, expires_in_secs: int) -> TokenLifetime: ...
    @property
    def issued_at_ms(self) -> int: ...
    @property
    def lifetime_ms(self) -> Optional[int]: ...
    @property
    def expires_at_ms(self) -> Optional[int]: ...
    def remaining_ms(self, now_ms: Optional[int] = None) -> Optional[int]: ...
    def is_expired(self, now_ms: Optional[int] = None) -> bool: ...
    def is_expiring(self, buffer_ms: int = ..., now_ms: Optional[int] = None) -> bool: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

# --- the few functions only one platform has (pyext/src/platforms.rs) ------------------------

@final
class LovrabetToken(Signature):
    @property
    def app_code(self) -> str: ...
    @property
    def dataset_code(self) -> str: ...
    @property
    def token(self) -> str: ...
    @property
    def string_to_sign(self) -> str: ...
    @property
    def expires_at_ms(self) -> int: ...
    @property
    def lifetime(self) -> TokenLifetime: ...
    def remaining_ms(self, now_ms: Optional[int] = None) -> int: ...
    def is_expired(self, now_ms: Optional[int] = None) -> bool: ...
    def is_expiring(self, buffer_ms: int = ..., now_ms: Optional[int] = None) -> bool: ...

@final
class LovrabetTokenGenerator:
    def __new__(cls, access_key: _Secret, secret_key: Optional[_Secret] = None) -> LovrabetTokenGenerator: ...
    def generate(self, app_code: str, dataset_code: str, timestamp: Optional[int] = None) -> LovrabetToken: ...
    def generate_batch(
        self, app_code: str, datasets: Iterable[Tuple[str, str]], timestamp: Optional[int] = None
    ) -> dict[str, LovrabetToken]: ...

def lovrabet_string_to_sign(access_key: str, app_code: str, dataset_code: str, timestamp: int) -> str: ...

@final
class JetlinksClient:
    def __new__(cls, client_id: str, secure_key: _Secret, algorithm: str = "md5") -> JetlinksClient: ...
    def sign_response(self, body: Optional[_Bytes], timestamp: str) -> str: ...
    def verify_response(self, body: Optional[_Bytes], timestamp: str, sign: str) -> bool: ...
    def token_request(self, expires: int, timestamp: Optional[int] = None) -> tuple[str, Signature]: ...

def jetlinks_verify_response(
    client: JetlinksClient,
    body: Optional[_Bytes],
    headers: _Headers,
    *,
    max_age_ms: Optional[int] = None,
    now_ms: Optional[int] = None,
) -> None: ...
def jetlinks_oauth2_client_credentials_body(client_id: str, client_secret: str) -> str: ...
def jetlinks_oauth2_refresh_body(client_id: str, client_secret: str, refresh_token: str) -> str: ...
def piemdm_canonical_request(method: str, url: str, body: Optional[_Bytes], timestamp: str, nonce: str) -> bytes: ...

@final
class LinksfieldV1Signature:
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def signed(self) -> str: ...
    @property
    def params(self) -> list[tuple[str, str]]: ...
    @property
    def timestamp(self) -> str: ...
    @property
    def nonce(self) -> int: ...
    def header(self, name: str) -> Optional[str]: ...

@final
class LinksfieldV1Signer:
    def __new__(cls, key_id: str, private_key: PrivateKey) -> LinksfieldV1Signer: ...
    def sign_v1(
        self,
        method: str,
        url: str,
        body: Optional[_Bytes] = None,
        *,
        extra_json: Optional[str] = None,
        timestamp: Optional[int] = None,
        nonce: Optional[int] = None,
    ) -> LinksfieldV1Signature: ...
    def sign_v1_params(
        self, params_json: str, *, timestamp: Optional[int] = None, nonce: Optional[int] = None
    ) -> LinksfieldV1Signature: ...

@final
class LinksfieldPathVerifier:
    def __new__(
        cls,
        credentials: Credentials,
        *,
        nonces: Optional[_NonceStoreLike] = None,
        max_age_ms: Optional[int] = None,
        max_ahead_ms: Optional[int] = None,
        accept_v1: bool = True,
    ) -> LinksfieldPathVerifier: ...
    def verify(
        self,
        method: str,
        url: str,
        headers: _Headers,
        body: Optional[_Bytes] = None,
        *,
        path_params_json: Optional[str] = None,
        now_ms: Optional[int] = None,
        client_ip: Optional[str] = None,
    ) -> Verified: ...

def linksfield_message_v2(method: str, url: str, body: Optional[_Bytes], timestamp: str, nonce: str) -> str: ...
