//! Replay stores for Python: the bounded in-memory one, Redis and Redis Cluster (shared by
//! every server process), and the application's own object with a `check_and_record` method.

use std::sync::Arc;
use std::time::Duration;

use pyo3::prelude::*;

use super::errors::IntoPyResult;
use apisign::error::{Error, ErrorKind};
use apisign::verify::{InMemoryNonceStore, NonceStore, RedisClusterNonceStore, RedisNonceStore};

/// A replay store. `NonceStore(capacity=None)` keeps nonces in this process (bounded);
/// `NonceStore.redis(url)` and `NonceStore.redis_cluster(urls)` share them between processes.
#[pyclass(frozen, module = "apisign._native", name = "NonceStore")]
pub(crate) struct PyNonceStore {
    inner: Arc<dyn NonceStore>,
    memory: Option<Arc<InMemoryNonceStore>>,
    kind: &'static str,
}

/// An optional budget in ms.
fn timeout(ms: Option<u64>) -> Option<Duration> {
    ms.map(Duration::from_millis)
}

#[pymethods]
impl PyNonceStore {
    #[new]
    #[pyo3(signature = (capacity=None))]
    fn new(capacity: Option<usize>) -> Self {
        let memory = Arc::new(match capacity {
            Some(c) => InMemoryNonceStore::with_capacity(c),
            None => InMemoryNonceStore::default(),
        });
        PyNonceStore {
            inner: memory.clone(),
            memory: Some(memory),
            kind: "memory",
        }
    }

    /// A store in Redis at `url` (`redis://[:password@]host:port[/db]`), checked now,
    /// connected on first use; `timeout_ms` bounds one check (default 2000).
    #[staticmethod]
    #[pyo3(signature = (url, *, prefix=None, timeout_ms=None))]
    fn redis(url: &str, prefix: Option<String>, timeout_ms: Option<u64>) -> PyResult<Self> {
        let mut s = RedisNonceStore::open(url).py_err()?;
        if let Some(p) = prefix {
            s = s.with_prefix(p);
        }
        if let Some(t) = timeout(timeout_ms) {
            s = s.with_timeout(t);
        }
        Ok(Self::shared(Arc::new(s), "redis"))
    }

    /// A store in the Redis Cluster reachable at any of `urls` (seed nodes); `timeout_ms`
    /// bounds each connection and each reply (default 2000).
    #[staticmethod]
    #[pyo3(signature = (urls, *, prefix=None, timeout_ms=None))]
    fn redis_cluster(
        urls: Vec<String>,
        prefix: Option<String>,
        timeout_ms: Option<u64>,
    ) -> PyResult<Self> {
        let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
        let mut s = match timeout(timeout_ms) {
            Some(t) => RedisClusterNonceStore::open_with_timeout(&refs, t),
            None => RedisClusterNonceStore::open(&refs),
        }
        .py_err()?;
        if let Some(p) = prefix {
            s = s.with_prefix(p).py_err()?;
        }
        Ok(Self::shared(Arc::new(s), "redis_cluster"))
    }

    /// The in-memory store's bound (`None` for a shared store).
    #[getter]
    fn capacity(&self) -> Option<usize> {
        self.memory.as_ref().map(|m| m.capacity())
    }

    /// Record `key` for `ttl_secs` unless present: whether it was new (what a verifier calls).
    fn check_and_record(
        &self,
        py: Python<'_>,
        key: &str,
        ttl_secs: u64,
        now_secs: u64,
    ) -> PyResult<bool> {
        py.detach(|| self.inner.check_and_record(key, ttl_secs, now_secs))
            .py_err()
    }

    /// Nonces held in memory (0 for a shared store, whose size lives in Redis).
    fn __len__(&self) -> usize {
        self.memory.as_ref().map_or(0, |m| m.len())
    }

    fn __repr__(&self) -> String {
        match &self.memory {
            Some(m) => format!("NonceStore(len={}, capacity={})", m.len(), m.capacity()),
            None => format!("NonceStore.{}(...)", self.kind),
        }
    }
}

impl PyNonceStore {
    fn shared(inner: Arc<dyn NonceStore>, kind: &'static str) -> Self {
        PyNonceStore {
            inner,
            memory: None,
            kind,
        }
    }
}

/// The application's own store: any Python object with `check_and_record(key, ttl_secs,
/// now_secs) -> bool`. Called with the GIL (verification releases it and takes it back).
struct Foreign(Py<PyAny>);

impl NonceStore for Foreign {
    fn check_and_record(&self, key: &str, ttl_secs: u64, now_secs: u64) -> apisign::Result<bool> {
        Python::attach(|py| {
            let answer = self
                .0
                .bind(py)
                .call_method1("check_and_record", (key, ttl_secs, now_secs))?;
            answer.extract::<bool>()
        })
        .map_err(|e| {
            // The exception's text may quote connection details; its type is enough to act on.
            let what = Python::attach(|py| {
                e.get_type(py)
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            });
            Error::new(
                ErrorKind::NonceStoreUnavailable,
                format!(
                    "the application's nonce store failed ({what}; check_and_record must return True or False); the request is refused rather than risk a replay"
                ),
            )
        })
    }
}

/// `nonces=` of a verifier: a `NonceStore`, or any object with `check_and_record`.
pub(crate) fn nonce_store(obj: &Bound<'_, PyAny>) -> PyResult<Arc<dyn NonceStore>> {
    if let Ok(s) = obj.cast::<PyNonceStore>() {
        return Ok(s.get().inner.clone());
    }
    if obj.hasattr("check_and_record")? {
        return Ok(Arc::new(Foreign(obj.clone().unbind())));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "nonces: expected a NonceStore or an object with check_and_record(key, ttl_secs, now_secs) -> bool, not {}",
        obj.get_type().name()?
    )))
}
