//! The repository documents itself: every relative Markdown link resolves to a file inside the
//! repository (a user who clones it has nothing else), and each platform's page in `docs/`
//! names every header its conformance vectors expect, so the docs cannot drift from them.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// Directory names (at any depth: `target/`, `fuzz/target/`, a venv under `python/`) that hold
/// build output or third-party files, never our documentation.
const SKIP_DIRS: [&str; 6] = [
    ".git",
    "target",
    ".venv",
    "node_modules",
    ".pytest_cache",
    ".mypy_cache",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every Markdown file of the repository, relative to the root: tracked and new (not ignored)
/// files as git lists them, so a page added but not yet committed is checked too; a walk of
/// the tree when git is unavailable (e.g. an unpacked crate).
fn markdown_files() -> Vec<PathBuf> {
    let root = root();
    let mut files = git_listed().unwrap_or_else(|| {
        let mut found = Vec::new();
        walk(&root, Path::new(""), &mut found);
        found
    });
    // A tracked file deleted in the work tree is not documentation any more.
    files.retain(|f| root.join(f).is_file());
    files.sort();
    files.dedup();
    files
}

/// `*.md` files git tracks or would track; `None` without git or outside a checkout.
fn git_listed() -> Option<Vec<PathBuf>> {
    git_files("*.md")
}

/// Files matching `pattern` that git tracks or would track (not ignored).
fn git_files(pattern: &str) -> Option<Vec<PathBuf>> {
    let out = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
            "--",
            pattern,
        ])
        .current_dir(root())
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let text = String::from_utf8(out.stdout).expect("git ls-files prints UTF-8 paths");
    Some(
        text.split('\0')
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .collect(),
    )
}

fn walk(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    for entry in entries.flatten() {
        let path = rel.join(entry.file_name());
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            let skip = SKIP_DIRS.iter().any(|d| entry.file_name() == *d);
            if !skip {
                walk(root, &path, out);
            }
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// Link targets of one Markdown text: inline links `[text](target)` / `![alt](target)` and
/// reference definitions `[id]: target`, outside fenced code blocks and code spans (code
/// such as `v[i](x)` is not a link).
fn link_targets(text: &str) -> Vec<(usize, String)> {
    let mut targets = Vec::new();
    let mut fence: Option<&str> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") {
            fence = Some("```");
            continue;
        }
        if trimmed.starts_with("~~~") {
            fence = Some("~~~");
            continue;
        }
        let line_no = n + 1;
        if let Some(def) = reference_definition(trimmed) {
            targets.push((line_no, def));
            continue;
        }
        let prose = without_code_spans(line);
        let mut rest = prose.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let (target, used) = inline_target(after);
            targets.push((line_no, target));
            rest = &after[used..];
        }
    }
    targets
}

/// `[id]: target "title"` → `target`.
fn reference_definition(line: &str) -> Option<String> {
    let rest = line.strip_prefix('[')?;
    let close = rest.find("]:")?;
    if close == 0 || rest[..close].contains(']') {
        return None;
    }
    let target = rest[close + 2..].split_whitespace().next()?;
    Some(
        target
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_owned(),
    )
}

/// The target of an inline link whose `](` has just been consumed, and the bytes it spans.
/// Balanced parentheses belong to the target, as in CommonMark; a title after a space ends it.
fn inline_target(after: &str) -> (String, usize) {
    if let Some(angled) = after.strip_prefix('<') {
        let end = angled.find('>').unwrap_or(angled.len());
        return (angled[..end].to_owned(), end + 1);
    }
    let mut depth = 0usize;
    let mut end = after.len();
    for (i, c) in after.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = i;
                break;
            }
            ')' => depth -= 1,
            c if c.is_whitespace() => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    (after[..end].to_owned(), end)
}

