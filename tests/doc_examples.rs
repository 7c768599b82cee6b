//! Every public function and method a user can reach (core crate and the tower layer) is
//! called by at least one runnable doc example, and every one without an example of its own
//! points to one. Parses the sources with `syn`; an example "calls" `Type::method` when a code
//! block of the crate's docs (doc comments, the `docs/api/*.md` they include) contains
//! `Type::method(` or contains `.method(` and names `Type` (or sits in the file defining it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;
use syn::{Attribute, ImplItem, Item, TraitItem, Visibility};

/// One public function: where it is defined and whether its own docs show or point to an example.
#[derive(Debug)]
struct PubFn {
    /// `None` for a free function.
    owner: Option<String>,
    name: String,
    file: PathBuf,
    /// Its own docs hold a code block or a pointer ("See the example on …").
    pointed: bool,
}

/// What one source tree offers: its public functions, the names it re-exports and its code
/// blocks (with the file each comes from).
#[derive(Default)]
struct Crate {
    fns: Vec<PubFn>,
    reexported: BTreeSet<String>,
    types: BTreeMap<String, bool>,
    blocks: Vec<(PathBuf, String)>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn has_attr(attrs: &[Attribute], name: &str, arg: &str) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident(name)
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().replace(' ', "").contains(arg))
    })
}

/// Items a user cannot call: hidden from the docs, test-only, or the fuzz targets' module.
fn skipped(attrs: &[Attribute]) -> bool {
    has_attr(attrs, "doc", "hidden")
        || has_attr(attrs, "cfg", "test")
        || has_attr(attrs, "cfg", "fuzzing")
}

/// The text of an item's `#[doc]` attributes, with `include_str!` files read in.
fn doc_text(attrs: &[Attribute], file: &Path) -> String {
    let mut out = String::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        let syn::Meta::NameValue(nv) = &a.meta else {
            continue;
        };
        match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => out.push_str(&s.value()),
            syn::Expr::Macro(m) if m.mac.path.is_ident("include_str") => {
                let rel: syn::LitStr = m.mac.parse_body().expect("include_str! takes a string");
                let path = file.parent().unwrap().join(rel.value());
                out.push_str(
                    &std::fs::read_to_string(&path)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
                );
            }
            _ => {}
        }
        out.push('\n');
    }
    out
}

/// The Rust code blocks of a Markdown text (rustdoc's rules: a bare fence is Rust; `ignore`,
/// `compile_fail` and other languages do not run).
fn code_blocks(doc: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<(bool, String)> = None;
    for line in doc.lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            match current.take() {
                Some((runs, code)) => {
                    if runs {
                        blocks.push(code);
                    }
                }
                None => {
                    let runs = info.split(',').map(str::trim).all(|w| {
                        matches!(
                            w,
                            "" | "rust" | "no_run" | "should_panic" | "edition2021" | "edition2024"
                        )
                    });
                    current = Some((runs, String::new()));
                }
            }
        } else if let Some((_, code)) = current.as_mut() {
            code.push_str(line);
            code.push('\n');
        }
    }
    blocks
}

fn names_in_use(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(p) => names_in_use(&p.tree, out),
        syn::UseTree::Name(n) => drop(out.insert(n.ident.to_string())),
        syn::UseTree::Rename(r) => drop(out.insert(r.rename.to_string())),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| names_in_use(t, out)),
        syn::UseTree::Glob(_) => {}
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn self_type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Collects every `#[doc]` attribute of a file (module docs, items, fields, variants…).
struct Docs<'a> {
    file: &'a Path,
    text: String,
}

impl<'ast> Visit<'ast> for Docs<'_> {
    fn visit_attribute(&mut self, a: &'ast Attribute) {
        self.text
            .push_str(&doc_text(std::slice::from_ref(a), self.file));
    }
}

fn pointed(attrs: &[Attribute], file: &Path) -> bool {
    let doc = doc_text(attrs, file);
    doc.contains("```") || doc.contains("See the example")
}

