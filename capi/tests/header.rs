//! The committed C header must be exactly what cbindgen generates from capi/src/ today.
//! Regenerate with `scripts/gen-header.sh` (which runs this test with APISIGN_UPDATE_HEADER=1).

use std::path::{Path, PathBuf};

/// The committed header, at the repository root (shared by the C tests, Go and packaging).
fn header_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../include/apisign.h")
}

#[test]
fn committed_header_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(root)
        .with_config(config)
        .generate()
        .expect("cbindgen can parse the crate")
        .write(&mut generated);
    let path = header_path();
    if std::env::var_os("APISIGN_UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read(&path).expect("include/apisign.h is committed");
    assert!(
        committed == generated,
        "include/apisign.h is stale: run scripts/gen-header.sh and commit it"
    );
}

#[test]
fn header_exports_only_the_c_api() {
    let header = std::fs::read_to_string(header_path()).unwrap();
    for line in header.lines() {
        if let Some(rest) = line.strip_prefix("#define ") {
            assert!(
                rest.starts_with("APISIGN_"),
                "include/apisign.h defines {rest:?}: a core constant leaked into the C API; add it \
                 to [export] exclude in capi/cbindgen.toml"
            );
        }
    }
}
