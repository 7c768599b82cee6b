//! Lovrabet tokens: one handle per access key (keyed HMAC state computed once), single tokens
//! and batches for several datasets at one timestamp.

use super::buffer::{check_out, write_lines, write_out};
use super::error::{apisign_error, run, FfiError};
use super::handle::{borrow, Out};
use super::input::{bytes, text};
use super::panic::guard;
use super::result::{apisign_result, APISIGN_INDEX_OUT_OF_RANGE, APISIGN_PANIC};
use super::signature::apisign_signature;
use apisign::lovrabet::{TokenGenerator, DEFAULT_SECRET_KEY, HEADER_NAMES};
use apisign::Secret;

/// A Lovrabet token generator for one access key and secret key.
///
/// Immutable after creation: one handle may be used from any number of threads at once.
/// Free with `apisign_lovrabet_free`. The keys are wiped from memory when it is freed.
#[allow(non_camel_case_types)]
pub struct apisign_lovrabet {
    generator: TokenGenerator,
}

/// One dataset of a batch: a unique `name` (the key of the result) and its dataset `code`.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct apisign_dataset {
    /// Name that keys the result (UTF-8, unique within the batch).
    pub name: *const u8,
    /// Length of `name`.
    pub name_len: usize,
    /// Dataset code sent as `X-Dataset-Code` (UTF-8).
    pub code: *const u8,
    /// Length of `code`.
    pub code_len: usize,
}

/// Tokens for several datasets, in the order they were given.
///
/// Immutable: safe to read from several threads at once. Free with
/// `apisign_lovrabet_batch_free`; signatures borrowed from it die with it.
#[allow(non_camel_case_types)]
pub struct apisign_lovrabet_batch {
    entries: Vec<(String, apisign_signature)>,
}

/// Create a generator for `access_key` signing with `secret_key`. Pass `secret_key = NULL` to use
/// the documented default secret key `"lovrabet"`.
#[no_mangle]
pub extern "C" fn apisign_lovrabet_new(
    access_key: *const u8,
    access_key_len: usize,
    secret_key: *const u8,
    secret_key_len: usize,
    out: *mut *mut apisign_lovrabet,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let access_key = text(access_key, access_key_len, "access_key")?;
        let secret = if secret_key.is_null() {
            Secret::from(DEFAULT_SECRET_KEY)
        } else {
            Secret::from(bytes(secret_key, secret_key_len, "secret_key")?)
        };
        out.set(apisign_lovrabet {
            generator: TokenGenerator::new(access_key, secret)?,
        });
        Ok(())
    })
}

/// The token for `app_code`/`dataset_code` at `timestamp_ms` (Unix milliseconds): headers
/// `X-App-Code`, `X-Dataset-Code`, `X-Time-Stamp`, `X-Token`; the signed string is the
/// string-to-sign. The token is valid for 10 minutes (see `apisign_lifetime_lovrabet`).
#[no_mangle]
pub extern "C" fn apisign_lovrabet_token(
    generator: *const apisign_lovrabet,
    app_code: *const u8,
    app_code_len: usize,
    dataset_code: *const u8,
    dataset_code_len: usize,
    timestamp_ms: u64,
    out: *mut *mut apisign_signature,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let g = borrow(generator, "generator")?;
        let app = text(app_code, app_code_len, "app_code")?;
        let ds = text(dataset_code, dataset_code_len, "dataset_code")?;
        let token = g.generator.generate(app, ds, timestamp_ms)?;
        out.set(apisign_signature::new(token.into_signature()));
        Ok(())
    })
}

