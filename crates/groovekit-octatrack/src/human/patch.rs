//! What the bank, arrangement and markers documents share: the `unmodelled` hex patches and the
//! stored-checksum override.
//!
//! A document is a diff against the default image. `build` starts from the default, applies the
//! `unmodelled` patches (bytes no typed field covers, such as stale name tails and unknown
//! bytes), then the typed fields, then the checksum. `dump` writes the typed fields that differ
//! from the default, builds the image those fields alone give, and records every byte where it
//! still differs from the file as a patch, so dump-then-build is byte-identical by construction.

use serde::{Deserialize, Serialize};

use crate::OtError;

/// `Flow` (compact `[a, b, c]` sequences in YAML, plain arrays in JSON) and `FlowMap` (compact
/// `{k: v}` maps in YAML, plain objects in JSON).
pub use serde_saphyr::{FlowMap, FlowSeq as Flow};

/// Bytes that differ from the default image and no typed field covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    /// File offset of the first byte.
    pub at: usize,
    /// The bytes, as hex (two digits per byte, no separators).
    pub hex: String,
}

/// Runs of differing bytes closer than this are merged into one patch (fewer, shorter lines).
const MERGE_GAP: usize = 8;

/// The patches that turn `base` into `target` over `range` (both images have the same length).
pub fn diff(base: &[u8], target: &[u8], range: std::ops::Range<usize>) -> Vec<Patch> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let end = range.end.min(base.len()).min(target.len());
    let mut i = range.start;
    while i < end {
        // Fast skip of equal 8-byte words: most of a bank equals its default.
        if i + 8 <= end && base[i..i + 8] == target[i..i + 8] {
            i += 8;
            continue;
        }
        if base[i] != target[i] {
            match out.last_mut() {
                Some((_, e)) if i - *e <= MERGE_GAP => *e = i + 1,
                _ => out.push((i, i + 1)),
            }
        }
        i += 1;
    }
    out.into_iter().map(|(s, e)| Patch { at: s, hex: to_hex(&target[s..e]) }).collect()
}

/// Lower-case hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// Parses hex (whitespace allowed between byte pairs).
pub fn from_hex(s: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks_exact(2)
        .map(|p| {
            let h = char::from(p[0]).to_digit(16)?;
            let l = char::from(p[1]).to_digit(16)?;
            u8::try_from(h * 16 + l).ok()
        })
        .collect()
}

/// Applies patches to `image`; a patch must lie inside `0..limit` (the checksum is not
/// patchable: use the `stored_checksum` key).
pub fn apply(image: &mut [u8], patches: &[Patch], limit: usize) -> Result<(), OtError> {
    for (n, p) in patches.iter().enumerate() {
        let bytes = from_hex(&p.hex).ok_or_else(|| OtError::Invalid {
            field: format!("unmodelled[{n}] (at {})", p.at),
            message: "hex must be pairs of digits 0-9a-f".into(),
        })?;
        let end =
            p.at.checked_add(bytes.len()).filter(|&e| e <= limit.min(image.len())).ok_or_else(|| OtError::Invalid {
                field: format!("unmodelled[{n}] (at {})", p.at),
                message: format!("{} bytes at {} go past byte {limit}", bytes.len(), p.at),
            })?;
        image[p.at..end].copy_from_slice(&bytes); // ok: bounds checked above
    }
    Ok(())
}

/// Formats a checksum as `0xABCD` for the `stored_checksum` key.
pub fn checksum_text(v: u16) -> String {
    format!("0x{v:04X}")
}

/// Parses a `stored_checksum` value (`0xABCD` or decimal).
pub fn parse_checksum(s: &str) -> Result<u16, OtError> {
    let t = s.trim();
    let v = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(h) => u16::from_str_radix(h, 16).ok(),
        None => t.parse().ok(),
    };
    v.ok_or_else(|| OtError::Invalid {
        field: "stored_checksum".into(),
        message: format!("{s:?} is not a 16-bit value such as 0x1A2B"),
    })
}

/// Writes the checksum: the override if the document has one (a file whose stored checksum was
/// wrong, kept so that it round-trips), else the correct sum.
pub fn finish_checksum(image: &mut [u8], stored: Option<&str>) -> Result<(), OtError> {
    match stored {
        Some(s) => {
            let v = parse_checksum(s)?;
            let n = image.len();
            if let Some(tail) = image.get_mut(n.saturating_sub(2)..) {
                tail.copy_from_slice(&v.to_be_bytes());
            }
        }
        None => crate::raw::image::update_checksum(image),
    }
    Ok(())
}

/// An `OtError::Invalid` for a document field.
pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> OtError {
    OtError::Invalid { field: field.into(), message: message.into() }
}

/// Checks a 1-based number and returns it 0-based.
pub fn index(what: &str, n: usize, max: usize) -> Result<usize, OtError> {
    if (1..=max).contains(&n) { Ok(n - 1) } else { Err(invalid(format!("{what} {n}"), format!("must be 1-{max}"))) }
}

#[cfg(test)]
#[path = "patch_tests.rs"]
mod tests;
