//! The panic boundary: every export runs its body inside `catch_unwind`, because unwinding into
//! C (or Go) is undefined behaviour. A panic is a bug in apisign; callers see
//! `APISIGN_PANIC` (or the function's neutral default) and the process keeps running.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Run `f`; on panic return `default` instead of unwinding across the boundary.
pub(crate) fn guard<T>(default: T, f: impl FnOnce() -> T) -> T {
    guard_with(|| default, f)
}

/// `guard` with a default made only on panic (for defaults that cost something to build,
/// on hot paths).
pub(crate) fn guard_with<T>(default: impl FnOnce() -> T, f: impl FnOnce() -> T) -> T {
    // AssertUnwindSafe: on panic we discard everything the closure touched except the caller's
    // output slots, which are only written after the fallible work succeeded.
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_the_default() {
        // Silence the default hook's message for this intentional panic.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let got = guard(7u32, || panic!("boom"));
        std::panic::set_hook(hook);
        assert_eq!(got, 7);
        assert_eq!(guard(7u32, || 3), 3);
    }
}
