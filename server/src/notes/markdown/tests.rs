use std::collections::HashMap;

use yrs::updates::decoder::Decode;
use yrs::{OffsetKind, Options, StateVector, TransactionMut, Update, XmlElementPrelim, XmlFragment, XmlTextPrelim};

use super::*;

/// A node to build as y-prosemirror writes it: an element (name, attributes, children) or
/// an XML text of runs (text and formatting attributes).
enum Spec {
    Element(&'static str, Vec<(&'static str, Any)>, Vec<Spec>),
    Text(Vec<(String, Attrs)>),
}

fn el(tag: &'static str, children: Vec<Spec>) -> Spec {
    Spec::Element(tag, Vec::new(), children)
}

fn el_with(tag: &'static str, attrs: Vec<(&'static str, Any)>, children: Vec<Spec>) -> Spec {
    Spec::Element(tag, attrs, children)
}

fn text(runs: Vec<(String, Attrs)>) -> Spec {
    Spec::Text(runs)
}

/// A paragraph of one plain text.
fn p(content: &str) -> Spec {
    el("paragraph", vec![text(vec![plain(content)])])
}

/// A paragraph of runs.
fn para(runs: Vec<(String, Attrs)>) -> Spec {
    el("paragraph", vec![text(runs)])
}

fn li(children: Vec<Spec>) -> Spec {
    el("list_item", children)
}

fn plain(content: &str) -> (String, Attrs) {
    (content.to_string(), Attrs::new())
}

/// A run with marks that have no attributes (`{}`, as y-prosemirror writes them).
fn marked(content: &str, names: &[&str]) -> (String, Attrs) {
    let attrs = names.iter().map(|name| (Arc::from(*name), Any::from(HashMap::<String, Any>::new()))).collect();
    (content.to_string(), attrs)
}

/// `run` with marks `names` added.
fn plus(run: (String, Attrs), names: &[&str]) -> (String, Attrs) {
    let (content, mut attrs) = run;
    attrs.extend(marked("", names).1);
    (content, attrs)
}

fn linked(content: &str, href: &str) -> (String, Attrs) {
    let link = Any::from(HashMap::from([("href".to_string(), Any::from(href))]));
    (content.to_string(), Attrs::from([(Arc::from("link"), link)]))
}

fn new_doc() -> Doc {
    Doc::with_options(Options { offset_kind: OffsetKind::Utf16, ..Options::default() })
}

fn insert<P: XmlFragment>(txn: &mut TransactionMut, parent: &P, index: u32, spec: Spec) {
    match spec {
        Spec::Element(tag, attrs, children) => {
            let element = parent.insert(txn, index, XmlElementPrelim::empty(tag));
            for (name, value) in attrs {
                element.insert_attribute(txn, name, value);
            }
            for (index, child) in children.into_iter().enumerate() {
                insert(txn, &element, index as u32, child);
            }
        }
        Spec::Text(runs) => {
            let xml_text = parent.insert(txn, index, XmlTextPrelim::new(""));
            let mut offset = 0;
            for (content, attrs) in runs {
                xml_text.insert_with_attributes(txn, offset, &content, attrs);
                offset += content.encode_utf16().count() as u32;
            }
        }
    }
}

fn build(specs: Vec<Spec>) -> Doc {
    let doc = new_doc();
    let root = doc.get_or_insert_xml_fragment(RICH_NAME);
    let mut txn = doc.transact_mut();
    for (index, spec) in specs.into_iter().enumerate() {
        insert(&mut txn, &root, index as u32, spec);
    }
    drop(txn);
    doc
}

fn md(specs: Vec<Spec>) -> String {
    render_doc(&build(specs))
}

#[test]
fn an_empty_document_is_empty() {
    assert_eq!(render_doc(&new_doc()), "");
    assert_eq!(md(vec![el("paragraph", vec![]), p(""), p("   "), el("heading", vec![])]), "");
    assert_eq!(md(vec![el("bullet_list", vec![]), el("blockquote", vec![p("")])]), "");
}

#[test]
fn paragraphs_are_separated_by_one_blank_line_and_empty_ones_skipped() {
    assert_eq!(md(vec![p("One"), p(""), p("Two")]), "One\n\nTwo\n");
}

