//! Named inputs of a scheme, checked against its [`ParamSpec`]s before any is used.

use std::fmt;
use std::sync::Arc;

use super::spec::{ParamKind, ParamSpec};
use crate::error::{Error, Result};
use crate::keys::{PrivateKey, PublicKey};

/// A parameter value: bytes (text is its UTF-8) or a key parsed once and shared.
#[derive(Clone, Copy)]
pub enum ParamValue<'a> {
    /// Text or binary data.
    Bytes(&'a [u8]),
    /// A parsed RSA private key.
    PrivateKey(&'a Arc<PrivateKey>),
    /// A parsed RSA public key.
    PublicKey(&'a Arc<PublicKey>),
}

/// One named input: a credential, a secret or a setting.
#[derive(Clone, Copy)]
pub struct Param<'a> {
    /// The name, as listed in the scheme's spec.
    pub name: &'a str,
    /// The value.
    pub value: ParamValue<'a>,
}

impl fmt::Debug for Param<'_> {
    /// The name only: the value may be a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Param({:?}, <redacted>)", self.name)
    }
}

impl<'a> Param<'a> {
    /// A text value.
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub fn text(name: &'a str, value: &'a str) -> Self {
        Self::bytes(name, value.as_bytes())
    }

    /// A byte value (a secret, or a PEM/DER key).
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub fn bytes(name: &'a str, value: &'a [u8]) -> Self {
        Param {
            name,
            value: ParamValue::Bytes(value),
        }
    }

    /// A parsed private key.
    ///
    /// See the example on [`PrivateKey`](crate::PrivateKey).
    pub fn private_key(name: &'a str, key: &'a Arc<PrivateKey>) -> Self {
        Param {
            name,
            value: ParamValue::PrivateKey(key),
        }
    }

    /// A parsed public key.
    ///
    /// See the example on [`PrivateKey`](crate::PrivateKey).
    pub fn public_key(name: &'a str, key: &'a Arc<PublicKey>) -> Self {
        Param {
            name,
            value: ParamValue::PublicKey(key),
        }
    }
}

/// Parameters checked against a spec list: every name is known, none is repeated unless the
/// spec allows it, every required one is present. Values are read by spec name.
///
/// How a scheme reads its parameters (the list and names here are made up):
/// ```
/// use apisign::scheme::{Param, ParamKind, ParamSpec, Params, SchemeSpec};
///
/// const SPECS: &[ParamSpec] = &[
///     ParamSpec::required("client_id", ParamKind::Text, "the caller's id"),
///     ParamSpec::required("secret", ParamKind::Secret, "the shared secret"),
///     ParamSpec::optional("algorithm", ParamKind::Choice(&["md5", "sha256"]), Some("md5"), "digest"),
///     ParamSpec::optional("strict", ParamKind::Flag, None, "refuse unknown parameters"),
///     ParamSpec::optional("ttl", ParamKind::Number, None, "seconds"),
///     ParamSpec::list("scope", ParamKind::Text, "what the caller may use"),
/// ];
/// let given = [
///     Param::text("client_id", "testId"),
///     Param::bytes("secret", b"testSecure"),
///     Param::text("algorithm", "SHA256"),
///     Param::text("strict", "yes"),
///     Param::text("ttl", "601"),
///     Param::text("scope", "a"),
///     Param::text("scope", "b"),
/// ];
/// let p = Params::new(format_args!("the example signer"), SPECS, &given)?;
/// assert_eq!(p.require_text("client_id")?, "testId");
/// assert_eq!(p.require_bytes("secret")?, b"testSecure");
/// assert_eq!(p.text("client_id")?, Some("testId"));
/// assert_eq!(p.bytes("secret")?, Some(&b"testSecure"[..]));
/// assert_eq!(p.choice("algorithm")?, Some("sha256"));
/// assert_eq!((p.flag("strict")?, p.number("ttl")?), (Some(true), Some(601)));
/// assert_eq!(p.texts("scope")?, ["a", "b"]);
/// assert!(p.is_given("ttl"));
/// assert!(SchemeSpec::param(SPECS, "secret").is_some_and(|s| s.kind.is_secret()));
/// assert!(!ParamKind::Text.is_secret());
///
/// // An unknown name is refused, naming it and the known ones.
/// let err = Params::new(format_args!("the example signer"), SPECS, &[Param::text("client", "x")]).unwrap_err();
/// assert!(err.message().contains("\"client\""));
/// # Ok::<(), apisign::Error>(())
/// ```
pub struct Params<'p, 'a> {
    specs: &'static [ParamSpec],
    given: &'p [Param<'a>],
}

impl fmt::Debug for Params<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.given).finish()
    }
}

fn names(specs: &[ParamSpec]) -> String {
    let v: Vec<&str> = specs.iter().map(|s| s.name).collect();
    if v.is_empty() {
        "none".to_owned()
    } else {
        v.join(", ")
    }
}