/// Fast path of `apisign_lovrabet_token` for callers that only send the token: no result
/// handle and no allocation at all. Writes `X-App-Code`, `X-Dataset-Code`, `X-Time-Stamp` and
/// `X-Token` as `Name: value\r\n` lines, in that order, into `buf` (the bytes
/// `apisign_signature_headers` gives for the handle path). Too small (`buf = NULL, len = 0`
/// asks): nothing written, `*out_len` = bytes needed, `APISIGN_BUFFER_TOO_SMALL`; 256 bytes fit
/// any app and dataset codes up to 64 bytes each.
#[no_mangle]
pub extern "C" fn apisign_lovrabet_token_headers(
    generator: *const apisign_lovrabet,
    app_code: *const u8,
    app_code_len: usize,
    dataset_code: *const u8,
    dataset_code_len: usize,
    timestamp_ms: u64,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        check_out(buf, len, out_len)?;
        let g = borrow(generator, "generator")?;
        let app = text(app_code, app_code_len, "app_code")?;
        let ds = text(dataset_code, dataset_code_len, "dataset_code")?;
        let mut ts = itoa::Buffer::new();
        let ts = ts.format(timestamp_ms);
        // The same values and order as TokenGenerator::generate_headers, written straight into
        // the caller's buffer (no header list built and copied).
        let token = g.generator.token_value(app, ds, ts)?;
        write_lines(
            HEADER_NAMES.into_iter().zip([app, ds, ts, token.as_str()]),
            buf,
            len,
            out_len,
        )
    })
}

/// One token per dataset in `datasets[0..count]`, all at `timestamp_ms`. Names must be non-empty
/// and unique.
#[no_mangle]
pub extern "C" fn apisign_lovrabet_batch_new(
    generator: *const apisign_lovrabet,
    app_code: *const u8,
    app_code_len: usize,
    datasets: *const apisign_dataset,
    count: usize,
    timestamp_ms: u64,
    out: *mut *mut apisign_lovrabet_batch,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let g = borrow(generator, "generator")?;
        let app = text(app_code, app_code_len, "app_code")?;
        let list: &[apisign_dataset] = if count == 0 {
            &[]
        } else if datasets.is_null() {
            return Err(FfiError::null("datasets"));
        } else {
            // SAFETY: the caller promises `count` readable entries (header contract).
            unsafe { std::slice::from_raw_parts(datasets, count) }
        };
        let mut pairs = Vec::with_capacity(list.len());
        for d in list {
            pairs.push((
                text(d.name, d.name_len, "datasets.name")?,
                text(d.code, d.code_len, "datasets.code")?,
            ));
        }
        let entries = g
            .generator
            .generate_batch(app, &pairs, timestamp_ms)?
            .into_iter()
            .map(|(name, token)| (name, apisign_signature::new(token.into_signature())))
            .collect();
        out.set(apisign_lovrabet_batch { entries });
        Ok(())
    })
}

/// Number of tokens in `batch` (0 when NULL).
#[no_mangle]
pub extern "C" fn apisign_lovrabet_batch_len(batch: *const apisign_lovrabet_batch) -> usize {
    guard(0, || borrow(batch, "batch").map_or(0, |b| b.entries.len()))
}

/// Copy the name of entry `index` into `buf` (`APISIGN_INDEX_OUT_OF_RANGE` past the end).
#[no_mangle]
pub extern "C" fn apisign_lovrabet_batch_name(
    batch: *const apisign_lovrabet_batch,
    index: usize,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    guard(APISIGN_PANIC, || match borrow(batch, "batch") {
        Ok(b) => match b.entries.get(index) {
            Some((name, _)) => write_out(name.as_bytes(), buf, len, out_len),
            None => APISIGN_INDEX_OUT_OF_RANGE,
        },
        Err(e) => e.code,
    })
}

/// The token of entry `index`, borrowed from `batch` (do not free it; it lives as long as the
/// batch). NULL when `batch` is NULL or `index` is past the end.
#[no_mangle]
pub extern "C" fn apisign_lovrabet_batch_get(
    batch: *const apisign_lovrabet_batch,
    index: usize,
) -> *const apisign_signature {
    guard(std::ptr::null(), || {
        borrow(batch, "batch")
            .ok()
            .and_then(|b| b.entries.get(index))
            .map_or(std::ptr::null(), |(_, sig)| sig as *const _)
    })
}

/// Free a batch and every signature borrowed from it. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_lovrabet_batch_free(batch: *mut apisign_lovrabet_batch) {
    super::handle::free(batch)
}

/// Free a generator (its keys are wiped). NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_lovrabet_free(generator: *mut apisign_lovrabet) {
    super::handle::free(generator)
}
