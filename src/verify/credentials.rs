//! Where a verifier finds the caller's secret or public key.
//!
//! A [`Credential`] is one caller of one scheme, built from the scheme's credential
//! parameters ([`SchemeSpec::credential_params`](crate::scheme::SchemeSpec::credential_params))
//! and holding what verification needs already keyed (the HMAC key schedule is computed once
//! per credential, not per request), plus the scopes (e.g. datasets) the caller may use.

use std::any::Any;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, RwLock};

use super::ip::IpAllowList;
use crate::error::{Error, ErrorKind, Result};
use crate::request::check_header_value;
use crate::scheme::{Param, ParamKind, ParamSpec, ParamValue, Params};
use crate::schemes::SchemeId;

/// The credential parameter every scheme takes besides its own: the addresses the caller may
/// connect from (see [`IpAllowList::parse`]); unset or empty allows every address.
pub const ALLOWED_IPS: ParamSpec = ParamSpec::optional(
    "allowed_ips",
    ParamKind::Text,
    None,
    "addresses the caller may connect from: IPs and CIDR blocks separated by ',', ';' or newlines (empty: any)",
);

/// One caller of one scheme, as the server knows it.
///
#[doc = include_str!("../../docs/api/credential.md")]
pub struct Credential {
    scheme: SchemeId,
    id: String,
    scopes: BTreeSet<String>,
    allowed_ips: Option<IpAllowList>,
    // An Arc so a verifier can hold the typed key (`Arc::downcast`) past the lookup.
    key: Arc<dyn Any + Send + Sync>,
}

impl fmt::Debug for Credential {
    /// Scheme, id and scopes only: the key is secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("scheme", &self.scheme)
            .field("id", &self.id)
            .field("scopes", &self.scopes)
            .field("allowed_ips", &self.allowed_ips)
            .finish_non_exhaustive()
    }
}

impl Credential {
    /// A caller of `scheme` from its credential parameters: the scheme's own
    /// ([`SchemeSpec::credential_params`](crate::scheme::SchemeSpec::credential_params)) and
    /// [`ALLOWED_IPS`], which every scheme takes.
    ///
    #[doc = include_str!("../../docs/api/credential-new.md")]
    pub fn new(scheme: SchemeId, params: &[Param<'_>]) -> Result<Credential> {
        let spec = scheme.spec();
        let (ips, own): (Vec<Param<'_>>, Vec<Param<'_>>) =
            params.iter().partition(|p| p.name == ALLOWED_IPS.name);
        let allowed_ips = match ips.as_slice() {
            [] => None,
            [p] => IpAllowList::parse(param_text(p)?)?,
            _ => {
                return Err(Error::invalid(
                    "allowed_ips",
                    "is given more than once; give one text with every entry",
                ))
            }
        };
        let params = Params::new(
            format_args!("a {} credential", spec.name),
            spec.credential_params,
            &own,
        )?;
        Ok((spec.new_credential)(&params)?.with_allowed_ips(allowed_ips))
    }

    /// The same credential, accepted only from `list` (`None`: from anywhere).
    ///
    /// See the example on [`Credential`].
    pub fn with_allowed_ips(mut self, list: Option<IpAllowList>) -> Self {
        self.allowed_ips = list;
        self
    }

    /// The addresses this caller may connect from (`None`: any).
    ///
    /// See the example on [`Credential`].
    pub fn allowed_ips(&self) -> Option<&IpAllowList> {
        self.allowed_ips.as_ref()
    }

    /// Refuse a request from `ip` when this credential has an allow-list that does not hold it
    /// (or when the address is unknown): [`ErrorKind::IpNotAllowed`].
    ///
    /// See the example on [`Credential`].
    pub fn check_ip(&self, ip: Option<std::net::IpAddr>) -> Result<()> {
        let Some(list) = &self.allowed_ips else {
            return Ok(());
        };
        match ip {
            Some(ip) if list.allows(ip) => Ok(()),
            Some(ip) => Err(Error::new(
                ErrorKind::IpNotAllowed,
                format!("{ip} is not in the caller's allowed addresses"),
            )),
            None => Err(Error::new(
                ErrorKind::IpNotAllowed,
                "the caller has an address allow-list but the client address is unknown; pass the client IP to the verifier",
            )),
        }
    }

    /// A credential holding `key` (what the scheme's verifier reads back with [`Self::key`]).
    pub(crate) fn from_key<K: Any + Send + Sync>(
        scheme: SchemeId,
        id: String,
        key: K,
        scopes: impl IntoIterator<Item = String>,
    ) -> Result<Credential> {
        Self::from_shared_key(scheme, id, Arc::new(key), scopes)
    }

    /// [`Self::from_key`] for a key already shared: stored as `K`, not as `Arc<K>`, so that
    /// [`Self::key::<K>`](Self::key) finds it.
    pub(crate) fn from_shared_key<K: Any + Send + Sync>(
        scheme: SchemeId,
        id: String,
        key: Arc<K>,
        scopes: impl IntoIterator<Item = String>,
    ) -> Result<Credential> {
        check_header_value("id", &id)?;
        let scopes: BTreeSet<String> = scopes.into_iter().collect();
        for s in &scopes {
            check_header_value("scope", s)?;
        }
        Ok(Credential {
            scheme,
            id,
            scopes,
            allowed_ips: None,
            key,
        })
    }

    /// The scheme.
    ///
    /// See the example on [`Credential`].
    pub fn scheme(&self) -> SchemeId {
        self.scheme
    }

    /// The caller's id (app code, client id, app id, key id).
    ///
    /// See the example on [`Credential`].
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether the caller may use `scope` (e.g. a dataset).
    ///
    /// See the example on [`Credential`].
    pub fn allows(&self, scope: &str) -> bool {
        self.scopes.contains(scope)
    }

    /// The scopes the caller may use.
    ///
    /// See the example on [`Credential`].
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scopes.iter().map(String::as_str)
    }

