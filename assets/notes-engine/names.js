// Names of the notes document's two roots, as on the server (server/src/notes/mod.rs).

/** The plain text of pages from before rich notes; the server moves it into the fragment. */
export const TEXT_NAME = 'notes';

/** The rich notes: the XML fragment y-prosemirror keeps ProseMirror's nodes in. */
export const RICH_NAME = 'notes_rich';
