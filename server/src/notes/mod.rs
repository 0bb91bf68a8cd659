//! The live notes' shared document on the server: the Yjs document itself, through `yrs`
//! ([`crdt`]), and the bounded reader every client update passes before it reaches `yrs`
//! ([`update`]). Only the server knows the document (the web app uses Yjs itself,
//! `assets/notes-engine/`), so this lives here and not in the wire types' crate.

pub mod crdt;
pub mod update;
