//! The frame of a signed-in page: the workspace, the header, then the page's content.

use yew::prelude::*;

use super::header::Header;
use crate::hooks::use_workspace::WorkspaceProvider;

/// Props of [`Shell`].
#[derive(Properties, PartialEq)]
pub struct ShellProps {
    pub children: Html,
}

/// Workspace, header and main content.
#[component]
pub fn Shell(props: &ShellProps) -> Html {
    crate::render_count::count_render();
    html! {
        <WorkspaceProvider>
            <Header />
            <main class="page" id="main">{ props.children.clone() }</main>
        </WorkspaceProvider>
    }
}