#[test]
fn headings_take_their_level_as_a_number_or_a_numeric_string() {
    let heading = |level: Option<Any>, content: &str| {
        let attrs = level.map(|level| vec![("level", level)]).unwrap_or_default();
        el_with("heading", attrs, vec![text(vec![plain(content)])])
    };
    let doc = vec![
        heading(Some(Any::from(1)), "Int"),
        heading(Some(Any::from(2.0)), "Float"),
        heading(Some(Any::from("2")), "String"),
        heading(Some(Any::from(9)), "Clamped"),
        heading(Some(Any::from(0)), "Zero"),
        heading(None, "Missing"),
        heading(Some(Any::from(true)), "Bool"),
        heading(Some(Any::from("high")), "Word"),
    ];
    assert_eq!(
        md(doc),
        "# Int\n\n## Float\n\n## String\n\n###### Clamped\n\n# Zero\n\n# Missing\n\n# Bool\n\n# Word\n"
    );
}

#[test]
fn marks_become_their_delimiters() {
    let doc = vec![para(vec![
        marked("bold", &["strong"]),
        plain(" "),
        marked("em", &["em"]),
        plain(" "),
        marked("gone", &["strike"]),
        plain(" "),
        marked("code", &["code"]),
        plain(" "),
        linked("site", "https://example.com/page"),
    ])];
    assert_eq!(md(doc), "**bold** *em* ~~gone~~ `code` [site](https://example.com/page)\n");
}

#[test]
fn runs_with_the_same_marks_read_as_one_and_marks_nest() {
    let doc = vec![
        para(vec![marked("bold ", &["strong"]), marked("text", &["strong"])]),
        para(vec![marked("bold ", &["strong"]), marked("both", &["strong", "em"]), marked(" end", &["strong"])]),
        para(vec![marked("a", &["em"]), marked("b", &["strong", "em"])]),
        para(vec![linked("see ", "https://a.example"), plus(linked("this", "https://a.example"), &["strong"])]),
        para(vec![linked("one", "https://a.example"), linked("two", "https://b.example")]),
        para(vec![marked("x", &["strong", "code"]), marked("y", &["code"])]),
        // Overlapping marks: `em` closes and opens again, as `_` where `*` would touch `*`.
        para(vec![marked("c", &["strong"]), marked("c", &["strong", "em"]), marked("aa", &["em"])]),
    ];
    assert_eq!(
        md(doc),
        "**bold text**\n\n\
         **bold *both* end**\n\n\
         *a**b***\n\n\
         [see **this**](https://a.example)\n\n\
         [one](https://a.example)[two](https://b.example)\n\n\
         **`x`**`y`\n\n\
         **c*c***_aa_\n"
    );
}

#[test]
fn spaces_at_the_edges_of_emphasis_move_outside_it() {
    let doc = vec![
        para(vec![plain("a"), marked(" b ", &["strong"]), plain("c")]),
        para(vec![plain("a"), marked(" ", &["em"]), plain("c")]),
        para(vec![marked("x ", &["strike"]), marked("y", &["em"])]),
        para(vec![marked("  lead and trail  ", &["strong"])]),
        para(vec![plain("a"), marked(" x ", &["strong", "code"]), plain("b")]),
        para(vec![marked("x ", &["strong", "strike"]), marked("  ", &["strike"]), linked("y", "https://a.example")]),
    ];
    assert_eq!(
        md(doc),
        "a **b** c\n\na c\n\n~~x~~ *y*\n\n**lead and trail**\n\na **`x`** b\n\n**~~x~~**   [y](https://a.example)\n"
    );
}

#[test]
fn code_spans_take_a_longer_fence_and_keep_their_text_literal() {
    let doc = vec![
        para(vec![marked("a`b", &["code"])]),
        para(vec![marked("`x", &["code"])]),
        para(vec![marked("*not* <b> \\ [x]", &["code"])]),
        para(vec![plain("run "), marked(" spaced ", &["code"])]),
    ];
    assert_eq!(md(doc), "``a`b``\n\n`` `x ``\n\n`*not* <b> \\ [x]`\n\nrun `  spaced  `\n");
}

