//! A [`NonceStore`] in Redis (feature `redis`), so every server instance shares one replay
//! window: `SET key 1 NX EX ttl` is atomic in Redis, exactly as PieMDM's own server records
//! nonces. Redis's clock decides expiry; the `now` passed in is not used.
//!
//! When Redis cannot be reached the request is refused
//! ([`ErrorKind::NonceStoreUnavailable`]): failing open would re-open replay.

use std::sync::Mutex;
use std::time::Duration;

use super::NonceStore;
use crate::error::{Error, ErrorKind, Result};

/// Key prefix used unless another is given.
pub const DEFAULT_PREFIX: &str = "apisign:nonce:";

/// Connect and I/O timeout: a stuck Redis must not stall request handling indefinitely.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// Connections kept for reuse; more are opened under load and closed when returned.
const POOL_SIZE: usize = 16;

/// A shared replay store in Redis.
pub struct RedisNonceStore {
    client: redis::Client,
    prefix: String,
    timeout: Duration,
    idle: Mutex<Vec<redis::Connection>>,
}

impl std::fmt::Debug for RedisNonceStore {
    /// The URL may hold a password, so it is not shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisNonceStore")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

fn unavailable(what: &str, e: &redis::RedisError) -> Error {
    // The error text can echo connection details; the kind is enough to act on.
    Error::new(
        ErrorKind::NonceStoreUnavailable,
        format!(
            "Redis nonce store: {what} failed ({:?}); the request is refused rather than risk a replay",
            e.kind()
        ),
    )
}

impl RedisNonceStore {
    /// A store at `url` (`redis://[:password@]host:port[/db]`). Checks the URL now; connects
    /// on first use.
    pub fn open(url: &str) -> Result<Self> {
        let client = redis::Client::open(url).map_err(|_| {
            Error::invalid(
                "redis_url",
                "is not a Redis URL; use e.g. redis://127.0.0.1:6379/0",
            )
        })?;
        Ok(RedisNonceStore {
            client,
            prefix: DEFAULT_PREFIX.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// Use `prefix` before every key (to share one Redis between applications).
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The key prefix in use.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Use another connect/read/write timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn connection(&self) -> Result<redis::Connection> {
        if let Some(c) = self.idle.lock().ok().and_then(|mut v| v.pop()) {
            return Ok(c);
        }
        let c = self
            .client
            .get_connection_with_timeout(self.timeout)
            .map_err(|e| unavailable("connecting", &e))?;
        c.set_read_timeout(Some(self.timeout))
            .and_then(|()| c.set_write_timeout(Some(self.timeout)))
            .map_err(|e| unavailable("setting timeouts", &e))?;
        Ok(c)
    }

    fn give_back(&self, c: redis::Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < POOL_SIZE {
                idle.push(c);
            }
        }
    }
}

impl NonceStore for RedisNonceStore {
    fn check_and_record(&self, key: &str, ttl_secs: u64, _now_secs: u64) -> Result<bool> {
        let mut con = self.connection()?;
        let reply: redis::RedisResult<Option<String>> = redis::cmd("SET")
            .arg(format!("{}{key}", self.prefix))
            .arg(1)
            .arg("NX")
            .arg("EX")
            // EX 0 is an error in Redis; a zero TTL still records for one second.
            .arg(ttl_secs.max(1))
            .query(&mut con);
        match reply {
            Ok(set) => {
                self.give_back(con);
                Ok(set.is_some())
            }
            // A failed connection is dropped, not reused.
            Err(e) => Err(unavailable("SET NX", &e)),
        }
    }
}
