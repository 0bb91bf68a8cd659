//! Wire types of the Tandem / Refactor coaching platform API (`shared/api-contract.md`).
//!
//! This crate is the single source of truth for everything that crosses the wire: the web
//! app and the server both depend on it, so a change of shape is a compile error on both
//! sides. It depends on serde, chrono and uuid only; the `sqlx` feature adds the server's row
//! mapping. (The notes' shared document itself is the server's: `tandem_server::notes`.)

pub mod accounts;
pub mod entities;
pub mod envelope;
pub mod events;
pub mod goal_progress;
pub mod ids;
pub mod note_document;
pub mod notifications;
pub mod presence;
pub mod requests;
pub mod series;
pub mod topics;
pub mod versions;
pub mod wire_time;

pub use accounts::*;
pub use entities::*;
pub use envelope::*;
pub use events::*;
pub use goal_progress::*;
pub use ids::*;
pub use note_document::*;
pub use notifications::*;
pub use presence::*;
pub use requests::*;
pub use series::*;
pub use topics::*;
pub use versions::*;

/// The API version every JSON route expects in the `X-Version` request header.
pub const API_VERSION: &str = "1.0.0-beta1";

/// Name of the API version request header.
pub const VERSION_HEADER: &str = "x-version";

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "id";
