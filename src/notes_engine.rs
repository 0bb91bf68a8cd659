//! The notes' engine: Yjs and the rich text editor bound to it (ProseMirror with
//! y-prosemirror), one script built from `assets/notes-engine/` that defines `tandemNotes`,
//! loaded when live notes first open ([`load`]) and reached through these bindings
//! [extension].
//!
//! Yjs is the reference implementation of the CRDT the server keeps each notes document in
//! (`yrs`, its Rust port by the same authors, the server's `notes::crdt`); both speak the
//! same update format. The browser uses Yjs itself rather than compiling `yrs` into the app:
//! it weighs 22.7 KB brotli against `yrs`' 51.5 KB (docs/performance.md). Updates and state
//! vectors cross as base64 strings, as they travel on the wire.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(js_namespace = tandemMerge)]
extern "C" {
    #[wasm_bindgen(catch, js_name = merge)]
    fn js_merge(base: &str, mine: &str, theirs: &str) -> Result<JsValue, JsValue>;
}

/// Merges `mine` and `theirs`, both made from `base`, keeping both people's words
/// ([`Script::Merge`] must be loaded).
pub fn merge(base: &str, mine: &str, theirs: &str) -> Result<String, EngineError> {
    let merged = js_merge(base, mine, theirs)?;
    js_sys::Reflect::get(&merged, &JsValue::from_str("text"))?
        .as_string()
        .ok_or_else(|| EngineError("the merge answered no text".into()))
}

#[wasm_bindgen(js_namespace = tandemNotes)]
extern "C" {
    #[wasm_bindgen(catch, js_name = create)]
    fn js_create() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = onLocalUpdate)]
    fn js_on_local_update(doc: &JsValue, send: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = apply)]
    fn js_apply(doc: &JsValue, update: &str) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_name = appendParagraph)]
    fn js_append_paragraph(doc: &JsValue, line: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = stateVector)]
    fn js_state_vector(doc: &JsValue) -> Result<String, JsValue>;
    #[wasm_bindgen(catch, js_name = mergeUpdates)]
    fn js_merge_updates(joined: &str) -> Result<String, JsValue>;
    #[wasm_bindgen(catch, js_name = mount)]
    fn js_mount(
        doc: &JsValue,
        host: &web_sys::Element,
        placeholder: &str,
        carets_url: &str,
        version: &str,
    ) -> Result<Editor, JsValue>;

    /// The rich text editor showing a replica (assets/notes-engine/editor.js).
    pub type Editor;
    /// Takes the editor off the page; the replica stays.
    #[wasm_bindgen(method)]
    pub fn destroy(this: &Editor);
    /// The selected text (blocks on lines of their own), trimmed; empty without a selection.
    #[wasm_bindgen(method, js_name = selectedText)]
    pub fn selected_text(this: &Editor) -> String;
    /// Shows the other person's caret (an awareness update, base64, from the event stream).
    #[wasm_bindgen(method, catch, js_name = receiveCaret)]
    pub fn receive_caret(this: &Editor, update: &str, user: &str) -> Result<(), JsValue>;
}

/// The engine refused something, or is not there (its script did not load).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineError(String);

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<JsValue> for EngineError {
    fn from(thrown: JsValue) -> Self {
        let message =
            thrown.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| thrown.as_string());
        EngineError(message.unwrap_or_else(|| "the notes engine failed".into()))
    }
}

/// A script session.html holds back until asked for: Trunk gives its tag the script's hashed
/// `src` and its `integrity`, and a type no browser runs, so the page does not even fetch it
/// at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// Yjs and the rich text editor (`tandemNotes`), for live notes.
    Engine,
    /// The three-way merge of notes text (`tandemMerge`), for servers without live notes.
    Merge,
}

impl Script {
    fn tag_id(self) -> &'static str {
        match self {
            Script::Engine => "notes-engine",
            Script::Merge => "notes-merge",
        }
    }

    fn global(self) -> &'static str {
        match self {
            Script::Engine => "tandemNotes",
            Script::Merge => "tandemMerge",
        }
    }
}

