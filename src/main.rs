//! Entry point of the main web app: starts the current page's requests, then mounts
//! [`tandem::app::App`] on the page (see [`tandem::root::start`]).

fn main() {
    tandem::root::start::<tandem::app::App>();
}
