//! The frame of a signed-in page: header, then the page's content.

use yew::prelude::*;

use super::header::Header;

/// Props of [`Shell`].
#[derive(Properties, PartialEq)]
pub struct ShellProps {
    pub children: Html,
}

/// Header plus main content.
#[component]
pub fn Shell(props: &ShellProps) -> Html {
    html! {
        <>
            <Header />
            <main class="page" id="main">{ props.children.clone() }</main>
        </>
    }
}