impl Crate {
    fn load(lib: &Path) -> Crate {
        let mut krate = Crate::default();
        krate.file(lib, true);
        krate
    }

    /// Reads one module file; `reachable` when every module on its path is public.
    fn file(&mut self, path: &Path, reachable: bool) {
        let source =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ast = syn::parse_file(&source).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut docs = Docs {
            file: path,
            text: String::new(),
        };
        docs.visit_file(&ast);
        self.blocks.extend(
            code_blocks(&docs.text)
                .into_iter()
                .map(|b| (path.to_owned(), b)),
        );
        // `foo.rs` keeps its submodules in `foo/`, `mod.rs` and `lib.rs` in their own folder.
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let dir = if matches!(stem, "mod" | "lib") {
            path.parent().unwrap().to_owned()
        } else {
            path.with_extension("")
        };
        self.items(&ast.items, path, &dir, reachable);
    }

    fn items(&mut self, items: &[Item], path: &Path, dir: &Path, reachable: bool) {
        for item in items {
            match item {
                Item::Mod(m) if !skipped(&m.attrs) => {
                    let open = reachable && is_pub(&m.vis);
                    let name = m.ident.to_string();
                    match &m.content {
                        Some((_, inner)) => self.items(inner, path, &dir.join(&name), open),
                        None => {
                            let file = dir.join(format!("{name}.rs"));
                            let file = if file.exists() {
                                file
                            } else {
                                dir.join(&name).join("mod.rs")
                            };
                            self.file(&file, open);
                        }
                    }
                }
                Item::Use(u) if is_pub(&u.vis) && reachable && !skipped(&u.attrs) => {
                    names_in_use(&u.tree, &mut self.reexported)
                }
                Item::Fn(f) if is_pub(&f.vis) && !skipped(&f.attrs) => {
                    let name = f.sig.ident.to_string();
                    if reachable {
                        self.reexported.insert(name.clone());
                    }
                    self.fns.push(PubFn {
                        owner: None,
                        name,
                        file: path.to_owned(),
                        pointed: pointed(&f.attrs, path),
                    });
                }
                Item::Struct(s) if is_pub(&s.vis) && !skipped(&s.attrs) => {
                    self.ty(&s.ident, reachable)
                }
                Item::Enum(e) if is_pub(&e.vis) && !skipped(&e.attrs) => {
                    self.ty(&e.ident, reachable)
                }
                Item::Trait(t) if is_pub(&t.vis) && !skipped(&t.attrs) => {
                    self.ty(&t.ident, reachable);
                    for ti in &t.items {
                        if let TraitItem::Fn(f) = ti {
                            if !skipped(&f.attrs) {
                                self.fns.push(PubFn {
                                    owner: Some(t.ident.to_string()),
                                    name: f.sig.ident.to_string(),
                                    file: path.to_owned(),
                                    pointed: pointed(&f.attrs, path),
                                });
                            }
                        }
                    }
                }
                Item::Impl(i) if i.trait_.is_none() && !skipped(&i.attrs) => {
                    let Some(owner) = self_type_name(&i.self_ty) else {
                        continue;
                    };
                    for ii in &i.items {
                        if let ImplItem::Fn(f) = ii {
                            if is_pub(&f.vis) && !skipped(&f.attrs) {
                                self.fns.push(PubFn {
                                    owner: Some(owner.clone()),
                                    name: f.sig.ident.to_string(),
                                    file: path.to_owned(),
                                    pointed: pointed(&f.attrs, path),
                                });
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn ty(&mut self, ident: &syn::Ident, reachable: bool) {
        let seen = self.types.entry(ident.to_string()).or_default();
        *seen |= reachable;
    }

    fn reachable(&self, f: &PubFn) -> bool {
        match &f.owner {
            Some(t) => self.types.get(t).copied().unwrap_or(false) || self.reexported.contains(t),
            None => self.reexported.contains(&f.name),
        }
    }
}

/// The platform folder (`src/schemes/<p>/`) a file belongs to, if any: names defined there
/// (`Verifier`, `credential`) must be called through `<p>::` or from that folder's own docs.
fn platform_of(file: &Path) -> Option<String> {
    let parts: Vec<_> = file
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let at = parts.iter().rposition(|c| c == "schemes")?;
    parts.get(at + 2).map(|_| parts[at + 1].clone())
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `needle` occurs in `code` not preceded by an identifier character.
fn contains_word(code: &str, needle: &str) -> bool {
    code.match_indices(needle)
        .any(|(at, _)| !code[..at].chars().next_back().is_some_and(is_ident_char))
}

fn called(f: &PubFn, blocks: &[(PathBuf, String)]) -> bool {
    let home = platform_of(&f.file);
    blocks.iter().any(|(file, code)| {
        let in_scope = |name: &str| match &home {
            Some(p) => {
                platform_of(file).as_ref() == Some(p) || code.contains(&format!("{p}::{name}"))
            }
            None => contains_word(code, name),
        };
        match &f.owner {
            Some(t) => {
                (code.contains(&format!("{t}::{}(", f.name)) && in_scope(t))
                    || (code.contains(&format!(".{}(", f.name)) && (file == &f.file || in_scope(t)))
            }
            None => {
                contains_word(code, &format!("{}(", f.name))
                    && home.as_ref().is_none_or(|p| {
                        platform_of(file).as_ref() == Some(p)
                            || code.contains(&format!("{p}::{}(", f.name))
                    })
            }
        }
    })
}

fn check(lib: &Path) -> (usize, Vec<String>) {
    let krate = Crate::load(lib);
    let mut missing = Vec::new();
    let mut count = 0;
    for f in krate.fns.iter().filter(|f| krate.reachable(f)) {
        count += 1;
        let name = match &f.owner {
            Some(t) => format!("{t}::{}", f.name),
            None => f.name.clone(),
        };
        let rel = f
            .file
            .strip_prefix(root())
            .unwrap_or(&f.file)
            .display()
            .to_string();
        if !called(f, &krate.blocks) {
            missing.push(format!("{rel}: {name} (no doc example calls it)"));
        } else if !f.pointed {
            missing.push(format!(
                "{rel}: {name} (its docs neither show nor point to an example)"
            ));
        }
    }
    (count, missing)
}

/// Fails naming every public function of the crate at `lib` that lacks an example; `at_least`
/// proves the walk found the crate, not an empty or misread tree.
fn assert_covered(lib: &str, at_least: usize) {
    let (count, missing) = check(&root().join(lib));
    assert!(
        count >= at_least,
        "only {count} public functions found in {lib}"
    );
    assert!(
        missing.is_empty(),
        "{} of {count} public functions lack an example:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn every_public_function_of_the_core_has_a_doc_example() {
    // 212 on 2026-11-30.
    assert_covered("src/lib.rs", 200);
}

#[test]
fn every_public_function_of_the_tower_layer_has_a_doc_example() {
    assert_covered("tower/src/lib.rs", 7);
}

#[test]
fn the_checker_sees_a_missing_example() {
    // A function no block calls, and one whose only call is through another type.
    let f = PubFn {
        owner: Some("Signer".into()),
        name: "sign".into(),
        file: root().join("src/a.rs"),
        pointed: true,
    };
    let other = root().join("src/b.rs");
    assert!(!called(
        &f,
        &[(other.clone(), "let x = other.sign(&r);".into())]
    ));
    assert!(called(
        &f,
        &[(other.clone(), "let s = Signer::new(); s.sign(&r);".into())]
    ));
    let p = PubFn {
        owner: None,
        name: "credential".into(),
        file: root().join("src/schemes/piemdm/scheme.rs"),
        pointed: true,
    };
    assert!(!called(
        &p,
        &[(other.clone(), "lovrabet::credential(x)".into())]
    ));
    assert!(called(&p, &[(other, "piemdm::credential(x)".into())]));
    assert_eq!(
        code_blocks("a\n```\nx()\n```\n```text\ny()\n```\n```ignore\nz()\n```"),
        vec!["x()\n"]
    );
}
