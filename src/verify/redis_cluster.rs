//! A [`NonceStore`] in a Redis Cluster (feature `redis`), for when one Redis is not enough.
//! Each nonce is one key, so `SET key 1 NX EX ttl` goes to the master that owns the key's hash
//! slot and stays atomic there; the client follows the cluster's slot map and its `MOVED`/`ASK`
//! redirections. Keys carry no hash tag on purpose: nonces spread over every master.
//!
//! As with [`RedisNonceStore`](super::RedisNonceStore), a cluster that cannot answer within
//! the time budget refuses the request ([`ErrorKind::NonceStoreUnavailable`]).

use std::sync::Mutex;
use std::time::Duration;

use redis::cluster::{ClusterClient, ClusterConnection};
use redis::ConnectionLike;

use super::redis_store::{fresh, set_nx, unavailable, DEFAULT_PREFIX, DEFAULT_TIMEOUT};
use super::NonceStore;
#[cfg(doc)]
use crate::error::ErrorKind;
use crate::error::{Error, Result};

/// Cluster connections kept for reuse (each holds one socket per master it has talked to).
const POOL_SIZE: usize = 8;

/// A shared replay store in a Redis Cluster.
///
/// ```no_run
/// use std::time::Duration;
/// use apisign::verify::{NonceStore, RedisClusterNonceStore};
///
/// // Needs a Redis Cluster; any reachable masters give the client the slot map.
/// let seeds = ["redis://10.0.0.1:7000", "redis://10.0.0.2:7000"];
/// let store = RedisClusterNonceStore::open(&seeds)?.with_prefix("billing:nonce:")?;
/// assert_eq!(store.prefix(), "billing:nonce:");
/// let quick = RedisClusterNonceStore::open_with_timeout(&seeds, Duration::from_millis(500))?;
/// assert!(quick.check_and_record("caller:n-1", 601, 0)?);
/// # Ok::<(), apisign::Error>(())
/// ```
pub struct RedisClusterNonceStore {
    client: ClusterClient,
    prefix: String,
    idle: Mutex<Vec<ClusterConnection>>,
}

impl std::fmt::Debug for RedisClusterNonceStore {
    /// The URLs may hold a password, so they are not shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisClusterNonceStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisClusterNonceStore {
    /// A store on the cluster reachable at any of `urls` (`redis://host:port`, one or more
    /// seed nodes; the client discovers the others), with a 2 s budget per connection and per
    /// reply. Checks the URLs now; connects on first use.
    ///
    /// See the example on [`RedisClusterNonceStore`].
    pub fn open(urls: &[&str]) -> Result<Self> {
        Self::open_with_timeout(urls, DEFAULT_TIMEOUT)
    }

    /// [`Self::open`] with another budget for each connection attempt and each reply.
    ///
    /// See the example on [`RedisClusterNonceStore`].
    pub fn open_with_timeout(urls: &[&str], timeout: Duration) -> Result<Self> {
        if urls.is_empty() {
            return Err(Error::invalid(
                "redis_urls",
                "give at least one node of the cluster, e.g. redis://127.0.0.1:7000",
            ));
        }
        let client = ClusterClient::builder(urls.iter().copied())
            .connection_timeout(timeout)
            .response_timeout(timeout)
            // A few retries follow MOVED/ASK during resharding; many would stall a request
            // while the cluster is down.
            .retries(2)
            .build()
            .map_err(|_| {
                Error::invalid(
                    "redis_urls",
                    "are not Redis URLs; use e.g. redis://127.0.0.1:7000 for each seed node",
                )
            })?;
        Ok(RedisClusterNonceStore {
            client,
            prefix: DEFAULT_PREFIX.to_owned(),
            idle: Mutex::new(Vec::new()),
        })
    }

    /// Use `prefix` before every key (to share one cluster between applications). A prefix
    /// with a hash tag (`{…}`) would put every nonce on one master: refused.
    ///
    /// See the example on [`RedisClusterNonceStore`].
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Result<Self> {
        let prefix = prefix.into();
        if prefix.contains('{') {
            return Err(Error::invalid(
                "prefix",
                "must not contain '{': a hash tag would put every nonce in one slot, on one master",
            ));
        }
        self.prefix = prefix;
        Ok(self)
    }

    /// The key prefix in use.
    ///
    /// See the example on [`RedisClusterNonceStore`].
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    fn connection(&self) -> Result<ClusterConnection> {
        if let Some(c) = self.idle.lock().ok().and_then(|mut v| v.pop()) {
            return Ok(c);
        }
        self.client
            .get_connection()
            .map_err(|e| unavailable("connecting to the cluster", &e))
    }
}

impl NonceStore for RedisClusterNonceStore {
    /// One `SET key 1 NX EX ttl` on the master owning the key's slot.
    fn check_and_record(&self, key: &str, ttl_secs: u64, _now_secs: u64) -> Result<bool> {
        let mut con = self.connection()?;
        let reply = con
            .req_command(&set_nx(&self.prefix, key, ttl_secs))
            .map_err(|e| unavailable("SET NX", &e))?;
        let fresh = fresh(reply)?;
        // Only a connection whose command completed is reused.
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < POOL_SIZE {
                idle.push(con);
            }
        }
        Ok(fresh)
    }
}
