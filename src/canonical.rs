//! Canonical JSON (object keys sorted, no whitespace) and SHA-256 over it:
//! the bytes a package's checksum and an outline's identity are taken
//! over, whatever the order or spacing of the file.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// JSON with object keys sorted and no whitespace: the bytes the checksum
/// is taken over, whatever order or spacing a file has.
pub fn canonical_json(v: &Value) -> String {
    let mut out = Vec::new();
    write_canonical(v, None, &mut out);
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Writes the canonical form of `v` into `out`, leaving out the top-level
/// key `skip` (the checksum) without copying `v` first. Streams into the
/// hasher: a package with a 30 MB answer is hashed without its canonical
/// text in memory either.
pub fn write_canonical(v: &Value, skip: Option<&str>, out: &mut impl std::io::Write) {
    write_skipping(v, skip.as_slice(), out)
}

/// [`write_canonical`] leaving out every top-level key of `skip` (a
/// signed file's checksum and signature).
pub fn write_skipping(v: &Value, skip: &[&str], out: &mut impl std::io::Write) {
    // Writing into a Vec or a hasher cannot fail.
    fn put(out: &mut impl std::io::Write, bytes: &[u8]) {
        out.write_all(bytes).expect("in-memory write");
    }
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> =
                map.keys().filter(|k| !skip.contains(&k.as_str())).collect();
            keys.sort();
            put(out, b"{");
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    put(out, b",");
                }
                put_str(out, k);
                put(out, b":");
                write_canonical(&map[*k], None, out);
            }
            put(out, b"}");
        }
        Value::Array(items) => {
            put(out, b"[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    put(out, b",");
                }
                write_canonical(item, None, out);
            }
            put(out, b"]");
        }
        Value::String(s) => put_str(out, s),
        other => serde_json::to_writer(&mut *out, other).expect("in-memory write"),
    }
}

/// A JSON string exactly as serde_json writes it, but the runs between
/// escapes are found eight bytes at a time and written in one piece:
/// serde_json's byte-by-byte loop (at `opt-level = "z"`) took a tenth of
/// `baocao import`.
fn put_str(out: &mut impl std::io::Write, s: &str) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Some byte of `x` below `n` (exact as a yes/no, for n ≤ 0x80).
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * n as u64) & !x & HIGH != 0;
    let plain = |x: u64| {
        !(below(x, 0x20)
            || below(x ^ (ONES * b'"' as u64), 1)
            || below(x ^ (ONES * b'\\' as u64), 1))
    };
    let mut put = |bytes: &[u8]| out.write_all(bytes).expect("in-memory write");
    let b = s.as_bytes();
    put(b"\"");
    let (mut run, mut i) = (0, 0);
    while i < b.len() {
        if let Some(word) = b.get(i..i + 8)
            && plain(u64::from_le_bytes(word.try_into().expect("8 bytes")))
        {
            i += 8;
            continue;
        }
        let c = b[i];
        let hex = |d: u8| b"0123456789abcdef"[d as usize];
        let unicode;
        let escape: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0C => b"\\f",
            0..0x20 => {
                unicode = [b'\\', b'u', b'0', b'0', hex(c >> 4), hex(c & 0xF)];
                &unicode
            }
            _ => {
                i += 1;
                continue;
            }
        };
        put(&b[run..i]);
        put(escape);
        i += 1;
        run = i;
    }
    put(&b[run..]);
    put(b"\"");
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// SHA-256 of the canonical form of `v` without the top-level keys of
/// `skip`: the digest a signed file's checksum states and its signature
/// covers. Streams into the hasher: no copy of the text.
pub fn sha256(v: &Value, skip: &[&str]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    write_skipping(v, skip, &mut hasher);
    hasher.finalize().into()
}

/// SHA-256 of the canonical form of `v` without its top-level key `skip`,
/// in hexadecimal. Streams into the hasher: no copy of the text.
pub fn sha256_hex(v: &Value, skip: Option<&str>) -> String {
    let mut hasher = Sha256::new();
    write_canonical(v, skip, &mut hasher);
    hex(&hasher.finalize())
}

#[cfg(test)]
mod tests {
    /// The fast path writes every string exactly as serde_json does: the
    /// checksums of packages already sent depend on it.
    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut specials: Vec<char> = (0u8..0x80).map(char::from).collect();
        specials.extend(['\u{80}', '\u{9b}', 'ạ', 'Đ', '\u{2028}', '\u{FEFF}', '😀']);
        let mixed = "a\"b\\c\nd\re\tf\u{8}\u{c}\u{1}\u{1f}\u{7f}ẫ/\n\n12345678\"";
        let mut out = Vec::new();
        super::put_str(&mut out, mixed);
        assert_eq!(out, serde_json::to_vec(mixed).unwrap());
        for len in 0..20 {
            for at in 0..len.max(1) {
                for &c in &specials {
                    let s: String = (0..len).map(|i| if i == at { c } else { 'a' }).collect();
                    let mut out = Vec::new();
                    super::put_str(&mut out, &s);
                    assert_eq!(
                        String::from_utf8(out).unwrap(),
                        serde_json::to_string(&s).unwrap(),
                        "{s:?}"
                    );
                }
            }
        }
    }
}
