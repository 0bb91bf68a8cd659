use proptest::prelude::*;
use yrs::{Any, Array, Doc, Map, Text, Transact, XmlFragment};

use super::*;
use crate::notes::crdt::NotesDoc;

/// The update of the hardening report: one item of `Any` content in a part named "deep",
/// holding arrays nested `depth` levels.
fn deep_update(depth: usize) -> Vec<u8> {
    let mut update = b"\x01\x01\x2a\x00\x08\x01\x04deep\x01".to_vec();
    for _ in 0..depth {
        update.extend_from_slice(b"\x75\x01");
    }
    update.extend_from_slice(b"\x7e\x00");
    update
}

/// The update of one transaction on a fresh document, whose parts `prepare` makes first.
fn update_of<T>(prepare: impl FnOnce(&Doc) -> T, edit: impl FnOnce(&T, &mut yrs::TransactionMut<'_>)) -> Vec<u8> {
    let doc = Doc::new();
    let part = prepare(&doc);
    let mut txn = doc.transact_mut();
    edit(&part, &mut txn);
    txn.encode_update_v1()
}

#[test]
fn the_notes_own_edits_are_read_and_allowed() {
    let doc = NotesDoc::new();
    let typed = doc.replace_text("Goals: ship it 😀").expect("an edit");
    let deleted = doc.replace_text("Goals 😀").expect("an edit");
    for update in [&typed, &deleted, &doc.state()] {
        let summary = check(update, &PLAIN_NOTES).expect("a notes edit passes");
        assert!(summary.contents.iter().all(|kind| PLAIN_NOTES.contents.contains(kind)));
    }
    // Made by Yjs itself, the web app's engine (see the tests of `notes::crdt`).
    let yjs = crate::notes::crdt::from_base64("AQEHAAQBBW5vdGVzHkhlbGxvIGZyb20gWWpzOiBjYWbDqSDimJUg8J+YgAA=")
        .expect("base64");
    assert!(check(&yjs, &PLAIN_NOTES).is_ok());
    let summary = read(&typed).expect("reads");
    assert_eq!(summary.parents, BTreeSet::from([Parent::Root("notes".into())]));
    assert_eq!(summary.contents, BTreeSet::from([ContentKind::String]));
}

#[test]
fn updates_nested_past_the_limit_are_refused_in_linear_time() {
    assert!(read(&deep_update(MAX_VALUE_DEPTH - 1)).is_ok());
    for depth in [MAX_VALUE_DEPTH + 1, 20_000, 1_000_000] {
        assert_eq!(read(&deep_update(depth)), Err(UpdateError::TooDeep), "depth {depth}");
    }
    // Whatever its depth, the report's update writes a part the notes do not hold.
    assert!(matches!(check(&deep_update(3), &PLAIN_NOTES), Err(UpdateError::OutsideLayout(_))));
}

#[test]
fn writes_to_parts_the_page_does_not_show_are_refused() {
    let other_text =
        update_of(|doc| doc.get_or_insert_text("padding"), |text, txn| text.insert(txn, 0, &"x".repeat(100)));
    let map = update_of(
        |doc| doc.get_or_insert_map("notes-meta"),
        |map, txn| {
            map.insert(txn, "k", "v");
        },
    );
    let array = update_of(
        |doc| doc.get_or_insert_array("list"),
        |array, txn| {
            array.push_back(txn, Any::from(1.0));
        },
    );
    let formatted = update_of(
        |doc| doc.get_or_insert_text("notes"),
        |text, txn| {
            text.insert(txn, 0, "bold");
            text.format(txn, 0, 4, std::collections::HashMap::from([("bold".into(), Any::Bool(true))]));
        },
    );
    let xml = update_of(
        |doc| doc.get_or_insert_xml_fragment("rich"),
        |xml, txn| {
            xml.push_back(txn, yrs::XmlTextPrelim::new("hi"));
        },
    );
    for (name, update) in [("text", other_text), ("map", map), ("array", array), ("format", formatted), ("xml", xml)] {
        assert!(
            matches!(check(&update, &PLAIN_NOTES), Err(UpdateError::OutsideLayout(_))),
            "{name}: {:?}",
            check(&update, &PLAIN_NOTES)
        );
    }
}

#[test]
fn broken_updates_are_refused() {
    let good = NotesDoc::new().replace_text("hello").expect("an edit");
    for cut in 0..good.len() {
        assert!(read(&good[..cut]).is_err(), "cut at {cut}");
    }
    let mut trailing = good.clone();
    trailing.push(0);
    assert_eq!(read(&trailing), Err(UpdateError::TrailingBytes));
    assert_eq!(read(&[0xff; 11]), Err(UpdateError::Overflow));
    // A count of a billion structs with nothing behind it ends early, without allocating.
    assert_eq!(read(b"\x01\x80\x94\xeb\xdc\x03\x01\x00"), Err(UpdateError::Truncated));
}

/// Applies a checked update as the server does: a panic inside the merge engine is caught,
/// and anything that passed the check has no nesting left to overflow the stack.
fn merge_if_allowed(update: &[u8]) {
    if check(update, &PLAIN_NOTES).is_ok() {
        let doc = NotesDoc::new();
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| doc.apply(update)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random bytes: read without a panic, and what passes merges without aborting.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = read(&bytes);
        merge_if_allowed(&bytes);
    }

    /// Real updates with a few bytes changed, cut or inserted: the same.
    #[test]
    fn mutated_updates_never_panic(
        text in "[a-z😀 ]{0,40}",
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        let doc = NotesDoc::new();
        doc.replace_text("start");
        let mut update = doc.replace_text(&text).unwrap_or_else(|| doc.state());
        for (at, byte, how) in edits {
            let at = at % (update.len() + 1);
            match how {
                0 if at < update.len() => update[at] = byte,
                1 => update.insert(at, byte),
                _ => update.truncate(at),
            }
        }
        let _ = read(&update);
        merge_if_allowed(&update);
    }

    /// Every edit the notes make themselves passes: the check never refuses real typing.
    #[test]
    fn every_real_edit_passes(texts in proptest::collection::vec("[a-zé😀\n ]{0,30}", 1..8)) {
        let doc = NotesDoc::new();
        for text in &texts {
            if let Some(update) = doc.replace_text(text) {
                prop_assert!(check(&update, &PLAIN_NOTES).is_ok());
            }
        }
        prop_assert!(check(&doc.state(), &PLAIN_NOTES).is_ok());
    }
}
