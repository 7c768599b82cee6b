//! What every scheme's typed `Verifier` shares, written once.

/// For a scheme's `Verifier`: a `Debug` that shows its settings (each `label: expr`, `$v` being
/// the verifier) and never the credential or nonce stores, which hold secrets and callers'
/// state; and `verify_now`, which is `verify` at the system clock.
macro_rules! typed_verifier {
    ($name:literal, |$v:ident| { $($label:ident: $value:expr),* $(,)? }) => {
        impl std::fmt::Debug for Verifier {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let $v = self;
                f.debug_struct($name)
                    $(.field(stringify!($label), &$value))*
                    .finish_non_exhaustive()
            }
        }

        impl Verifier {
            /// Verify `request` now (the system clock).
            pub fn verify_now(
                &self,
                request: &$crate::verify::IncomingRequest<'_>,
            ) -> $crate::error::Result<$crate::verify::Verified> {
                self.verify(request, $crate::clock::now_ms())
            }
        }
    };
}

pub(crate) use typed_verifier;

/// For a scheme whose `Verifier` holds only the credentials and a timestamp window (no nonce
/// store): the struct, `new` (with the scheme's default window), `window`, and `verify`, which
/// runs the scheme's own `verify_inner`, gives a rejection the platform's code and ends with the
/// caller's allow-list. Written once
/// so the schemes cannot drift apart in how they build and wrap a verifier.
macro_rules! windowed_verifier {
    (
        $(#[$doc:meta])*
        name: $name:literal,
        spec: $spec:path,
        default_window: $default:expr,
        new_doc: $new_doc:literal,
        verify_doc: $verify_doc:literal $(,)?
    ) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct Verifier {
            credentials: std::sync::Arc<dyn $crate::verify::CredentialStore>,
            window: $crate::verify::Window,
        }

        $crate::verify::typed_verifier!($name, |v| { window: v.window });

        impl Verifier {
            #[doc = $new_doc]
            ///
            /// See the example in the platform's module docs.
            pub fn new(credentials: std::sync::Arc<dyn $crate::verify::CredentialStore>) -> Self {
                Verifier {
                    credentials,
                    window: $default,
                }
            }

            /// Use another timestamp window (milliseconds).
            ///
            /// See the example in the platform's module docs.
            pub fn window(mut self, window: $crate::verify::Window) -> Self {
                self.window = window;
                self
            }

            #[doc = $verify_doc]
            /// Then the caller's address allow-list, as every verifier.
            ///
            /// See the example in the platform's module docs.
            pub fn verify(
                &self,
                request: &$crate::verify::IncomingRequest<'_>,
                now_ms: u64,
            ) -> $crate::error::Result<$crate::verify::Verified> {
                $crate::verify::caller_allowed(
                    &*self.credentials,
                    &$spec,
                    request,
                    self.verify_scheme(request, now_ms)?,
                )
            }

            /// The scheme's own checks, without the allow-list (which the generic
            /// [`crate::Verifier`] checks after this, as for every scheme).
            pub(crate) fn verify_scheme(
                &self,
                request: &$crate::verify::IncomingRequest<'_>,
                now_ms: u64,
            ) -> $crate::error::Result<$crate::verify::Verified> {
                self.verify_inner(request, now_ms)
                    .map_err(|e| $crate::verify::with_code(e, &$spec))
            }
        }
    };
}

pub(crate) use windowed_verifier;

/// For a scheme's `Verifier` that keeps nonces through its `replay: ReplayWindow`: `nonce_ttl`
/// (with the scheme's own doc, `$doc`) and `nonce_ttl_secs`.
macro_rules! nonce_ttl_methods {
    ($(#[$doc:meta])*) => {
        impl Verifier {
            $(#[$doc])*
            ///
            /// See the example in the platform's module docs.
            pub fn nonce_ttl(mut self, secs: u64) -> $crate::error::Result<Self> {
                self.replay.set_nonce_ttl(secs)?;
                Ok(self)
            }

            /// How long nonces are kept, in seconds.
            ///
            /// See the example in the platform's module docs.
            pub fn nonce_ttl_secs(&self) -> u64 {
                self.replay.nonce_ttl_secs()
            }
        }
    };
}

pub(crate) use nonce_ttl_methods;
