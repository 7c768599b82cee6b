//! Exhaustive test inputs: every word up to a length over a small alphabet, for the tests that
//! compare a fast path with a plain one on all short inputs.

/// Every sequence of 0 to `max_len` letters of `alphabet`, shortest first.
pub(crate) fn every_word<T: Copy>(
    alphabet: &[T],
    max_len: u32,
) -> impl Iterator<Item = Vec<T>> + '_ {
    (0..=max_len).flat_map(move |len| {
        (0..alphabet.len().pow(len)).map(move |mut n| {
            (0..len)
                .map(|_| {
                    let letter = alphabet[n % alphabet.len()];
                    n /= alphabet.len();
                    letter
                })
                .collect()
        })
    })
}