    /// The scheme's key object (`None` if this credential belongs to another scheme).
    pub(crate) fn key<K: Any + Send + Sync>(&self) -> Option<Arc<K>> {
        self.key.clone().downcast().ok()
    }
}

/// A text parameter's value.
fn param_text<'a>(p: &Param<'a>) -> Result<&'a str> {
    match p.value {
        ParamValue::Bytes(b) => std::str::from_utf8(b)
            .map_err(|_| Error::invalid(ALLOWED_IPS.name, "must be UTF-8 text")),
        _ => Err(Error::invalid(ALLOWED_IPS.name, "must be text, not a key")),
    }
}

/// Credential lookups. Implementations backed by a database should cache: verifiers are
/// synchronous and call these on every request.
pub trait CredentialStore: Send + Sync {
    /// The caller `id` of `scheme`.
    ///
    /// See the example on [`Credential`].
    fn credential(&self, scheme: SchemeId, id: &str) -> Option<Arc<Credential>>;

    /// Whether `scope` exists at all for `scheme` (an unknown dataset and one the caller may
    /// not read are answered differently).
    ///
    /// See the example on [`Credential`].
    fn scope_exists(&self, scheme: SchemeId, scope: &str) -> bool {
        let _ = (scheme, scope);
        false
    }
}

#[derive(Default)]
struct Maps {
    // Nested by scheme so a lookup by `&str` needs no allocation.
    callers: HashMap<SchemeId, HashMap<String, Arc<Credential>>>,
    scopes: HashMap<SchemeId, HashSet<String>>,
}

/// A [`CredentialStore`] in memory. Thread-safe, including while credentials are added or
/// removed: verifiers holding it see changes (key rotation) at once.
#[derive(Default)]
pub struct InMemoryCredentials(RwLock<Maps>);

impl InMemoryCredentials {
    /// An empty store.
    ///
    /// See the example on [`Credential`].
    pub fn new() -> Self {
        Self::default()
    }

    fn read<T>(&self, f: impl FnOnce(&Maps) -> T) -> T {
        // Writes are single inserts, so a lock poisoned by a panicking writer still holds
        // consistent maps.
        f(&self.0.read().unwrap_or_else(|p| p.into_inner()))
    }

    fn write<T>(&self, f: impl FnOnce(&mut Maps) -> T) -> T {
        f(&mut self.0.write().unwrap_or_else(|p| p.into_inner()))
    }

    /// Register (or replace) a caller; its scopes also become known scopes.
    ///
    /// See the example on [`Credential`].
    pub fn add(&self, credential: Credential) {
        self.write(|m| {
            let scheme = credential.scheme;
            m.scopes
                .entry(scheme)
                .or_default()
                .extend(credential.scopes.iter().cloned());
            m.callers
                .entry(scheme)
                .or_default()
                .insert(credential.id.clone(), Arc::new(credential));
        });
    }

    /// [`Credential::new`] then [`Self::add`].
    ///
    /// See the example on [`Credential`].
    pub fn add_params(&self, scheme: SchemeId, params: &[Param<'_>]) -> Result<()> {
        self.add(Credential::new(scheme, params)?);
        Ok(())
    }

    /// Register a scope that exists whether or not any caller may use it.
    ///
    /// See the example on [`Credential`].
    pub fn add_scope(&self, scheme: SchemeId, scope: impl Into<String>) -> Result<()> {
        let scope = scope.into();
        check_header_value("scope", &scope)?;
        self.write(|m| m.scopes.entry(scheme).or_default().insert(scope));
        Ok(())
    }

    /// Remove the caller `id` of `scheme`; whether it was registered.
    ///
    #[doc = include_str!("../../docs/api/credentials-remove.md")]
    pub fn remove(&self, scheme: SchemeId, id: &str) -> bool {
        self.write(|m| {
            m.callers
                .get_mut(&scheme)
                .is_some_and(|c| c.remove(id).is_some())
        })
    }

    /// How many callers are registered.
    ///
    /// See the example on [`Credential`].
    pub fn len(&self) -> usize {
        self.read(|m| m.callers.values().map(HashMap::len).sum())
    }

    /// Whether no caller is registered.
    ///
    /// See the example on [`Credential`].
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Debug for InMemoryCredentials {
    /// Scheme and id of each caller, sorted; never a key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids: Vec<String> = self.read(|m| {
            m.callers
                .iter()
                .flat_map(|(s, c)| c.keys().map(move |id| format!("{}:{id}", s.spec().name)))
                .collect()
        });
        ids.sort();
        f.debug_struct("InMemoryCredentials")
            .field("callers", &ids)
            .finish_non_exhaustive()
    }
}

impl CredentialStore for InMemoryCredentials {
    fn credential(&self, scheme: SchemeId, id: &str) -> Option<Arc<Credential>> {
        self.read(|m| m.callers.get(&scheme)?.get(id).cloned())
    }

    fn scope_exists(&self, scheme: SchemeId, scope: &str) -> bool {
        self.read(|m| m.scopes.get(&scheme).is_some_and(|s| s.contains(scope)))
    }
}
