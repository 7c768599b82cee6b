# Type stubs for the Rust extension module (pyext/src/). scripts/test-python.sh checks them
# against the built module with `mypy.stubtest`, so a name or parameter that drifts fails CI.
from typing import Iterable, Mapping, Optional, Sequence, Tuple, Union, final

_Bytes = Union[bytes, bytearray, str]
_Secret = Union[str, bytes, bytearray]

__all__ = [
    "Credentials",
    "NonceStore",
    "Verified",
    "LovrabetVerifier",
    "JetlinksVerifier",
    "PiemdmVerifier",
    "LinksfieldVerifier",
    "jetlinks_verify_response",
    "DETACH_BODY_LEN",
    "JETLINKS_ACCESS_TOKEN_HEADER",
    "JETLINKS_TOKEN_PATH",
    "JetlinksSigner",
    "LINKSFIELD_MIN_KEY_BITS",
    "LOVRABET_DEFAULT_BUFFER_MS",
    "LOVRABET_DEFAULT_SECRET_KEY",
    "LOVRABET_TOKEN_LIFETIME_MS",
    "LinksfieldSigner",
    "LinksfieldV1Signature",
    "LovrabetSigner",
    "LovrabetToken",
    "LovrabetTokenGenerator",
    "MAX_JSON_DEPTH",
    "MAX_PARAMS",
    "MAX_PARSED_BODY",
    "MAX_URL_LEN",
    "PIEMDM_GENERATED_NONCE_LEN",
    "PIEMDM_RECOMMENDED_MIN_NONCE_LEN",
    "PiemdmSigner",
    "PrivateKey",
    "PublicKey",
    "Signature",
    "TokenLifetime",
    "__version__",
    "error_kinds",
    "jetlinks_oauth2_client_credentials_body",
    "jetlinks_oauth2_refresh_body",
    "jetlinks_sign",
    "linksfield_message_v2",
    "lovrabet_sign",
    "lovrabet_string_to_sign",
    "now_ms",
    "now_secs",
    "piemdm_canonical_request",
    "piemdm_sign",
    "random_nonce",
]

__version__: str
DETACH_BODY_LEN: int
MAX_URL_LEN: int
MAX_PARAMS: int
MAX_PARSED_BODY: int
MAX_JSON_DEPTH: int
LOVRABET_TOKEN_LIFETIME_MS: int
LOVRABET_DEFAULT_BUFFER_MS: int
LOVRABET_DEFAULT_SECRET_KEY: str
JETLINKS_TOKEN_PATH: str
JETLINKS_ACCESS_TOKEN_HEADER: str
PIEMDM_GENERATED_NONCE_LEN: int
PIEMDM_RECOMMENDED_MIN_NONCE_LEN: int
LINKSFIELD_MIN_KEY_BITS: int

def error_kinds() -> list[tuple[str, int]]: ...
def now_ms() -> int: ...
def now_secs() -> int: ...
def random_nonce() -> str: ...

@final
class Signature:
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def header_items(self) -> list[tuple[str, str]]: ...
    @property
    def signed(self) -> str: ...
    @property
    def signed_redacted(self) -> str: ...
    def header(self, name: str) -> Optional[str]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

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
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class LovrabetToken:
    @property
    def app_code(self) -> str: ...
    @property
    def dataset_code(self) -> str: ...
    @property
    def timestamp_ms(self) -> int: ...
    @property
    def token(self) -> str: ...
    @property
    def string_to_sign(self) -> str: ...
    @property
    def signed(self) -> str: ...
    @property
    def signed_redacted(self) -> str: ...
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def expires_at_ms(self) -> int: ...
    @property
    def lifetime(self) -> TokenLifetime: ...
    def remaining_ms(self, now_ms: Optional[int] = None) -> int: ...
    def is_expired(self, now_ms: Optional[int] = None) -> bool: ...
    def is_expiring(self, buffer_ms: int = ..., now_ms: Optional[int] = None) -> bool: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class LovrabetTokenGenerator:
    def __new__(cls, access_key: _Secret, secret_key: Optional[_Secret] = None) -> LovrabetTokenGenerator: ...
    def generate(
        self, app_code: str, dataset_code: str, timestamp: Optional[int] = None
    ) -> LovrabetToken: ...
    def generate_batch(
        self,
        app_code: str,
        datasets: Sequence[Tuple[str, str]],
        timestamp: Optional[int] = None,
    ) -> dict[str, LovrabetToken]: ...