#[test]
fn suffixed_mark_names_are_their_marks() {
    let doc = vec![para(vec![
        marked("bold", &["strong--ab12Cd+="]),
        plain(" "),
        marked("em", &["em--ABCDEFGH"]),
        plain(" "),
        marked("short", &["strong--abc"]),
        plain(" "),
        marked("odd", &["strong--ab!2Cd+="]),
    ])];
    assert_eq!(md(doc), "**bold** *em* short odd\n");
}

#[test]
fn unknown_marks_and_elements_keep_their_text() {
    let doc = vec![
        para(vec![plain("a "), marked("noted", &["comment--abcdefgh", "highlight"]), plain(" b")]),
        el("details", vec![el("summary", vec![text(vec![plain("Summary")])]), p("Inside")]),
        text(vec![plain("Loose at the root")]),
        el("bullet_list", vec![li(vec![text(vec![plain("loose in an item")])])]),
    ];
    assert_eq!(md(doc), "a noted b\n\nSummary\n\nInside\n\nLoose at the root\n\n- loose in an item\n");
}

#[test]
fn only_web_and_mail_addresses_become_links() {
    let allowed = ["https://a.example/x", "HTTP://a.example", "mailto:coach@a.example", "/notes/1", "#goals"];
    let refused = [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "\tjavascript:alert(1)",
        "java\nscript:alert(1)",
        "\u{1}javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "foo:bar",
        "  ",
    ];
    let link_paragraphs = |hrefs: &[&str]| hrefs.iter().map(|href| para(vec![linked("text", href)])).collect();
    assert_eq!(
        md(link_paragraphs(&allowed)),
        "[text](https://a.example/x)\n\n[text](HTTP://a.example)\n\n[text](mailto:coach@a.example)\n\n\
         [text](/notes/1)\n\n[text](#goals)\n"
    );
    assert_eq!(md(link_paragraphs(&refused)), "text\n\n".repeat(refused.len() - 1) + "text\n");
    // A link mark without an href, or with one that is no string, is plain text too.
    let no_href = (String::from("bare"), Attrs::from([(Arc::from("link"), Any::from(HashMap::<String, Any>::new()))]));
    let number_href = Any::from(HashMap::from([("href".to_string(), Any::from(3))]));
    let number = (String::from("number"), Attrs::from([(Arc::from("link"), number_href)]));
    assert_eq!(md(vec![para(vec![no_href, plain(" "), number])]), "bare number\n");
}

#[test]
fn link_destinations_are_escaped() {
    let doc = vec![para(vec![linked("x", " https://a.example/a b(c)<d>?q=&amp;&r=1\\e ")])];
    assert_eq!(md(doc), "[x](https://a.example/a%20b\\(c\\)%3Cd%3E?q=\\&amp;&r=1\\\\e)\n");
}

