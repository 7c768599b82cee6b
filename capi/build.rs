//! Gives the shared library the SONAME of its installed name, `libapisign.so`
//! (scripts/build-c.sh copies `libapisign_capi.so` there), so programs linked against it load
//! `libapisign.so` at run time.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libapisign.so");
    }
}
