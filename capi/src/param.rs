//! Named inputs (`apisign_param`): how every signer, credential and verifier setting is given,
//! so one call serves every scheme. Names and kinds come from the scheme's spec in the core.

use super::error::FfiError;
use super::input::{bytes, list, text};
use super::result::APISIGN_INVALID_INPUT;
use apisign::scheme::Param;
use apisign::SchemeId;

/// One named input of a scheme: a text value, secret bytes, or PEM/DER key bytes. The names
/// each scheme takes are listed in its spec (an unknown or missing name is
/// `APISIGN_INVALID_INPUT` with a message listing the valid ones). Borrowed for the call only.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct apisign_param {
    /// Parameter name (UTF-8), e.g. `app_id`.
    pub name: *const u8,
    /// Length of `name`.
    pub name_len: usize,
    /// Value bytes (may be NULL when `value_len` is 0).
    pub value: *const u8,
    /// Length of `value`.
    pub value_len: usize,
}

/// The scheme with number `scheme` (`APISIGN_SCHEME_*`).
pub(crate) fn scheme_of(scheme: u32) -> Result<SchemeId, FfiError> {
    SchemeId::from_u32(scheme).ok_or_else(|| {
        let known: Vec<String> = SchemeId::ALL
            .iter()
            .map(|id| format!("{} = {}", *id as u32, id.name()))
            .collect();
        FfiError::new(
            APISIGN_INVALID_INPUT,
            format!(
                "scheme: {scheme} is not an APISIGN_SCHEME_* value; use one of {}",
                known.join(", ")
            ),
        )
    })
}

/// Borrow `params[0..count]` as core parameters (checked against the spec by the core).
pub(crate) fn param_list<'a>(
    params: *const apisign_param,
    count: usize,
) -> Result<Vec<Param<'a>>, FfiError> {
    let list = list(params, count, "params")?;
    list.iter()
        .map(|p| {
            Ok(Param::bytes(
                text(p.name, p.name_len, "param name")?,
                bytes(p.value, p.value_len, "param value")?,
            ))
        })
        .collect()
}