#[test]
fn markdown_in_text_is_escaped_to_read_back_as_the_same_text() {
    let cases = [
        ("*not bold*", "\\*not bold\\*"),
        ("# not heading", "\\# not heading"),
        ("## not heading", "\\## not heading"),
        ("1. not list", "1\\. not list"),
        ("2) not list", "2\\) not list"),
        ("- not item", "\\- not item"),
        ("+ not item", "\\+ not item"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("> not quote", "\\> not quote"),
        ("<script>alert(1)</script>", "\\<script>alert(1)\\</script>"),
        ("<https://a.example>", "\\<https://a.example>"),
        ("[text](url)", "\\[text\\](url)"),
        ("![img](url)", "!\\[img\\](url)"),
        ("`x`", "\\`x\\`"),
        ("~~x~~", "\\~\\~x\\~\\~"),
        ("```", "\\`\\`\\`"),
        ("a | b", "a \\| b"),
        ("&amp; &#38; & x AT&T", "\\&amp; \\&#38; & x AT&T"),
        ("Great session!", "Great session!"),
        ("back\\slash", "back\\\\slash"),
        ("snake_case and _under_", "snake_case and \\_under\\_"),
        ("    four spaces", "four spaces"),
        ("3.5 hours, #42, C#, a-b, 100% > 99, 2 + 2 = 4", "3.5 hours, #42, C#, a-b, 100% > 99, 2 + 2 = 4"),
        ("1999. A year", "1999\\. A year"),
        ("-1 degrees", "-1 degrees"),
    ];
    for (input, expected) in cases {
        assert_eq!(md(vec![p(input)]), format!("{expected}\n"), "text {input:?}");
    }
    // `!` right before a link would make it an image.
    assert_eq!(md(vec![para(vec![plain("Wow!"), linked("x", "https://a.example")])]), "Wow\\![x](https://a.example)\n");
    // A heading's text never closes it with `#`s, nor makes a second one.
    let heading = el_with("heading", vec![("level", Any::from(2))], vec![text(vec![plain("# Sharp #")])]);
    assert_eq!(md(vec![heading]), "## \\# Sharp \\#\n");
    // Line breaks inside a text are spaces, so they cannot start a block.
    assert_eq!(md(vec![p("one\n# two\r\n- three")]), "one # two  - three\n");
}

#[test]
fn bullet_and_ordered_lists_nest_under_their_markers() {
    let bullets = el(
        "bullet_list",
        vec![li(vec![p("a")]), li(vec![p("b"), el("bullet_list", vec![li(vec![p("c")]), li(vec![p("d")])])])],
    );
    assert_eq!(md(vec![bullets]), "- a\n- b\n  - c\n  - d\n");

    let ordered = el_with(
        "ordered_list",
        vec![("order", Any::from(3))],
        vec![
            li(vec![p("x")]),
            li(vec![p("y"), el_with("ordered_list", vec![("order", Any::from("1"))], vec![li(vec![p("w")])])]),
        ],
    );
    assert_eq!(md(vec![ordered]), "3. x\n4. y\n   1. w\n");

    let default_start = el("ordered_list", vec![li(vec![p("first")]), li(vec![p("second")])]);
    assert_eq!(md(vec![default_start]), "1. first\n2. second\n");

    // The indent follows the marker's width, which grows with the number.
    let wide = el_with(
        "ordered_list",
        vec![("order", Any::from(9.0))],
        vec![li(vec![p("nine")]), li(vec![p("ten"), el("bullet_list", vec![li(vec![p("sub")])])])],
    );
    assert_eq!(md(vec![wide]), "9. nine\n10. ten\n    - sub\n");

    // An ordered list that does not start at 1 cannot interrupt a paragraph: a blank line.
    let late_start = el(
        "bullet_list",
        vec![li(vec![p("a"), el_with("ordered_list", vec![("order", Any::from(5))], vec![li(vec![p("b")])])])],
    );
    assert_eq!(md(vec![late_start]), "- a\n\n  5. b\n");
}

#[test]
fn list_items_with_several_blocks_and_empty_items() {
    let two_paragraphs = el("bullet_list", vec![li(vec![p("a"), p("b")]), li(vec![p("c")])]);
    assert_eq!(md(vec![two_paragraphs]), "- a\n\n  b\n- c\n");
    // A paragraph after a nested list must not continue the nested item's paragraph.
    let after_nested = el("bullet_list", vec![li(vec![p("a"), el("bullet_list", vec![li(vec![p("b")])]), p("c")])]);
    assert_eq!(md(vec![after_nested]), "- a\n  - b\n\n  c\n");
    let empty_item = el("bullet_list", vec![li(vec![]), li(vec![p("")]), li(vec![p("b")])]);
    assert_eq!(md(vec![empty_item]), "-\n-\n- b\n");
    // An empty item cannot interrupt a paragraph either.
    let empty_nested = el("bullet_list", vec![li(vec![p("a"), el("bullet_list", vec![li(vec![]), li(vec![p("b")])])])]);
    assert_eq!(md(vec![empty_nested]), "- a\n\n  -\n  - b\n");
    // Blocks in a list without an item element stand as items.
    let bare = el("bullet_list", vec![p("bare"), text(vec![plain("text")])]);
    assert_eq!(md(vec![bare]), "- bare\n- text\n");
}

#[test]
fn lists_in_a_row_take_the_other_marker_so_they_stay_apart() {
    let bullets = |content: &str| el("bullet_list", vec![li(vec![p(content)])]);
    let numbers = |content: &str| el("ordered_list", vec![li(vec![p(content)])]);
    let tasks = |content: &str| el("task_list", vec![el("task_item", vec![p(content)])]);
    assert_eq!(md(vec![bullets("a"), bullets("b"), p(""), bullets("c")]), "- a\n\n* b\n\n- c\n");
    assert_eq!(md(vec![numbers("a"), numbers("b")]), "1. a\n\n1) b\n");
    assert_eq!(md(vec![bullets("a"), tasks("b"), p("p"), bullets("c")]), "- a\n\n* [ ] b\n\np\n\n- c\n");
}

#[test]
fn task_lists_show_whether_each_item_is_checked() {
    let task = |checked: Option<Any>, children: Vec<Spec>| {
        el_with("task_item", checked.map(|c| vec![("checked", c)]).unwrap_or_default(), children)
    };
    let doc = vec![el(
        "task_list",
        vec![
            task(Some(Any::from(true)), vec![p("done")]),
            task(Some(Any::from(false)), vec![p("todo")]),
            task(Some(Any::from("true")), vec![p("string")]),
            task(Some(Any::from("false")), vec![p("string no")]),
            task(None, vec![p("none"), el("task_list", vec![task(Some(Any::from(true)), vec![p("sub")])])]),
            task(Some(Any::from(true)), vec![]),
        ],
    )];
    assert_eq!(md(doc), "- [x] done\n- [ ] todo\n- [x] string\n- [ ] string no\n- [ ] none\n  - [x] sub\n- [x]\n");
}

#[test]
fn a_quote_holds_paragraphs_and_lists() {
    let doc = vec![
        el("blockquote", vec![p("Quote"), el("bullet_list", vec![li(vec![p("a")]), li(vec![p("b")])]), p("end")]),
        el("blockquote", vec![p("Second"), el("blockquote", vec![p("Inner")])]),
        el("bullet_list", vec![li(vec![el("blockquote", vec![p("q1"), p("q2")])])]),
    ];
    assert_eq!(md(doc), "> Quote\n>\n> - a\n> - b\n>\n> end\n\n> Second\n>\n> > Inner\n\n- > q1\n  >\n  > q2\n");
}

#[test]
fn hard_breaks_continue_the_line_under_the_block_prefix() {
    let hard_break = || el("hard_break", vec![]);
    let broken = |before: &str, after: &str| {
        el("paragraph", vec![text(vec![plain(before)]), hard_break(), text(vec![plain(after)])])
    };
    assert_eq!(md(vec![broken("a", "b")]), "a\\\nb\n");
    assert_eq!(md(vec![el("bullet_list", vec![li(vec![broken("a", "b")])])]), "- a\\\n  b\n");
    assert_eq!(md(vec![el("blockquote", vec![broken("a", "# b")])]), "> a\\\n> \\# b\n");
    // Marks close before the break and open again after it.
    let bold = el(
        "paragraph",
        vec![text(vec![marked("x ", &["strong"])]), hard_break(), text(vec![marked("y", &["strong"])])],
    );
    assert_eq!(md(vec![bold]), "**x**\\\n**y**\n");
    // Breaks at the edges show nothing; in a heading a break is a space.
    let edges = el("paragraph", vec![hard_break(), text(vec![plain("only")]), hard_break()]);
    assert_eq!(md(vec![edges]), "only\n");
    let heading = el_with(
        "heading",
        vec![("level", Any::from(1))],
        vec![text(vec![plain("a")]), hard_break(), text(vec![plain("b")])],
    );
    assert_eq!(md(vec![heading]), "# a b\n");
}

#[test]
fn rules_and_code_blocks() {
    let code = el_with(
        "code_block",
        vec![("language", Any::from("rust"))],
        vec![text(vec![plain("fn main() {\n    ```\n\n}\n")])],
    );
    let doc = vec![p("Before"), el("horizontal_rule", vec![]), code, p("After")];
    assert_eq!(md(doc), "Before\n\n---\n\n````rust\nfn main() {\n    ```\n\n}\n````\n\nAfter\n");

    let odd_language =
        el_with("code_block", vec![("language", Any::from("a`b x"))], vec![text(vec![plain("<b>*x*</b>")])]);
    assert_eq!(md(vec![odd_language]), "```\n<b>*x*</b>\n```\n");

    let in_item = el(
        "bullet_list",
        vec![
            li(vec![el("code_block", vec![text(vec![plain("one\n\ntwo")])])]),
            li(vec![el("horizontal_rule", vec![])]),
        ],
    );
    assert_eq!(md(vec![in_item]), "- ```\n  one\n\n  two\n  ```\n- ___\n");
    assert_eq!(md(vec![el("blockquote", vec![el("horizontal_rule", vec![])])]), "> ---\n");
}

#[test]
fn odd_shapes_are_read_for_their_text_without_panicking() {
    let doc = new_doc();
    let root = doc.get_or_insert_xml_fragment(RICH_NAME);
    {
        let mut txn = doc.transact_mut();
        let heading = root.insert(&mut txn, 0, XmlElementPrelim::empty("heading"));
        heading.insert_attribute(&mut txn, "level", Any::from(HashMap::from([("x".to_string(), Any::from(1))])));
        let xml_text = heading.insert(&mut txn, 0, XmlTextPrelim::new("Map level"));
        // An element inside the text: its text is kept, a break inside is a space.
        let inner = xml_text.insert_embed(&mut txn, 3, XmlElementPrelim::empty("mention"));
        inner.insert(&mut txn, 0, XmlTextPrelim::new("[@Sam]"));
        xml_text.insert_embed(&mut txn, 0, XmlElementPrelim::empty("hard_break"));
        let list = root.insert(&mut txn, 1, XmlElementPrelim::empty("ordered_list"));
        list.insert_attribute(&mut txn, "order", true);
        let item = list.insert(&mut txn, 0, XmlElementPrelim::empty("list_item"));
        item.insert(&mut txn, 0, XmlTextPrelim::new("bool order"));
        let tasks = root.insert(&mut txn, 2, XmlElementPrelim::empty("task_list"));
        let task = tasks.insert(&mut txn, 0, XmlElementPrelim::empty("task_item"));
        task.insert_attribute(&mut txn, "checked", 1);
        task.insert(&mut txn, 0, XmlTextPrelim::new("number checked"));
        // A bare value where an element belongs (only through the fragment as an array).
        AsRef::<ArrayRef>::as_ref(&root).insert(&mut txn, 3, "bare string");
        AsRef::<ArrayRef>::as_ref(&root).insert(&mut txn, 4, 42);
        root.insert(&mut txn, 5, XmlElementPrelim::empty("hard_break"));
    }
    assert_eq!(render_doc(&doc), "# Map\\[@Sam\\] level\n\n1. bool order\n\n- [x] number checked\n\nbare string\n");
}

#[test]
fn deep_nesting_is_flattened_without_recursion() {
    const LEVELS: usize = 10_000;
    let doc = new_doc();
    let root = doc.get_or_insert_xml_fragment(RICH_NAME);
    {
        let mut txn = doc.transact_mut();
        let mut quote = root.insert(&mut txn, 0, XmlElementPrelim::empty("blockquote"));
        for _ in 1..LEVELS {
            quote = quote.insert(&mut txn, 0, XmlElementPrelim::empty("blockquote"));
        }
        let paragraph = quote.insert(&mut txn, 0, XmlElementPrelim::empty("paragraph"));
        paragraph.insert(&mut txn, 0, XmlTextPrelim::new("deep"));
    }
    assert_eq!(render_doc(&doc), format!("{}deep\n", "> ".repeat(MAX_DEPTH)));

    // Lists directly inside lists, and inline elements inside a paragraph.
    let doc = new_doc();
    let root = doc.get_or_insert_xml_fragment(RICH_NAME);
    {
        let mut txn = doc.transact_mut();
        let mut list = root.insert(&mut txn, 0, XmlElementPrelim::empty("bullet_list"));
        for _ in 1..LEVELS {
            list = list.insert(&mut txn, 0, XmlElementPrelim::empty("bullet_list"));
        }
        let mut inline = list.insert(&mut txn, 0, XmlElementPrelim::empty("paragraph"));
        for _ in 0..LEVELS {
            inline = inline.insert(&mut txn, 0, XmlElementPrelim::empty("span"));
        }
        inline.insert(&mut txn, 0, XmlTextPrelim::new("bottom"));
    }
    let rendered = render_doc(&doc);
    assert!(rendered.ends_with("- bottom\n"), "{rendered}");
    assert_eq!(rendered.lines().count(), 1);
}

#[test]
fn a_document_from_an_update_reads_the_same() {
    let original =
        build(vec![el_with("heading", vec![("level", Any::from(2))], vec![text(vec![plain("Goals")])]), p("Ship it")]);
    let update = original.transact().encode_state_as_update_v1(&StateVector::default());
    let copy = new_doc();
    copy.transact_mut().apply_update(Update::decode_v1(&update).expect("an update")).expect("applies");
    assert_eq!(render_doc(&copy), "## Goals\n\nShip it\n");
    let fragment = copy.get_or_insert_xml_fragment(RICH_NAME);
    assert_eq!(render(&copy.transact(), &fragment), render_doc(&original));
}

#[test]
fn a_coaching_session_note_reads_as_markdown() {
    let heading = |level: i64, content: &str| {
        el_with("heading", vec![("level", Any::from(level))], vec![text(vec![plain(content)])])
    };
    let task =
        |checked: bool, content: &str| el_with("task_item", vec![("checked", Any::from(checked))], vec![p(content)]);
    let doc = vec![
        heading(1, "Session 4 — Leading the platform team"),
        para(vec![
            plain("Sam wants to "),
            marked("delegate more", &["strong"]),
            plain(" without losing sight of "),
            marked("quality", &["em"]),
            plain(". Last time's idea of a "),
            marked("daily", &["strike"]),
            plain(" weekly sync held up."),
        ]),
        heading(2, "What went well"),
        el(
            "bullet_list",
            vec![
                li(vec![p("The on-call rota (3 people, 1 week each)")]),
                li(vec![
                    p("Reviews now take < 1 day"),
                    el("bullet_list", vec![li(vec![para(vec![plain("see "), marked("review_stats.md", &["code"])])])]),
                ]),
            ],
        ),
        heading(2, "Actions"),
        el("task_list", vec![task(true, "Share the rota with HR"), task(false, "Draft the *delegation* plan")]),
        el("blockquote", vec![para(vec![plain("\"Trust is built in small moments.\" — "), marked("Sam", &["em"])])]),
        el_with(
            "ordered_list",
            vec![("order", Any::from(1))],
            vec![
                li(vec![p("Read chapter 3")]),
                li(vec![para(vec![plain("Try "), linked("the template", "https://example.com/template?id=4&v=2")])]),
            ],
        ),
        el("horizontal_rule", vec![]),
        el(
            "paragraph",
            vec![text(vec![plain("Next session: 14 May")]), el("hard_break", vec![]), text(vec![plain("#followup")])],
        ),
    ];
    assert_eq!(
        md(doc),
        "# Session 4 — Leading the platform team\n\
         \n\
         Sam wants to **delegate more** without losing sight of *quality*. Last time's idea of a ~~daily~~ weekly sync held up.\n\
         \n\
         ## What went well\n\
         \n\
         - The on-call rota (3 people, 1 week each)\n\
         - Reviews now take \\< 1 day\n\
         \x20 - see `review_stats.md`\n\
         \n\
         ## Actions\n\
         \n\
         - [x] Share the rota with HR\n\
         - [ ] Draft the \\*delegation\\* plan\n\
         \n\
         > \"Trust is built in small moments.\" — *Sam*\n\
         \n\
         1. Read chapter 3\n\
         2. Try [the template](https://example.com/template?id=4&v=2)\n\
         \n\
         ---\n\
         \n\
         Next session: 14 May\\\n\
         #followup\n"
    );
}
