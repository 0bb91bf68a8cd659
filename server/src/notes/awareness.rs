//! Carets in the rich notes: y-protocols' awareness messages, read by hand and written
//! again with what the server vouches for.
//!
//! An awareness update is `varuint n`, then per entry `varuint client id`, `varuint clock`
//! and a length-prefixed JSON text (the entry's state, `null` when it is gone). A caller
//! speaks only for itself, so exactly one entry is accepted, read before anything is
//! allocated (yrs' own decoder reserves room for the claimed count first). Its state is
//! rebuilt from scratch: the caller's name and colour as the server knows them (a page could
//! otherwise pose as the other person, or put CSS into the colour, which y-prosemirror writes
//! into a `style` attribute), and the caret and selection (`cursor`, two Yjs relative
//! positions) only in their exact shape, since every peer's editor reads them on each
//! redraw. The clock is kept as sent: receivers ignore an entry whose clock is not newer.

use serde::Deserialize;
use serde_json::json;

/// Largest awareness update taken (a caret with a selection is about 300 bytes).
pub const MAX_BYTES: usize = 2048;

/// Longest root name a relative position may carry.
const TNAME_MAX: usize = 64;

/// Largest client id Yjs makes (JavaScript's safe integers).
const MAX_CLIENT: u64 = (1 << 53) - 1;

/// Why an awareness update was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AwarenessError {
    #[error("it is larger than {MAX_BYTES} bytes")]
    TooLarge,
    #[error("it ends early or has bytes after its end")]
    Malformed,
    #[error("it must hold exactly one entry, the caller's own")]
    NotOneEntry,
    #[error("a number in it is out of range")]
    OutOfRange,
    #[error("its state is not JSON text")]
    NotJson,
    #[error("its caret is not a caret")]
    NotACaret,
}

/// One entry of an awareness update, as the server passes it on.
#[derive(Debug, PartialEq, Eq)]
pub struct Entry {
    pub client: u64,
    pub clock: u32,
    /// The caret and selection, or `None` (no caret: the notes are not focused); the whole
    /// entry is `gone` when the page closed.
    pub cursor: Option<Cursor>,
    pub gone: bool,
}

/// A caret and the other end of the selection, as y-prosemirror writes them.
#[derive(Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cursor {
    anchor: RelativePosition,
    head: RelativePosition,
}

/// A Yjs relative position (`Y.RelativePosition`, as JSON).
#[derive(Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct RelativePosition {
    #[serde(default, rename = "type")]
    of_type: Option<ItemId>,
    #[serde(default)]
    tname: Option<String>,
    #[serde(default)]
    item: Option<ItemId>,
    #[serde(default)]
    assoc: i32,
}

#[derive(Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct ItemId {
    client: u64,
    clock: u32,
}

/// What a page may say about itself: only its caret (every other field is dropped).
#[derive(Deserialize)]
struct SaidState {
    #[serde(default)]
    cursor: Option<Cursor>,
}

/// Reads the one entry of an awareness update.
pub fn read(update: &[u8]) -> Result<Entry, AwarenessError> {
    if update.len() > MAX_BYTES {
        return Err(AwarenessError::TooLarge);
    }
    let mut at = 0;
    if varuint(update, &mut at)? != 1 {
        return Err(AwarenessError::NotOneEntry);
    }
    let client = varuint(update, &mut at)?;
    let clock = u32::try_from(varuint(update, &mut at)?).map_err(|_| AwarenessError::OutOfRange)?;
    let length = usize::try_from(varuint(update, &mut at)?).map_err(|_| AwarenessError::Malformed)?;
    let end = at.checked_add(length).ok_or(AwarenessError::Malformed)?;
    if end != update.len() {
        return Err(AwarenessError::Malformed);
    }
    let text = std::str::from_utf8(&update[at..end]).map_err(|_| AwarenessError::NotJson)?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| AwarenessError::NotJson)?;
    let (cursor, gone) = match value {
        serde_json::Value::Null => (None, true),
        serde_json::Value::Object(_) => {
            let said: SaidState = serde_json::from_value(value).map_err(|_| AwarenessError::NotACaret)?;
            (said.cursor, false)
        }
        _ => return Err(AwarenessError::NotACaret),
    };
    if let Some(cursor) = &cursor {
        if ![&cursor.anchor, &cursor.head].iter().all(|position| position.is_sound()) {
            return Err(AwarenessError::NotACaret);
        }
    }
    Ok(Entry { client, clock, cursor, gone })
}

impl RelativePosition {
    fn is_sound(&self) -> bool {
        let ids_fit = [&self.of_type, &self.item].into_iter().flatten().all(|id| id.client <= MAX_CLIENT);
        ids_fit && self.tname.as_ref().is_none_or(|name| name.len() <= TNAME_MAX)
    }
}

impl Entry {
    /// The entry as an awareness update again, with `name` and `color` (`#rrggbb`) as the
    /// person's own.
    pub fn write(&self, name: &str, color: &str) -> Vec<u8> {
        let state = if self.gone {
            "null".to_owned()
        } else {
            json!({ "user": { "name": name, "color": color }, "cursor": self.cursor }).to_string()
        };
        let mut out = Vec::with_capacity(state.len() + 24);
        for number in [1, self.client, u64::from(self.clock), state.len() as u64] {
            write_varuint(&mut out, number);
        }
        out.extend_from_slice(state.as_bytes());
        out
    }
}

