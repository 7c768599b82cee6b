//! Client addresses: a credential's allow-list (IPs and CIDR blocks), and the address of the
//! client behind trusted reverse proxies.

use std::fmt;
use std::net::IpAddr;

pub use ipnet::IpNet;

use crate::error::{Error, Result};

/// The addresses one caller may connect from. Parsed from text the way platforms store it:
/// entries separated by `,`, `;` or newlines, each trimmed, each an IP address (`10.0.0.7`,
/// `::1`) or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`).
///
/// ```
/// use std::net::IpAddr;
/// use apisign::verify::ip::parse_trusted;
/// use apisign::verify::{client_ip, IpAllowList};
///
/// let list = IpAllowList::parse("10.0.0.0/8; 192.168.1.7,\n::1")?.expect("three entries");
/// assert_eq!(list.nets().len(), 3);
/// assert!(list.allows("10.1.2.3".parse()?));
/// assert!(!list.allows("192.168.1.8".parse()?));
/// assert!(IpAllowList::parse(" ")?.is_none()); // no entry: everyone is allowed
///
/// // Behind a trusted proxy, the client is the rightmost X-Forwarded-For entry not a proxy.
/// let trusted = parse_trusted("127.0.0.1, 10.0.0.0/8")?;
/// let proxy: IpAddr = "10.0.0.2".parse()?;
/// assert_eq!(client_ip(proxy, Some("203.0.113.9, 10.0.0.5"), &trusted), "203.0.113.9".parse::<IpAddr>()?);
/// // From an untrusted peer the header is ignored: anyone can write it.
/// let peer: IpAddr = "198.51.100.4".parse()?;
/// assert_eq!(client_ip(peer, Some("203.0.113.9"), &trusted), peer);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct IpAllowList {
    nets: Vec<IpNet>,
}

impl fmt::Debug for IpAllowList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.nets.iter().map(|n| n.to_string()))
            .finish()
    }
}

impl IpAllowList {
    /// The list in `text`; `None` when it has no entry (everyone is allowed). An entry that is
    /// neither an address nor a CIDR block is an [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput)
    /// error (field `allowed_ips`) naming it.
    ///
    /// See the example on [`IpAllowList`].
    pub fn parse(text: &str) -> Result<Option<IpAllowList>> {
        let mut nets = Vec::new();
        for entry in text.split([',', ';', '\n', '\r']).map(str::trim) {
            if entry.is_empty() {
                continue;
            }
            let net = if entry.contains('/') {
                entry.parse::<IpNet>().ok().map(|n| n.trunc())
            } else {
                entry
                    .parse::<IpAddr>()
                    .ok()
                    .map(|a| IpNet::from(a.to_canonical()))
            };
            nets.push(net.ok_or_else(|| {
                Error::invalid(
                    "allowed_ips",
                    format!(
                        "{entry:?} is neither an IP address nor a CIDR block (write 10.0.0.7, 10.0.0.0/8 or 2001:db8::/32; separate entries with ',', ';' or newlines)"
                    ),
                )
            })?);
        }
        Ok((!nets.is_empty()).then_some(IpAllowList { nets }))
    }

    /// Whether `ip` is in the list. An IPv4 address written as IPv6 (`::ffff:10.0.0.7`, as
    /// dual-stack sockets report it) is compared as IPv4.
    ///
    /// See the example on [`IpAllowList`].
    pub fn allows(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.nets.iter().any(|n| n.contains(&ip))
    }

    /// The entries.
    ///
    /// See the example on [`IpAllowList`].
    pub fn nets(&self) -> &[IpNet] {
        &self.nets
    }
}

/// The client's address: `peer` (the connection's) unless it is one of the `trusted` proxies,
/// in which case the rightmost `X-Forwarded-For` entry that is not a trusted proxy. Entries to
/// the left of an untrusted hop are whatever the client chose to send and are never used; an
/// entry that is not an address stops the walk at the last trusted hop.
///
/// See the example on [`IpAllowList`].
pub fn client_ip(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| {
        let ip = ip.to_canonical();
        trusted.iter().any(|n| n.contains(&ip))
    };
    let mut current = peer.to_canonical();
    if !is_trusted(current) {
        return current;
    }
    let Some(header) = forwarded_for else {
        return current;
    };
    for hop in header.rsplit(',').map(str::trim) {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            return current;
        };
        current = ip.to_canonical();
        if !is_trusted(current) {
            return current;
        }
    }
    current
}