thread_local! {
    /// Each script's load, once asked for: every caller awaits the same one.
    static LOADING: RefCell<[Option<Promise>; 2]> = const { RefCell::new([None, None]) };
}

/// Loads `script` unless it is there; resolves once its global is defined. The load starts
/// when this is called, before the answer is awaited; a failed load is tried again by the
/// next call.
pub fn load(script: Script) -> impl Future<Output = Result<(), EngineError>> {
    let slot = script as usize;
    let promise =
        LOADING.with(|loading| loading.borrow_mut()[slot].get_or_insert_with(|| start_loading(script)).clone());
    async move {
        match JsFuture::from(promise).await {
            Ok(_) => Ok(()),
            Err(thrown) => {
                LOADING.with(|loading| loading.borrow_mut()[slot].take());
                Err(EngineError::from(thrown))
            }
        }
    }
}

fn start_loading(script: Script) -> Promise {
    Promise::new(&mut |resolve: Function, reject: Function| {
        if let Err(thrown) = insert_script(script, &resolve, &reject) {
            let _ = reject.call1(&JsValue::NULL, &thrown);
        }
    })
}

/// Adds a running copy of the held tag to the page, settling the load on its outcome.
fn insert_script(script: Script, resolve: &Function, reject: &Function) -> Result<(), JsValue> {
    if js_sys::Reflect::has(&js_sys::global(), &JsValue::from_str(script.global()))? {
        resolve.call0(&JsValue::NULL)?;
        return Ok(());
    }
    let missing = || JsValue::from_str("the notes engine is not named in this page");
    let document = gloo::utils::document();
    let held = document.get_element_by_id(script.tag_id()).ok_or_else(missing)?;
    let src = held.get_attribute("src").ok_or_else(missing)?;
    let script = document.create_element("script")?;
    script.set_attribute("src", &src)?;
    if let Some(integrity) = held.get_attribute("integrity") {
        script.set_attribute("integrity", &integrity)?;
    }
    script.add_event_listener_with_callback("load", resolve)?;
    let reject = reject.clone();
    let failed = Closure::once_into_js(move || {
        let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("the notes engine could not be loaded"));
    });
    script.add_event_listener_with_callback("error", failed.unchecked_ref())?;
    document.head().ok_or_else(missing)?.append_child(&script)?;
    Ok(())
}

/// One replica of a session's notes, in this tab.
#[derive(Clone)]
pub struct NotesDoc(JsValue);

impl NotesDoc {
    /// An empty replica with a random client id.
    pub fn new() -> Result<Self, EngineError> {
        Ok(NotesDoc(js_create()?))
    }

    /// Calls `send` with each change made in this tab (an update, base64), as it is made:
    /// typing in the editor, or [`NotesDoc::append_paragraph`].
    pub fn on_local_update(&self, send: impl FnMut(String) + 'static) -> Result<(), EngineError> {
        let send = Closure::<dyn FnMut(String)>::new(send).into_js_value();
        Ok(js_on_local_update(&self.0, &send)?)
    }

    /// Merges an update (base64) from the server; whether the notes changed.
    pub fn apply(&self, update: &str) -> Result<bool, EngineError> {
        Ok(js_apply(&self.0, update)?)
    }

    /// Adds `line` as a paragraph of its own at the end of the notes.
    pub fn append_paragraph(&self, line: &str) -> Result<(), EngineError> {
        Ok(js_append_paragraph(&self.0, line)?)
    }

    /// This replica's state vector (base64): what it has, per client.
    pub fn state_vector(&self) -> Result<String, EngineError> {
        Ok(js_state_vector(&self.0)?)
    }

    /// Shows the replica for editing in `host`, an element the app leaves empty; the
    /// editor sends this tab's caret to `carets_url` itself (small and frequent, and sent
    /// as the page goes).
    pub fn mount(&self, host: &web_sys::Element, placeholder: &str, carets_url: &str) -> Result<Editor, EngineError> {
        Ok(js_mount(&self.0, host, placeholder, carets_url, tandem_protocol::API_VERSION)?)
    }
}

/// Several updates (base64) as one.
pub fn merge_updates(updates: &[String]) -> Result<String, EngineError> {
    Ok(js_merge_updates(&updates.join(","))?)
}
