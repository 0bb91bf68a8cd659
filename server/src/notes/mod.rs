//! The live notes' shared document on the server: the Yjs document itself, through `yrs`
//! ([`crdt`]), the bounded reader every client update passes before it reaches `yrs`
//! ([`update`]), and the rich notes written as Markdown ([`markdown`]). Only the server knows
//! the document (the web app uses Yjs itself, `assets/notes-engine/`), so this lives here and
//! not in the wire types' crate.

pub mod awareness;
pub mod crdt;
pub mod export;
pub mod markdown;
pub mod update;

/// Name of the plain text inside a notes document (the notes before they became rich text).
pub const TEXT_NAME: &str = "notes";

/// Name of the rich notes inside a notes document: a Yjs XML fragment as `y-prosemirror`
/// writes it (one XML element per ProseMirror node, marks as text formatting attributes). A
/// name of its own, because a Yjs root keeps the type it was first given.
pub const RICH_NAME: &str = "notes_rich";
