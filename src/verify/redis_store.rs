//! A [`NonceStore`] in Redis (feature `redis`), so every server instance shares one replay
//! window: `SET key 1 NX EX ttl` is atomic in Redis, exactly as the platforms' own servers record
//! nonces. Redis's clock decides expiry (`EX ttl` keeps the key `ttl` seconds, end included);
//! the `now` passed in is not used.
//!
//! When Redis cannot be reached, or does not answer within the timeout, the request is
//! refused ([`ErrorKind::NonceStoreUnavailable`]): failing open would re-open replay.

use std::net::ToSocketAddrs;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use redis::{ConnectionAddr, ConnectionInfo, RedisConnectionInfo, Value};

use super::NonceStore;
use crate::error::{Error, ErrorKind, Result};

/// Key prefix used unless another is given.
pub const DEFAULT_PREFIX: &str = "apisign:nonce:";

/// Time budget of one check (connect + send + reply): a stuck Redis must not stall request
/// handling indefinitely.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// Connections kept for reuse; more are opened under load and closed when returned.
const POOL_SIZE: usize = 16;

/// A shared replay store in Redis.
///
/// ```no_run
/// use std::sync::Arc;
/// use std::time::Duration;
/// use apisign::verify::{NonceStore, RedisNonceStore};
///
/// // Needs a Redis server: every instance of a service shares its nonces there.
/// let store = RedisNonceStore::open("redis://127.0.0.1:6379/0")?
///     .with_prefix("billing:nonce:")
///     .with_timeout(Duration::from_millis(500));
/// assert_eq!(store.prefix(), "billing:nonce:");
/// let store: Arc<dyn NonceStore> = Arc::new(store);
/// assert!(store.check_and_record("caller:n-1", 601, 0)?);
/// # Ok::<(), apisign::Error>(())
/// ```
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

pub(crate) fn unavailable(what: &str, e: &redis::RedisError) -> Error {
    // The error text can echo connection details; the kind is enough to act on.
    Error::new(
        ErrorKind::NonceStoreUnavailable,
        format!(
            "Redis nonce store: {what} failed ({:?}); the request is refused rather than risk a replay",
            e.kind()
        ),
    )
}

/// The end of one check's time budget, computed once when the check starts; every blocking
/// step (each connection attempt, the send, the reply) is given only what is left of it, so
/// the steps together never exceed the budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Deadline(Instant);

impl Deadline {
    fn after(budget: Duration, start: Instant) -> Self {
        // A budget too large for the clock is as good as none.
        Deadline(
            start
                .checked_add(budget)
                .unwrap_or_else(|| start + Duration::from_secs(365 * 86_400)),
        )
    }

    /// The budget left at `now`; `None` once spent (a socket timeout cannot be zero).
    fn left_at(self, now: Instant) -> Option<Duration> {
        Some(self.0.saturating_duration_since(now)).filter(|d| !d.is_zero())
    }

    /// The budget left now, or the error that refuses the request before `step`.
    fn left(self, step: &str) -> Result<Duration> {
        self.left_at(Instant::now()).ok_or_else(|| {
            Error::new(
                ErrorKind::NonceStoreUnavailable,
                format!(
                    "Redis nonce store: the time budget ran out before {step}; the request is refused rather than risk a replay"
                ),
            )
        })
    }
}

