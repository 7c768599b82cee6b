//! Shared loading of the conformance vectors in `tests/vectors/` (a copy of
//! `../shared/vectors/`). Included by the core's tests and, by path, by the CLI's (`cli/tests/`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The repository root: the core's manifest directory, or its parent for the CLI crate's tests.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("tests/vectors").is_dir())
        .expect("tests/vectors in the manifest directory or one of its parents")
        .to_path_buf()
}

pub fn vectors_dir() -> PathBuf {
    repo_root().join("tests/vectors")
}

/// Every `*.json` vector file, sorted by name, parsed.
pub fn vector_files() -> Vec<(String, Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vectors_dir())
        .expect("tests/vectors exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vector files in tests/vectors");
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect()
}

/// `(scheme, file, case)` for every case of every file.
pub fn all_cases() -> Vec<(String, Value, Value)> {
    let mut out = Vec::new();
    for (_, file) in vector_files() {
        let scheme = file["scheme"].as_str().expect("scheme").to_owned();
        for case in file["cases"].as_array().expect("cases") {
            out.push((scheme.clone(), file.clone(), case.clone()));
        }
    }
    out
}

/// `(scheme, result)` for every case, each run by its scheme's function (linksfield's also
/// gets the file, which holds the keys its cases name).
pub fn run_every_case<T>(
    lovrabet: fn(&Value) -> T,
    jetlinks: fn(&Value) -> T,
    piemdm: fn(&Value) -> T,
    linksfield: fn(&Value, &Value) -> T,
) -> Vec<(String, T)> {
    all_cases()
        .into_iter()
        .map(|(scheme, file, case)| {
            let out = match scheme.as_str() {
                "lovrabet" => lovrabet(&case),
                "jetlinks" => jetlinks(&case),
                "piemdm" => piemdm(&case),
                "linksfield" => linksfield(&file, &case),
                other => panic!("unknown scheme {other:?} in tests/vectors"),
            };
            (scheme, out)
        })
        .collect()
}

pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string {key:?} in {v}"))
}

pub fn opt_s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

pub fn num(v: &Value, key: &str) -> u64 {
    s(v, key)
        .parse()
        .unwrap_or_else(|_| panic!("{key:?} is not an integer string in {v}"))
}

/// The private key a linksfield case names (`"keys.<name>"`).
pub fn linksfield_key<'a>(file: &'a Value, reference: &str) -> &'a str {
    let name = reference.strip_prefix("keys.").unwrap_or(reference);
    file["keys"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no key {name:?} in the keys object"))
}

/// A key from the `keys` object of `linksfield.json`, by name.
pub fn linksfield_vector_key(name: &str) -> String {
    let files = vector_files();
    let file = &files
        .iter()
        .find(|(n, _)| n == "linksfield.json")
        .expect("linksfield.json in tests/vectors")
        .1;
    linksfield_key(file, name).to_owned()
}

/// That key written to `<dir>/<name>.pem`, for the CLI's `--*-key-file` flags.
pub fn linksfield_vector_key_file(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}.pem"));
    std::fs::write(&path, linksfield_vector_key(name)).unwrap();
    path
}
