//! Entry point of the web app: starts the current page's requests, then mounts
//! [`tandem::app::App`] on the page (see [`tandem::preload`]).

fn main() {
    tandem::render_count::expose();
    tandem::session::install();
    tandem::preload::current_page_then(|| {
        yew::Renderer::<tandem::app::App>::new().render();
    });
}
