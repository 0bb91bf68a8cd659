//! The sidebar of a signed-in page on a wide screen: the pages, and the person's coaching
//! relationships of the chosen organization as one-click choices. It can be collapsed (the
//! header then carries the pages, as on a phone); the choice is kept per browser.

use yew::prelude::*;
use yewdux::use_dispatch;

use super::app_link::AppLink;
use crate::domain::relationships::relationship_label;
use crate::hooks::use_workspace::use_workspace;
use crate::routes::Route;
use crate::stores::preferences::Preferences;

/// Collapses or opens the sidebar.
#[hook]
pub fn use_toggle_sidebar() -> Callback<MouseEvent> {
    let dispatch = use_dispatch::<Preferences>();
    Callback::from(move |_: MouseEvent| dispatch.reduce_mut(|p| p.sidebar_collapsed = !p.sidebar_collapsed))
}

/// The sidebar.
#[component]
pub fn Sidebar() -> Html {
    crate::render_count::count_render();
    let workspace = use_workspace();
    let toggle = use_toggle_sidebar();
    let relationships = workspace.as_ref().map(|w| {
        let chosen = w.relationship.as_ref().map(|r| r.id);
        html! {
            for r in w.relationships.iter().flat_map(|list| list.iter()) {
                <li key={r.id.to_string()}>
                    <button type="button" class="sidebar-item" aria-current={(Some(r.id) == chosen).then_some("true")}
                        onclick={{ let (choose, id) = (w.choose_relationship.clone(), r.id); Callback::from(move |_: MouseEvent| choose.emit(id)) }}>
                        { relationship_label(r, w.me.as_ref()) }
                    </button>
                </li>
            }
        }
    });
    html! {
        <aside class="sidebar" aria-label="Workspace">
            <nav aria-label="Pages">
                <ul class="sidebar-list">
                    <li><AppLink to={Route::Dashboard} classes="sidebar-item">{ "Sessions" }</AppLink></li>
                    <li><AppLink to={Route::Actions} classes="sidebar-item">{ "Actions" }</AppLink></li>
                </ul>
            </nav>
            <h2 class="sidebar-heading">{ "Relationships" }</h2>
            <ul class="sidebar-list">{ relationships.unwrap_or_default() }</ul>
            <button type="button" class="button-quiet button-small sidebar-collapse" onclick={toggle}>{ "« Hide sidebar" }</button>
        </aside>
    }
}
