//! The committed C header must be exactly what cbindgen generates from capi/src/ today.
//! Regenerate with `scripts/gen-header.sh` (which runs this test with APISIGN_UPDATE_HEADER=1).

use std::path::{Path, PathBuf};

/// The committed header. It lives in the Go module (go/ is the module and a module zip holds
/// nothing outside it); the repository's include/ is a link to go/include/ for C and packaging.
fn header_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../go/include/apisign.h")
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
    let committed = std::fs::read(&path).expect("go/include/apisign.h is committed");
    assert!(
        committed == generated,
        "go/include/apisign.h (include/apisign.h) is stale: run scripts/gen-header.sh and commit it"
    );
}

#[test]
fn header_exports_only_the_c_api() {
    let header = std::fs::read_to_string(header_path()).unwrap();
    let leaked = leaked_names(&header);
    assert!(
        leaked.is_empty(),
        "go/include/apisign.h declares {leaked:?} outside the apisign namespace: core items leaked \
         into the C API; keep parse_deps = false or add them to [export] exclude in \
         capi/cbindgen.toml"
    );
}

/// Constants and type names the header declares outside the `APISIGN_`/`apisign_` namespace:
/// core items cbindgen picked up, which C callers could collide with.
fn leaked_names(header: &str) -> Vec<String> {
    let mut leaked = Vec::new();
    for line in header.lines() {
        if let Some(rest) = line.strip_prefix("#define ") {
            if !rest.starts_with("APISIGN_") {
                leaked.push(rest.to_owned());
            }
        } else if let Some(rest) = line.strip_prefix("typedef struct ") {
            if !rest.starts_with("apisign_") {
                leaked.push(rest.to_owned());
            }
        }
    }
    leaked
}

/// The header cbindgen generated while it scanned the whole core crate declared the core's
/// `Window` as an opaque C type; that header must fail the check above.
#[test]
fn a_leaked_core_type_is_caught() {
    let header = "typedef struct apisign_error apisign_error;\n\
                  typedef struct Window Window;\n\
                  #define APISIGN_OK 0\n\
                  #define MAX_URL_LEN 8192\n";
    assert_eq!(leaked_names(header), ["Window Window;", "MAX_URL_LEN 8192"]);
}
