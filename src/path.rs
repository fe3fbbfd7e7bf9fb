//! Path parameters as URL path segments, for generated operations and raw calls alike.

use std::borrow::Cow;

/// What is percent-encoded in a segment: controls, non-ASCII, and what a URL parser would read
/// as the end of the segment or of the path (`/`, `\`, `?`, `#`), plus `%` itself and the
/// characters URLs may not hold raw. Everything else (letters, digits, `-._~`, `@`, `+`, `:`…)
/// is sent as is, as the official clients do.
const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'\\')
    .add(b'%');

/// `value` as one path segment, borrowed when nothing needs encoding (the usual identifiers).
/// `.` and `..` are refused: a URL parser resolves them (even percent-encoded), so they would
/// send the request to another route (`DELETE …/conversation/..` is a `DELETE` of the
/// website).
#[allow(clippy::result_large_err)] // progenitor's error type, which the generated code returns
pub(crate) fn segment<'v, E>(
    value: &'v str,
    name: &str,
) -> Result<Cow<'v, str>, progenitor_client::Error<E>> {
    encode(value).ok_or_else(|| {
        progenitor_client::Error::InvalidRequest(format!(
            "`{name}` cannot be `{value}` (a URL would resolve it to another route)"
        ))
    })
}

/// [`segment`] without a parameter name; `None` for `.` and `..`.
pub(crate) fn encode(value: &str) -> Option<Cow<'_, str>> {
    if value == "." || value == ".." {
        return None;
    }
    // The usual identifiers (UUIDs, `session_…`) need nothing: one pass over the bytes, without
    // `percent_encoding`'s chunked iteration.
    if !value.bytes().any(|b| ENCODED[usize::from(b)]) {
        return Some(Cow::Borrowed(value));
    }
    Some(percent_encoding::utf8_percent_encode(value, SET).into())
}

/// The bytes [`SET`] encodes (and every non-ASCII byte), as a table; a test checks that they
/// agree.
const ENCODED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b < 0x20 || b >= 0x7F;
        b += 1;
    }
    let special = b" \"#<>?`{}/\\%";
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_borrowed_unless_encoded() {
        assert!(matches!(
            encode("session_700c-65e1"),
            Some(Cow::Borrowed(_))
        ));
        assert_eq!(encode("jane@doe.com").unwrap(), "jane@doe.com");
        assert_eq!(
            encode("a/b?c#d%e\\f g").unwrap(),
            "a%2Fb%3Fc%23d%25e%5Cf%20g"
        );
        assert_eq!(encode("é").unwrap(), "%C3%A9");
        assert_eq!(encode("...").unwrap(), "...");
        assert!(encode("..").is_none() && encode(".").is_none());
        for b in 0..=255u8 {
            let s = [b];
            let Ok(s) = std::str::from_utf8(&s) else {
                continue;
            };
            if s == "." {
                continue;
            }
            let slow: Cow<str> = percent_encoding::utf8_percent_encode(s, SET).into();
            assert_eq!(encode(s).unwrap(), slow, "byte {b}");
        }
    }
}
