//! Scanning a URL for its separators and for bytes that must be percent-encoded.

/// What one pass over a URL finds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UrlScan {
    /// The first `?` before any `#`.
    pub(crate) question: Option<usize>,
    /// The first `#`.
    pub(crate) hash: Option<usize>,
    /// The first byte that must be percent-encoded (space, control or DEL), if any.
    pub(crate) bad: Option<u8>,
}

/// Find the separators and any byte that must be percent-encoded in one pass.
///
/// Runs on every signature, so it tests eight bytes at a time (SWAR) and looks at single
/// bytes only in a word that holds something of interest: a typical URL has one such word.
pub(crate) fn scan_url(bytes: &[u8]) -> UrlScan {
    const LO: u64 = u64::from_ne_bytes([0x01; 8]);
    const HI: u64 = u64::from_ne_bytes([0x80; 8]);
    let has_zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    // Exact as "does any byte…" tests (Bit Twiddling Hacks `hasless`, valid for n <= 128).
    let interesting = |w: u64| {
        (w.wrapping_sub(LO * 0x21) & !w & HI)
            | has_zero(w ^ (LO * 0x7f))
            | has_zero(w ^ (LO * u64::from(b'?')))
            | has_zero(w ^ (LO * u64::from(b'#')))
            != 0
    };
    let mut scan = UrlScan {
        question: None,
        hash: None,
        bad: None,
    };
    // Returns true when the scan can stop (a bad byte decides the outcome).
    let mut visit = |i: usize, b: u8| {
        match b {
            0..=0x20 | 0x7f => {
                scan.bad = Some(b);
                return true;
            }
            b'#' if scan.hash.is_none() => scan.hash = Some(i),
            b'?' if scan.question.is_none() && scan.hash.is_none() => scan.question = Some(i),
            _ => {}
        }
        false
    };
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let word = u64::from_ne_bytes(chunk.try_into().expect("chunks of 8"));
        if interesting(word) {
            for (j, &b) in chunk.iter().enumerate() {
                if visit(base + j, b) {
                    return scan;
                }
            }
        }
        base += 8;
    }
    for (j, &b) in chunks.remainder().iter().enumerate() {
        if visit(base + j, b) {
            break;
        }
    }
    scan
}

/// The obvious byte-at-a-time answer [`scan_url`] must match (tests and the fuzz target).
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn naive_scan(bytes: &[u8]) -> UrlScan {
    let bad = bytes.iter().copied().find(|&b| b <= b' ' || b == 0x7f);
    let hash = bytes.iter().position(|&b| b == b'#');
    let question = bytes[..hash.unwrap_or(bytes.len())]
        .iter()
        .position(|&b| b == b'?');
    match bad {
        Some(b) => UrlScan {
            bad: Some(b),
            ..scan_url(&[])
        },
        None => UrlScan {
            question,
            hash,
            bad: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_at_a_time_scan_matches_byte_at_a_time() {
        // Every input of up to 5 bytes over the byte classes (the remainder path), then words.
        let alphabet = [
            b'a', b'?', b'#', b' ', 0x7f, 0x1f, 0xc3, 0x80, 0xff, 0x21, b'/',
        ];
        for s in crate::words::every_word(&alphabet, 5) {
            let (got, want) = (scan_url(&s), naive_scan(&s));
            if want.bad.is_some() {
                assert_eq!(got.bad, want.bad, "{s:?}");
            } else {
                assert_eq!(got, want, "{s:?}");
            }
        }
        // Two chosen bytes at every pair of positions of inputs one and two words long (with
        // and without a remainder), so every lane of a word is tested against every class.
        for len in [8, 9, 16, 17] {
            for i in 0..len {
                for j in i..len {
                    for &a in &alphabet {
                        for &b in &alphabet {
                            let mut s = vec![b'x'; len];
                            s[i] = a;
                            s[j] = b;
                            let (got, want) = (scan_url(&s), naive_scan(&s));
                            if want.bad.is_some() {
                                assert_eq!(got.bad, want.bad, "{s:?}");
                            } else {
                                assert_eq!(got, want, "{s:?}");
                            }
                        }
                    }
                }
            }
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut s = vec![b'x'; (x % 40) as usize];
            for _ in 0..(x >> 8) % 4 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                if !s.is_empty() {
                    let at = (x as usize >> 3) % s.len();
                    s[at] = alphabet[(x >> 40) as usize % alphabet.len()];
                }
            }
            let (got, want) = (scan_url(&s), naive_scan(&s));
            if want.bad.is_some() {
                assert_eq!(got.bad, want.bad, "{s:?}");
            } else {
                assert_eq!(got, want, "{s:?}");
            }
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
    }
}
