//! Entry point of the web app: mounts [`tandem::app::App`] on the page.

fn main() {
    yew::Renderer::<tandem::app::App>::new().render();
}