impl RedisNonceStore {
    /// A store at `url` (`redis://[:password@]host:port[/db]`). Checks the URL now; connects
    /// on first use.
    ///
    /// See the example on [`RedisNonceStore`].
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
    ///
    /// See the example on [`RedisNonceStore`].
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The key prefix in use.
    ///
    /// See the example on [`RedisNonceStore`].
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Use another time budget for one check, connecting (every address the host resolves
    /// to), authenticating, sending `SET` and reading its reply together (default 2 s). Name
    /// resolution is not bounded by it: use an IP address in the URL where that matters.
    ///
    /// A check that runs out of time is refused, but its `SET` may already be on its way:
    /// Redis can still record the nonce afterwards. A client that retries *the same signed
    /// request* may then get `AUTH_NONCE_USED`; a retry must be signed again with a fresh
    /// nonce (and timestamp).
    ///
    /// See the example on [`RedisNonceStore`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// A pooled connection, or a new one within the budget.
    fn connection(&self, deadline: Deadline) -> Result<redis::Connection> {
        if let Some(c) = self.idle.lock().ok().and_then(|mut v| v.pop()) {
            return Ok(c);
        }
        let info = self.client.get_connection_info();
        let ConnectionAddr::Tcp(host, port) = info.addr() else {
            // Unix sockets and TLS: one attempt, bounded by what is left.
            return connect(info.clone(), deadline);
        };
        // The client library gives *each* resolved address the whole timeout; try them one by
        // one here so that all attempts share the one budget.
        let addrs = (host.as_str(), *port).to_socket_addrs().map_err(|_| {
            Error::new(
                ErrorKind::NonceStoreUnavailable,
                "Redis nonce store: the host name does not resolve; the request is refused rather than risk a replay",
            )
        })?;
        let mut last = None;
        for addr in addrs {
            let one = info
                .clone()
                .set_addr(ConnectionAddr::Tcp(addr.ip().to_string(), addr.port()));
            match connect(one, deadline) {
                Ok(c) => return Ok(c),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| {
            Error::new(
                ErrorKind::NonceStoreUnavailable,
                "Redis nonce store: the host name resolves to no address; the request is refused rather than risk a replay",
            )
        }))
    }

    fn give_back(&self, c: redis::Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < POOL_SIZE {
                idle.push(c);
            }
        }
    }
}

/// Connect to one address with what is left of the budget, then authenticate and select the
/// database ourselves. The client library's own handshake gives *each* reply the whole
/// timeout (its two `CLIENT SETINFO` replies made a hung server take 4 s with a 2 s timeout),
/// so it is switched off: the library only opens the TCP connection, and every command here
/// goes through [`round_trip`]. The URL's protocol setting is not used (RESP2 is enough for
/// `SET`).
fn connect(info: ConnectionInfo, deadline: Deadline) -> Result<redis::Connection> {
    let settings = info.redis_settings().clone();
    let bare = info.set_redis_settings(RedisConnectionInfo::default().set_skip_set_lib_name());
    let left = deadline.left("connecting")?;
    let mut con = redis::Client::open(bare)
        .and_then(|c| c.get_connection_with_timeout(left))
        .map_err(|e| unavailable("connecting", &e))?;
    if let Some(password) = settings.password() {
        let mut auth = redis::cmd("AUTH");
        if let Some(user) = settings.username() {
            auth.arg(user);
        }
        auth.arg(password);
        expect_ok(round_trip(&mut con, &auth, deadline, "AUTH")?, "AUTH")?;
    }
    if settings.db() != 0 {
        let select = redis::cmd("SELECT").arg(settings.db()).clone();
        expect_ok(round_trip(&mut con, &select, deadline, "SELECT")?, "SELECT")?;
    }
    Ok(con)
}

/// Send `cmd` and read its one reply, each step given only what is left of the deadline.
fn round_trip(
    con: &mut redis::Connection,
    cmd: &redis::Cmd,
    deadline: Deadline,
    what: &str,
) -> Result<Value> {
    let left = deadline.left(what)?;
    con.set_write_timeout(Some(left))
        .and_then(|()| con.send_packed_command(&cmd.get_packed_command()))
        .map_err(|e| unavailable(what, &e))?;
    let left = deadline.left(what)?;
    con.set_read_timeout(Some(left))
        .and_then(|()| con.recv_response())
        .map_err(|e| unavailable(what, &e))
}

fn expect_ok(reply: Value, what: &str) -> Result<()> {
    if reply == Value::Okay {
        return Ok(());
    }
    // The reply may quote the server's configuration; the command name is enough to act on.
    Err(Error::new(
        ErrorKind::NonceStoreUnavailable,
        format!(
            "Redis nonce store: {what} was refused (check the user, password and database in the URL); the request is refused rather than risk a replay"
        ),
    ))
}

