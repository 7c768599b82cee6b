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

use crate::error::Result;
use crate::request::check_header_value;
use crate::scheme::{Param, Params};
use crate::schemes::SchemeId;

/// One caller of one scheme, as the server knows it.
pub struct Credential {
    scheme: SchemeId,
    id: String,
    scopes: BTreeSet<String>,
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
            .finish_non_exhaustive()
    }
}

impl Credential {
    /// A caller of `scheme` from its credential parameters.
    ///
    /// ```
    /// use apisign::scheme::Param;
    /// use apisign::verify::Credential;
    /// use apisign::SchemeId;
    ///
    /// let caller = Credential::new(SchemeId::JetLinks, &[
    ///     Param::text("client_id", "testId"),
    ///     Param::text("secure_key", "testSecure"),
    /// ])?;
    /// assert_eq!((caller.scheme(), caller.id()), (SchemeId::JetLinks, "testId"));
    /// // Debug never shows the secret.
    /// assert!(!format!("{caller:?}").contains("testSecure"));
    /// # Ok::<(), apisign::Error>(())
    /// ```
    pub fn new(scheme: SchemeId, params: &[Param<'_>]) -> Result<Credential> {
        let spec = scheme.spec();
        let what = format!("a {} credential", spec.name);
        let params = Params::new(&what, spec.credential_params, params)?;
        (spec.new_credential)(&params)
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
            key,
        })
    }

    /// The scheme.
    pub fn scheme(&self) -> SchemeId {
        self.scheme
    }

    /// The caller's id (app code, client id, app id, key id).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether the caller may use `scope` (e.g. a dataset).
    pub fn allows(&self, scope: &str) -> bool {
        self.scopes.contains(scope)
    }

    /// The scopes the caller may use.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scopes.iter().map(String::as_str)
    }

    /// The scheme's key object (`None` if this credential belongs to another scheme).
    pub(crate) fn key<K: Any + Send + Sync>(&self) -> Option<Arc<K>> {
        self.key.clone().downcast().ok()
    }
}

/// Credential lookups. Implementations backed by a database should cache: verifiers are
/// synchronous and call these on every request.
pub trait CredentialStore: Send + Sync {
    /// The caller `id` of `scheme`.
    fn credential(&self, scheme: SchemeId, id: &str) -> Option<Arc<Credential>>;

    /// Whether `scope` exists at all for `scheme` (an unknown dataset and one the caller may
    /// not read are answered differently).
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
    pub fn add_params(&self, scheme: SchemeId, params: &[Param<'_>]) -> Result<()> {
        self.add(Credential::new(scheme, params)?);
        Ok(())
    }

    /// Register a scope that exists whether or not any caller may use it.
    pub fn add_scope(&self, scheme: SchemeId, scope: impl Into<String>) -> Result<()> {
        let scope = scope.into();
        check_header_value("scope", &scope)?;
        self.write(|m| m.scopes.entry(scheme).or_default().insert(scope));
        Ok(())
    }

    /// Remove the caller `id` of `scheme`; whether it was registered.
    ///
    /// ```
    /// use apisign::scheme::Param;
    /// use apisign::verify::InMemoryCredentials;
    /// use apisign::SchemeId;
    ///
    /// let creds = InMemoryCredentials::new();
    /// creds.add_params(SchemeId::JetLinks, &[
    ///     Param::text("client_id", "testId"),
    ///     Param::text("secure_key", "testSecure"),
    /// ])?;
    /// assert_eq!(creds.len(), 1);
    /// assert!(creds.remove(SchemeId::JetLinks, "testId"));
    /// assert!(!creds.remove(SchemeId::JetLinks, "testId"));
    /// assert!(creds.is_empty());
    /// # Ok::<(), apisign::Error>(())
    /// ```
    pub fn remove(&self, scheme: SchemeId, id: &str) -> bool {
        self.write(|m| {
            m.callers
                .get_mut(&scheme)
                .is_some_and(|c| c.remove(id).is_some())
        })
    }

    /// How many callers are registered.
    pub fn len(&self) -> usize {
        self.read(|m| m.callers.values().map(HashMap::len).sum())
    }

    /// Whether no caller is registered.
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