/// lib0's unsigned varint: 7 bits a byte, low bits first, the high bit saying more follow;
/// at most 2^53 − 1.
fn varuint(bytes: &[u8], at: &mut usize) -> Result<u64, AwarenessError> {
    let mut number = 0u64;
    for shift in (0..).step_by(7).take(8) {
        let byte = *bytes.get(*at).ok_or(AwarenessError::Malformed)?;
        *at += 1;
        number |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return if number <= MAX_CLIENT { Ok(number) } else { Err(AwarenessError::OutOfRange) };
        }
    }
    Err(AwarenessError::OutOfRange)
}

fn write_varuint(out: &mut Vec<u8>, mut number: u64) {
    while number >= 0x80 {
        out.push((number as u8 & 0x7f) | 0x80);
        number >>= 7;
    }
    out.push(number as u8);
}

/// The colours of carets: the coach's first, the coachee's second (white text reads on both).
pub const COLORS: [&str; 2] = ["#1f5fbf", "#b0306a"];

#[cfg(test)]
mod tests {
    use super::*;

    fn update(entries: u64, client: u64, clock: u64, state: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for number in [entries, client, clock, state.len() as u64] {
            write_varuint(&mut out, number);
        }
        out.extend_from_slice(state.as_bytes());
        out
    }

    const CURSOR: &str = r#"{"anchor":{"type":{"client":7,"clock":0},"tname":null,"item":{"client":7,"clock":12},"assoc":0},"head":{"type":null,"tname":"notes_rich","item":null,"assoc":-1}}"#;

    #[test]
    fn a_caret_is_passed_on_with_the_servers_name_and_colour_and_nothing_else() {
        let said = format!(
            r##"{{"user":{{"name":"Mallory","color":"red;background:url(x)"}},"cursor":{CURSOR},"extra":[1,2]}}"##
        );
        let entry = read(&update(1, 1_946_861_066, 2, &said)).unwrap();
        assert_eq!((entry.client, entry.clock, entry.gone), (1_946_861_066, 2, false));
        let written = entry.write("Alex Morgan", COLORS[0]);
        let again = read(&written).unwrap();
        assert_eq!(again, entry);
        let text = String::from_utf8_lossy(&written).into_owned();
        assert!(text.contains(r##""user":{"color":"#1f5fbf","name":"Alex Morgan"}"##), "{text}");
        assert!(!text.contains("Mallory") && !text.contains("extra") && !text.contains("url("));
    }

    #[test]
    fn a_page_without_a_caret_and_a_page_gone_are_passed_on() {
        let blurred = read(&update(1, 5, 3, r#"{"user":{"name":"x"}}"#)).unwrap();
        assert_eq!((blurred.cursor.is_none(), blurred.gone), (true, false));
        let gone = read(&update(1, 5, 4, "null")).unwrap();
        assert!(gone.gone);
        assert!(gone.write("Sam", COLORS[1]).ends_with(b"null"));
    }

    #[test]
    fn anything_else_is_refused() {
        let cursor_state = format!(r#"{{"cursor":{CURSOR}}}"#);
        let cases: Vec<(Vec<u8>, AwarenessError)> = vec![
            (update(2, 5, 1, &cursor_state), AwarenessError::NotOneEntry),
            (update(0, 5, 1, &cursor_state), AwarenessError::NotOneEntry),
            (update(1, 1 << 53, 1, &cursor_state), AwarenessError::OutOfRange),
            (update(1, 5, 1 << 32, &cursor_state), AwarenessError::OutOfRange),
            (update(1, 5, 1, "not json"), AwarenessError::NotJson),
            (update(1, 5, 1, "[1]"), AwarenessError::NotACaret),
            (update(1, 5, 1, r#"{"cursor":{"anchor":1}}"#), AwarenessError::NotACaret),
            (update(1, 5, 1, r#"{"cursor":{"head":{"assoc":0}}}"#), AwarenessError::NotACaret),
            (
                update(
                    1,
                    5,
                    1,
                    &format!(r#"{{"cursor":{}}}"#, CURSOR.replace("null,\"assoc\":-1", "null,\"assoc\":-1,\"x\":1")),
                ),
                AwarenessError::NotACaret,
            ),
            (
                update(1, 5, 1, &format!(r#"{{"cursor":{}}}"#, CURSOR.replace("notes_rich", &"n".repeat(65)))),
                AwarenessError::NotACaret,
            ),
            (vec![0x81], AwarenessError::Malformed),
            (vec![0xff; 12], AwarenessError::OutOfRange),
            (vec![], AwarenessError::Malformed),
            (vec![0; MAX_BYTES + 1], AwarenessError::TooLarge),
        ];
        for (bytes, expected) in cases {
            assert_eq!(read(&bytes), Err(expected.clone()), "{bytes:?}");
        }
        // A length that claims more than there is, or less (bytes left over).
        let mut short = update(1, 5, 1, "null");
        short.pop();
        assert_eq!(read(&short), Err(AwarenessError::Malformed));
        let mut long = update(1, 5, 1, "null");
        long.push(b' ');
        assert_eq!(read(&long), Err(AwarenessError::Malformed));
    }
}