impl NonceStore for RedisNonceStore {
    /// One `SET key 1 NX EX ttl` within the store's time budget (see
    /// [`RedisNonceStore::with_timeout`] for what a retry after a timeout sees).
    fn check_and_record(&self, key: &str, ttl_secs: u64, _now_secs: u64) -> Result<bool> {
        let deadline = Deadline::after(self.timeout, Instant::now());
        let mut con = self.connection(deadline)?;
        // On any failure the connection is dropped, not pooled: a late reply would answer the
        // next command.
        let reply = round_trip(
            &mut con,
            &set_nx(&self.prefix, key, ttl_secs),
            deadline,
            "SET NX",
        )?;
        let fresh = fresh(reply)?;
        self.give_back(con);
        Ok(fresh)
    }
}

/// `SET <prefix><key> 1 NX EX <ttl>`: records the key only if absent, atomically.
pub(crate) fn set_nx(prefix: &str, key: &str, ttl_secs: u64) -> redis::Cmd {
    redis::cmd("SET")
        .arg(format!("{prefix}{key}"))
        .arg(1)
        .arg("NX")
        .arg("EX")
        // EX 0 is an error in Redis; a zero TTL still records for one second.
        .arg(ttl_secs.max(1))
        .clone()
}

/// Whether `SET NX` recorded the key (`OK`) or found it (`nil`); anything else refuses.
pub(crate) fn fresh(reply: Value) -> Result<bool> {
    match reply {
        Value::Okay => Ok(true),
        Value::Nil => Ok(false),
        _ => Err(Error::new(
            ErrorKind::NonceStoreUnavailable,
            "Redis nonce store: SET NX got an unexpected reply (an error or a read-only replica?); the request is refused rather than risk a replay",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn the_budget_is_computed_once_and_shrinks() {
        let t0 = Instant::now();
        let d = Deadline::after(Duration::from_secs(2), t0);
        // Every step asks the same deadline: what it gets is the budget minus time spent.
        assert_eq!(d.left_at(t0), Some(Duration::from_secs(2)));
        assert_eq!(
            d.left_at(t0 + Duration::from_millis(1500)),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            d.left_at(t0 + Duration::from_millis(1999)),
            Some(Duration::from_millis(1))
        );
        // Spent: no step may start (and no zero timeout, which sockets refuse, is handed out).
        assert_eq!(d.left_at(t0 + Duration::from_secs(2)), None);
        assert_eq!(d.left_at(t0 + Duration::from_secs(5)), None);
        assert_eq!(Deadline::after(Duration::ZERO, t0).left_at(t0), None);
        // A budget past the clock's range does not panic.
        assert!(Deadline::after(Duration::MAX, t0).left_at(t0).is_some());
    }

    #[test]
    fn a_spent_budget_refuses_before_the_step() {
        let e = Deadline::after(Duration::ZERO, Instant::now())
            .left("sending SET")
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NonceStoreUnavailable);
        assert!(e.to_string().contains("sending SET"), "{e}");
    }

    #[test]
    fn a_hung_redis_fails_closed() {
        // A listener that accepts connections and never answers: the handshake or the SET
        // reply never comes.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let _held = std::thread::spawn(move || {
            let mut open = Vec::new();
            for c in listener.incoming().take(2) {
                open.push(c);
            }
            // Keep the sockets open until the test is over.
            std::thread::sleep(Duration::from_secs(3));
        });
        let s = RedisNonceStore::open(&format!("redis://127.0.0.1:{port}/0"))
            .unwrap()
            .with_timeout(Duration::from_millis(300));
        for _ in 0..2 {
            let e = s.check_and_record("k", 60, 0).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::NonceStoreUnavailable, "{e}");
        }
        // A failed connection is never pooled.
        assert!(s.idle.lock().unwrap().is_empty());
    }
}