@final
class LovrabetSigner:
    def __new__(
        cls,
        app_code: str,
        dataset_code: str,
        access_key: _Secret,
        secret_key: Optional[_Secret] = None,
    ) -> LovrabetSigner: ...
    def sign(self, timestamp: Optional[int] = None) -> LovrabetToken: ...
    @property
    def app_code(self) -> str: ...
    @property
    def dataset_code(self) -> str: ...

def lovrabet_sign(
    *,
    app_code: str,
    dataset_code: str,
    access_key: _Secret,
    secret_key: Optional[_Secret] = "lovrabet",
    timestamp: Optional[int] = None,
) -> LovrabetToken: ...
def lovrabet_string_to_sign(
    access_key: str, app_code: str, dataset_code: str, timestamp: int
) -> str: ...

@final
class JetlinksSigner:
    def __new__(cls, client_id: str, secure_key: _Secret, algorithm: str = "md5") -> JetlinksSigner: ...
    def sign(
        self,
        method: str,
        url: str,
        body: Optional[_Bytes] = b"",
        *,
        content_type: Optional[str] = None,
        timestamp: Optional[int] = None,
    ) -> Signature: ...
    def sign_response(self, body: _Bytes, timestamp: str) -> str: ...
    def verify_response(self, body: _Bytes, timestamp: str, sign: str) -> bool: ...
    def token_request(
        self, expires: int, timestamp: Optional[int] = None
    ) -> tuple[str, Signature]: ...
    @property
    def client_id(self) -> str: ...
    @property
    def algorithm(self) -> str: ...

def jetlinks_sign(
    method: str,
    url: str,
    body: Optional[_Bytes] = b"",
    *,
    client_id: str,
    secure_key: _Secret,
    algorithm: str = "md5",
    content_type: Optional[str] = None,
    timestamp: Optional[int] = None,
) -> Signature: ...
def jetlinks_oauth2_client_credentials_body(client_id: str, client_secret: str) -> str: ...
def jetlinks_oauth2_refresh_body(
    client_id: str, client_secret: str, refresh_token: str
) -> str: ...

@final
class PiemdmSigner:
    def __new__(cls, app_id: str, app_secret: _Secret) -> PiemdmSigner: ...
    def sign(
        self,
        method: str,
        url: str,
        body: Optional[_Bytes] = b"",
        *,
        timestamp: Optional[int] = None,
        nonce: Optional[str] = None,
    ) -> Signature: ...
    @property
    def app_id(self) -> str: ...

def piemdm_sign(
    method: str,
    url: str,
    body: Optional[_Bytes] = b"",
    *,
    app_id: str,
    app_secret: _Secret,
    timestamp: Optional[int] = None,
    nonce: Optional[str] = None,
) -> Signature: ...
def piemdm_canonical_request(
    method: str, url: str, body: _Bytes, timestamp: str, nonce: str
) -> bytes: ...

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
    def __eq__(self, other: object, /) -> bool: ...

@final
class LinksfieldV1Signature:
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def signed(self) -> str: ...
    @property
    def timestamp(self) -> str: ...
    @property
    def nonce(self) -> int: ...
    def header(self, name: str) -> Optional[str]: ...