impl<'p, 'a> Params<'p, 'a> {
    /// Check `given` against `specs` (`what` names the list in errors, e.g. "the x signer";
    /// `fmt::Arguments`, so it is only formatted when there is an error).
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub fn new(
        what: fmt::Arguments<'_>,
        specs: &'static [ParamSpec],
        given: &'p [Param<'a>],
    ) -> Result<Self> {
        for (i, p) in given.iter().enumerate() {
            let Some(spec) = specs.iter().find(|s| s.name == p.name) else {
                return Err(Error::invalid(
                    "params",
                    format!(
                        "{what} takes no parameter {:?}; it takes: {}",
                        p.name,
                        names(specs)
                    ),
                ));
            };
            if !spec.repeated && given[..i].iter().any(|q| q.name == p.name) {
                return Err(Error::invalid(
                    spec.name,
                    format!(
                        "is given twice; {what} takes it once (it takes: {})",
                        names(specs)
                    ),
                ));
            }
        }
        for spec in specs.iter().filter(|s| s.required) {
            if !given.iter().any(|p| p.name == spec.name) {
                return Err(Error::invalid(
                    spec.name,
                    format!(
                        "is required by {what} ({}); it takes: {}",
                        spec.doc,
                        names(specs)
                    ),
                ));
            }
        }
        Ok(Params { specs, given })
    }

    fn spec(&self, name: &str) -> &'static ParamSpec {
        // Schemes read only names from their own spec list; a typo is a bug caught by tests.
        match self.specs.iter().find(|s| s.name == name) {
            Some(s) => s,
            None => panic!("parameter {name:?} read but not in its spec list"),
        }
    }

    fn value(&self, name: &str) -> Option<ParamValue<'a>> {
        self.given.iter().find(|p| p.name == name).map(|p| p.value)
    }

    /// Whether `name` was given (as opposed to left to its default).
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub fn is_given(&self, name: &str) -> bool {
        self.value(name).is_some()
    }

    /// The raw bytes of `name`, or its default; `None` when unset.
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub fn bytes(&self, name: &str) -> Result<Option<&'a [u8]>> {
        let spec = self.spec(name);
        match self.value(name) {
            Some(ParamValue::Bytes(b)) => Ok(Some(b)),
            Some(_) => Err(Error::invalid(
                spec.name,
                "must be text or bytes, not a key",
            )),
            None => Ok(spec.default.map(str::as_bytes)),
        }
    }

    /// `name` as UTF-8 text, or its default; `None` when unset.
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub fn text(&self, name: &str) -> Result<Option<&'a str>> {
        let spec = self.spec(name);
        match self.bytes(name)? {
            None => Ok(None),
            Some(b) => std::str::from_utf8(b)
                .map(Some)
                .map_err(|_| Error::invalid(spec.name, "must be UTF-8 text")),
        }
    }

    /// `name` as text; it must be set (required, or with a default).
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub fn require_text(&self, name: &str) -> Result<&'a str> {
        let spec = self.spec(name);
        self.text(name)?
            .ok_or_else(|| Error::invalid(spec.name, "is required"))
    }

    /// `name` as bytes; it must be set.
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub fn require_bytes(&self, name: &str) -> Result<&'a [u8]> {
        let spec = self.spec(name);
        self.bytes(name)?
            .ok_or_else(|| Error::invalid(spec.name, "is required"))
    }

    /// Every value of the repeated parameter `name`, as text, in the order given.
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub fn texts(&self, name: &str) -> Result<Vec<&'a str>> {
        let spec = self.spec(name);
        self.given
            .iter()
            .filter(|p| p.name == name)
            .map(|p| match p.value {
                ParamValue::Bytes(b) => std::str::from_utf8(b)
                    .map_err(|_| Error::invalid(spec.name, "must be UTF-8 text")),
                _ => Err(Error::invalid(spec.name, "must be text, not a key")),
            })
            .collect()
    }

    /// `name` matched against its [`ParamKind::Choice`] list: the canonical spelling.
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub fn choice(&self, name: &str) -> Result<Option<&'static str>> {
        let spec = self.spec(name);
        let ParamKind::Choice(options) = spec.kind else {
            panic!("parameter {name:?} is not a choice");
        };
        match self.text(name)? {
            None => Ok(None),
            Some(t) => options
                .iter()
                .find(|o| o.eq_ignore_ascii_case(t.trim()))
                .copied()
                .map(Some)
                .ok_or_else(|| {
                    Error::invalid(
                        spec.name,
                        format!("{t:?} is not one of: {}", options.join(", ")),
                    )
                }),
        }
    }

    /// `name` as a flag (`true/false`, `1/0`, `yes/no`, `on/off`).
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub fn flag(&self, name: &str) -> Result<Option<bool>> {
        let spec = self.spec(name);
        match self.text(name)? {
            None => Ok(None),
            Some(t) => match t.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Ok(Some(true)),
                "false" | "0" | "no" | "off" => Ok(Some(false)),
                _ => Err(Error::invalid(
                    spec.name,
                    format!("{t:?} is not a flag; use true or false"),
                )),
            },
        }
    }

    /// `name` as a non-negative integer.
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub fn number(&self, name: &str) -> Result<Option<u64>> {
        let spec = self.spec(name);
        match self.text(name)? {
            None => Ok(None),
            Some(t) => t.trim().parse::<u64>().map(Some).map_err(|_| {
                Error::invalid(
                    spec.name,
                    format!("{t:?} is not a non-negative whole number"),
                )
            }),
        }
    }

    /// `name` as a private key (parsed from PEM/DER bytes unless given parsed).
    ///
    /// See the example on [`PrivateKey`](crate::PrivateKey).
    pub fn private_key(&self, name: &str) -> Result<Option<Arc<PrivateKey>>> {
        let spec = self.spec(name);
        match self.value(name) {
            None => Ok(None),
            Some(ParamValue::PrivateKey(k)) => Ok(Some(k.clone())),
            Some(ParamValue::Bytes(b)) => PrivateKey::parse(b)
                .map(|k| Some(Arc::new(k)))
                .map_err(|e| e.with_field(spec.name)),
            Some(ParamValue::PublicKey(_)) => Err(Error::invalid(
                spec.name,
                "is a public key; signing needs the private key",
            )),
        }
    }

    /// `name` as a public key (parsed from PEM/DER bytes unless given parsed).
    ///
    /// See the example on [`PrivateKey`](crate::PrivateKey).
    pub fn public_key(&self, name: &str) -> Result<Option<Arc<PublicKey>>> {
        let spec = self.spec(name);
        match self.value(name) {
            None => Ok(None),
            Some(ParamValue::PublicKey(k)) => Ok(Some(k.clone())),
            Some(ParamValue::PrivateKey(k)) => Ok(Some(Arc::new(k.public_key()))),
            Some(ParamValue::Bytes(b)) => PublicKey::parse(b)
                .map(|k| Some(Arc::new(k)))
                .map_err(|e| e.with_field(spec.name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[ParamSpec] = &[
        ParamSpec::required("id", ParamKind::Text, "the caller id"),
        ParamSpec::optional(
            "mode",
            ParamKind::Choice(&["md5", "sha256"]),
            Some("md5"),
            "digest",
        ),
        ParamSpec::optional("strict", ParamKind::Flag, None, "strict mode"),
        ParamSpec::list("scope", ParamKind::Text, "scopes"),
    ];

    #[test]
    fn checks_names_counts_and_values() {
        let ok = [
            Param::text("id", "a"),
            Param::text("mode", "SHA256"),
            Param::text("scope", "x"),
            Param::text("scope", "y"),
        ];
        let p = Params::new(format_args!("test signer"), SPECS, &ok).unwrap();
        assert_eq!(p.require_text("id").unwrap(), "a");
        assert_eq!(p.choice("mode").unwrap(), Some("sha256"));
        assert_eq!(p.flag("strict").unwrap(), None);
        assert_eq!(p.texts("scope").unwrap(), ["x", "y"]);
        assert!(p.is_given("mode") && !p.is_given("strict"));

        let e = Params::new(
            format_args!("test signer"),
            SPECS,
            &[Param::text("idd", "a")],
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("params"));
        assert!(e.message().contains("\"idd\"") && e.message().contains("id, mode, strict, scope"));
        let e = Params::new(format_args!("test signer"), SPECS, &[]).unwrap_err();
        assert_eq!(e.field(), Some("id"));
        let twice = [Param::text("id", "a"), Param::text("id", "b")];
        assert_eq!(
            Params::new(format_args!("t"), SPECS, &twice)
                .unwrap_err()
                .field(),
            Some("id")
        );

        let bad = [
            Param::text("id", "a"),
            Param::text("mode", "sha1"),
            Param::text("strict", "maybe"),
        ];
        let p = Params::new(format_args!("t"), SPECS, &bad).unwrap();
        assert!(p
            .choice("mode")
            .unwrap_err()
            .message()
            .contains("md5, sha256"));
        assert_eq!(p.flag("strict").unwrap_err().field(), Some("strict"));
        let bad_utf8 = [Param::bytes("id", b"\xff")];
        let p = Params::new(format_args!("t"), SPECS, &bad_utf8).unwrap();
        assert_eq!(p.text("id").unwrap_err().field(), Some("id"));
    }

    #[test]
    fn debug_never_shows_values() {
        let s = format!("{:?}", [Param::text("secret", "hunter2")]);
        assert!(s.contains("secret") && !s.contains("hunter2"), "{s}");
    }
}