/// `trusted` proxies from text (the allow-list syntax); an empty text trusts none.
///
/// See the example on [`IpAllowList`].
pub fn parse_trusted(text: &str) -> Result<Vec<IpNet>> {
    Ok(IpAllowList::parse(text)
        .map_err(|e| Error::invalid("trusted_proxies", e.message().to_owned()))?
        .map(|l| l.nets)
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn lists_split_like_the_platforms_and_accept_cidr() {
        let l = IpAllowList::parse(" 10.0.0.0/8 ;127.0.0.1,\n2001:db8::/32\r\n\n")
            .unwrap()
            .unwrap();
        assert_eq!(l.nets().len(), 3);
        assert!(l.allows(ip("10.1.2.3")));
        assert!(l.allows(ip("127.0.0.1")));
        assert!(!l.allows(ip("127.0.0.2")));
        assert!(l.allows(ip("2001:db8::5")));
        assert!(!l.allows(ip("2001:db9::5")));
        // A dual-stack socket reports IPv4 clients as IPv4-mapped IPv6.
        assert!(l.allows(ip("::ffff:10.9.9.9")));
        assert!(!l.allows(ip("11.0.0.1")));
        // Host bits in a block are ignored, as the platforms' CIDR parsers do.
        let l = IpAllowList::parse("192.168.1.77/24").unwrap().unwrap();
        assert!(l.allows(ip("192.168.1.1")));
    }

    #[test]
    fn empty_lists_allow_everyone_and_bad_entries_are_named() {
        assert_eq!(IpAllowList::parse("").unwrap(), None);
        assert_eq!(IpAllowList::parse(" , ;\n").unwrap(), None);
        let e = IpAllowList::parse("10.0.0.1, example.com").unwrap_err();
        assert_eq!(e.field(), Some("allowed_ips"));
        assert!(e.message().contains("\"example.com\""), "{e}");
        assert!(IpAllowList::parse("10.0.0.0/33").is_err());
    }

    #[test]
    fn forwarded_for_is_read_only_behind_trusted_proxies() {
        let trusted = parse_trusted("10.0.0.0/8").unwrap();
        let client = ip("203.0.113.9");
        // Direct connection: the header is the client's own claim and is ignored.
        assert_eq!(
            client_ip(client, Some("127.0.0.1"), &trusted),
            client,
            "a spoofed X-Forwarded-For from an untrusted peer must not be believed"
        );
        // Behind one proxy.
        assert_eq!(
            client_ip(ip("10.0.0.2"), Some("203.0.113.9"), &trusted),
            client
        );
        // The client prepends a fake entry; the rightmost untrusted hop wins.
        assert_eq!(
            client_ip(
                ip("10.0.0.2"),
                Some("127.0.0.1, 203.0.113.9, 10.0.0.3"),
                &trusted
            ),
            client
        );
        // Every hop trusted: the leftmost.
        assert_eq!(
            client_ip(ip("10.0.0.2"), Some("10.0.0.5, 10.0.0.3"), &trusted),
            ip("10.0.0.5")
        );
        // Garbage stops the walk at the last trusted hop.
        assert_eq!(
            client_ip(ip("10.0.0.2"), Some("203.0.113.9, junk"), &trusted),
            ip("10.0.0.2")
        );
        // No header behind a proxy: the proxy.
        assert_eq!(client_ip(ip("10.0.0.2"), None, &trusted), ip("10.0.0.2"));
        // No trusted proxies: always the peer.
        assert_eq!(
            client_ip(ip("10.0.0.2"), Some("1.2.3.4"), &[]),
            ip("10.0.0.2")
        );
        assert!(parse_trusted("nope").unwrap_err().field() == Some("trusted_proxies"));
    }
}
