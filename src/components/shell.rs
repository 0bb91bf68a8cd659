//! The frame of a signed-in page: the workspace, the header, the sidebar (wide screens),
//! then the page's content.

use yew::prelude::*;

use yewdux::use_selector;

use super::header::Header;
use super::sidebar::Sidebar;
use crate::hooks::use_workspace::WorkspaceProvider;
use crate::stores::preferences::Preferences;

/// Props of [`Shell`].
#[derive(Properties, PartialEq)]
pub struct ShellProps {
    pub children: Html,
}

/// Workspace, header and main content.
#[component]
pub fn Shell(props: &ShellProps) -> Html {
    crate::render_count::count_render();
    let collapsed = use_selector(|preferences: &Preferences| preferences.sidebar_collapsed);
    html! {
        <WorkspaceProvider>
            <div class={classes!("shell", (*collapsed).then_some("sidebar-collapsed"))}>
                <Header />
                <Sidebar />
                <main class="page" id="main">{ props.children.clone() }</main>
            </div>
        </WorkspaceProvider>
    }
}
