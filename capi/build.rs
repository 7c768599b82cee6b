//! Gives the shared library the SONAME cargo-c installs it under, `libapisign.so.<sover>`, where
//! sover is the part of the version that breaks compatibility (the major, or `0.minor` before
//! 1.0; cargo-c's default), so `cargo cinstall` and scripts/build-c.sh (which copies
//! `libapisign_capi.so` there) agree whichever -soname the linker sees last.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
        let minor = std::env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_default();
        let sover = if major == "0" {
            format!("0.{minor}")
        } else {
            major
        };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libapisign.so.{sover}");
    }
}
