//! Entry point of the coaching session page's app (`session.html`): starts the current
//! page's requests, then mounts [`tandem::session_app::SessionApp`] (see
//! [`tandem::root::start`]).

fn main() {
    tandem::root::start::<tandem::session_app::SessionApp>();
}