@final
class LinksfieldSigner:
    def __new__(cls, key_id: str, private_key: Union[PrivateKey, str, bytes]) -> LinksfieldSigner: ...
    def sign_v2(
        self,
        method: str,
        url: str,
        body: Optional[_Bytes] = None,
        *,
        timestamp: Optional[int] = None,
        nonce: Optional[str] = None,
    ) -> Signature: ...
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
        self,
        params_json: str,
        *,
        timestamp: Optional[int] = None,
        nonce: Optional[int] = None,
    ) -> LinksfieldV1Signature: ...
    @property
    def key_id(self) -> str: ...

def linksfield_message_v2(
    method: str, url: str, body: _Bytes, timestamp: str, nonce: str
) -> str: ...

_Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]

@final
class Credentials:
    def __new__(cls) -> Credentials: ...
    def add_lovrabet_app(
        self,
        app_code: str,
        access_key: _Secret,
        secret_key: Optional[_Secret] = None,
        datasets: Sequence[str] = ...,
    ) -> None: ...
    def add_lovrabet_dataset(self, dataset_code: str) -> None: ...
    def add_jetlinks(self, client_id: str, secure_key: _Secret, algorithm: str = "md5") -> None: ...
    def add_piemdm(self, app_id: str, app_secret: _Secret) -> None: ...
    def add_linksfield(self, key_id: str, public_key: Union[PublicKey, str, bytes]) -> None: ...

@final
class NonceStore:
    def __new__(cls, capacity: Optional[int] = None) -> NonceStore: ...
    @property
    def capacity(self) -> int: ...
    def __len__(self) -> int: ...

@final
class Verified:
    @property
    def caller(self) -> str: ...
    @property
    def dataset(self) -> Optional[str]: ...
    @property
    def timestamp(self) -> int: ...
    @property
    def nonce(self) -> Optional[str]: ...

@final
class LovrabetVerifier:
    def __new__(
        cls,
        credentials: Credentials,
        *,
        max_age_ms: Optional[int] = None,
        max_ahead_ms: Optional[int] = None,
    ) -> LovrabetVerifier: ...
    def verify(
        self,
        method: str,
        url: str,
        headers: _Headers,
        body: Optional[_Bytes] = None,
        *,
        now_ms: Optional[int] = None,
    ) -> Verified: ...

@final
class JetlinksVerifier:
    def __new__(
        cls,
        credentials: Credentials,
        *,
        max_age_ms: Optional[int] = None,
        max_ahead_ms: Optional[int] = None,
    ) -> JetlinksVerifier: ...
    def verify(
        self,
        method: str,
        url: str,
        headers: _Headers,
        body: Optional[_Bytes] = None,
        *,
        now_ms: Optional[int] = None,
    ) -> Verified: ...

@final
class PiemdmVerifier:
    def __new__(
        cls,
        credentials: Credentials,
        nonces: NonceStore,
        *,
        max_age_secs: Optional[int] = None,
        max_ahead_secs: Optional[int] = None,
        nonce_ttl_secs: Optional[int] = None,
        min_nonce_len: Optional[int] = None,
        strict_query: bool = False,
    ) -> PiemdmVerifier: ...
    def verify(
        self,
        method: str,
        url: str,
        headers: _Headers,
        body: Optional[_Bytes] = None,
        *,
        now_secs: Optional[int] = None,
    ) -> Verified: ...

@final
class LinksfieldVerifier:
    def __new__(
        cls,
        credentials: Credentials,
        *,
        nonces: Optional[NonceStore] = None,
        max_age_ms: Optional[int] = None,
        max_ahead_ms: Optional[int] = None,
        accept_v1: bool = True,
    ) -> LinksfieldVerifier: ...
    def verify(
        self,
        method: str,
        url: str,
        headers: _Headers,
        body: Optional[_Bytes] = None,
        *,
        path_params_json: Optional[str] = None,
        now_ms: Optional[int] = None,
    ) -> Verified: ...

def jetlinks_verify_response(
    signer: JetlinksSigner,
    body: _Bytes,
    headers: _Headers,
    *,
    max_age_ms: Optional[int] = None,
    now_ms: Optional[int] = None,
) -> None: ...