/// `line` with the contents of backtick code spans blanked out.
fn without_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('`') {
        out.push_str(&rest[..open]);
        let ticks = rest[open..].bytes().take_while(|&b| b == b'`').count();
        let fence = &rest[open..open + ticks];
        let body = &rest[open + ticks..];
        match body.find(fence) {
            Some(close) => rest = &body[close + ticks..],
            // An unmatched backtick is literal text.
            None => {
                out.push_str(fence);
                rest = body;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Why `target`, linked from the file `from` (relative to the root), is not a file inside the
/// repository; `None` when it is fine or is not a local link at all. With `shipped` (the
/// files git tracks or would track), a target must also be one of them: a build output such as
/// `target/…` exists here but not in a fresh clone.
fn broken(
    root: &Path,
    shipped: Option<&BTreeSet<PathBuf>>,
    from: &Path,
    target: &str,
) -> Option<String> {
    let lower = target.to_ascii_lowercase();
    if target.is_empty()
        || target.starts_with('#')
        || lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
    {
        return None;
    }
    let path = target.split(['#', '?']).next().unwrap_or_default();
    if path.starts_with('/') || path.starts_with('\\') || path.contains(':') {
        return Some("is absolute or not a repository path; link relative to this file".into());
    }
    let path = path.replace("%20", " ");
    // Resolved lexically, so `..` above the root fails even where such a file exists outside
    // (as `../shared/SPEC.md` does on the machine this repository was written on).
    let mut resolved = PathBuf::new();
    let base = from.parent().unwrap_or(Path::new(""));
    for part in base.join(&path).components() {
        match part {
            Component::Normal(p) => resolved.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !resolved.pop() {
                    return Some("leaves the repository (`..` above its root)".into());
                }
            }
            _ => return Some("is not a relative path".into()),
        }
    }
    let full = root.join(&resolved);
    if !full.exists() {
        return Some(format!("{} does not exist", resolved.display()));
    }
    if let Some(shipped) = shipped {
        let in_repo = shipped.contains(&resolved)
            || (full.is_dir() && shipped.iter().any(|f| f.starts_with(&resolved)));
        if !in_repo {
            return Some(format!(
                "{} is ignored by git, so a clone does not have it",
                resolved.display()
            ));
        }
    }
    // A symlink could still point outside.
    let real = full.canonicalize().ok()?;
    let real_root = root.canonicalize().ok()?;
    if !real.starts_with(&real_root) {
        return Some(format!(
            "{} resolves outside the repository",
            resolved.display()
        ));
    }
    None
}

#[test]
fn relative_markdown_links_stay_inside_the_repository() {
    let root = root();
    let files = markdown_files();
    let shipped: Option<BTreeSet<PathBuf>> = git_files(".").map(|f| f.into_iter().collect());
    assert!(
        files.iter().any(|f| f == Path::new("README.md")),
        "found no README.md; the file list is wrong: {files:?}"
    );
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(root.join(file))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (line, target) in link_targets(&text) {
            if let Some(why) = broken(&root, shipped.as_ref(), file, &target) {
                problems.push(format!("{}:{line}: ({target}) {why}", file.display()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "Markdown links that do not resolve inside the repository:\n{}",
        problems.join("\n")
    );
}

#[test]
fn link_checker_catches_what_it_should() {
    let root = root();
    let from = Path::new("docs/README.md");
    let check = |from: &Path, target: &str| broken(&root, None, from, target);
    assert_eq!(check(from, "lovrabet.md#headers"), None);
    assert_eq!(check(from, "../README.md"), None);
    assert_eq!(check(from, "#top"), None);
    assert_eq!(check(from, "https://example.com/x"), None);
    assert!(check(from, "../../shared/SPEC.md").is_some());
    assert!(check(Path::new("README.md"), "../shared/SPEC.md").is_some());
    assert!(check(from, "/work/shared/SPEC.md").is_some());
    assert!(check(from, "missing.md").is_some());
    let shipped: BTreeSet<PathBuf> = ["docs/lovrabet.md"]
        .into_iter()
        .map(PathBuf::from)
        .collect();
    assert_eq!(broken(&root, Some(&shipped), from, "lovrabet.md"), None);
    assert_eq!(broken(&root, Some(&shipped), from, "../docs"), None);
    assert!(broken(&root, Some(&shipped), from, "../Cargo.lock").is_some());
    let found = link_targets(
        "[a](x.md) `[b](code.md)` ![c](img/p.png \"t\")\n```\n[d](fenced.md)\n```\n[e]: ref.md\n",
    );
    let found: Vec<_> = found.into_iter().map(|(_, t)| t).collect();
    assert_eq!(found, ["x.md", "img/p.png", "ref.md"]);
}

#[test]
fn tree_walk_finds_every_file_git_lists() {
    // The walk is the fallback without git; it must not miss a page git would check.
    let Some(listed) = git_listed() else {
        return;
    };
    let mut walked = Vec::new();
    walk(&root(), Path::new(""), &mut walked);
    let root = root();
    let missed: Vec<_> = listed
        .iter()
        .filter(|f| root.join(f).is_file() && !walked.contains(f))
        .collect();
    assert!(missed.is_empty(), "the tree walk misses {missed:?}");
}

/// Every header name the scheme's vectors expect a signer to produce.
fn vector_header_names(scheme: &str) -> BTreeSet<String> {
    let path = root().join(format!("tests/vectors/{scheme}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let doc: serde_json::Value = serde_json::from_str(&text).expect("vectors are JSON");
    let cases = doc["cases"]
        .as_array()
        .expect("vectors have a `cases` array");
    cases
        .iter()
        .filter_map(|c| c["expected"]["headers"].as_object())
        .flat_map(|h| h.keys().cloned())
        .collect()
}

#[test]
fn each_scheme_page_names_the_headers_its_vectors_expect() {
    let root = root();
    let index = std::fs::read_to_string(root.join("docs/README.md")).expect("docs/README.md");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    assert!(
        readme.contains("](docs/"),
        "README.md must link to docs/, where the platform rules are"
    );
    // The registry is the one list of schemes: a new scheme without a page fails here.
    for spec in apisign::scheme::SCHEMES {
        let scheme = spec.name;
        let page = format!("docs/{scheme}.md");
        let text = std::fs::read_to_string(root.join(&page))
            .unwrap_or_else(|e| panic!("{page} must exist: {e}"));
        assert!(
            index.contains(&format!("({scheme}.md)")),
            "docs/README.md must link to {scheme}.md"
        );
        let names = vector_header_names(scheme);
        assert!(
            !names.is_empty(),
            "tests/vectors/{scheme}.json expects no headers?"
        );
        // Backticked, so a lowercase header such as linksfield's `nonce` is named as a header,
        // not merely mentioned as a word.
        let named = |n: &str| text.contains(&format!("`{n}`")) || text.contains(&format!("`{n}:"));
        let missing: Vec<_> = names.iter().filter(|n| !named(n)).collect();
        assert!(
            missing.is_empty(),
            "{page} does not name the header(s) {missing:?} that tests/vectors/{scheme}.json expects"
        );
        // The spec's header list is what bindings read: the page names each of them too.
        let missing: Vec<_> = spec.headers.iter().filter(|n| !named(n)).collect();
        assert!(
            missing.is_empty(),
            "{page} does not name the header(s) {missing:?} of the scheme's SchemeSpec"
        );
    }
}
