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
