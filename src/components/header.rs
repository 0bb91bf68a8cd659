//! The header of every signed-in page: brand and navigation, organization and relationship
//! pickers, a slot for the connection indicator, the inbox's bell, and the person's menu:
//! Settings, the administration pages their roles reach, the theme, "Sign out". On a phone it
//! is one row: navigation and pickers fold into a panel behind "Menu".

use tandem_protocol::LoginUser;
use yew::prelude::*;
use yewdux::{use_dispatch, use_selector};

use super::app_link::AppLink;
use super::connection_indicator::ConnectionIndicator;
use super::form::selected_value;
use super::inbox::InboxBell;
use super::sidebar::use_toggle_sidebar;
use crate::domain::relationships::relationship_label;
use crate::domain::roles::{is_admin_of, is_super_admin};
use crate::hooks::use_workspace::use_workspace;
use crate::routes::Route;
use crate::session;
use crate::stores::preferences::Preferences;
use crate::theme::Theme;

/// The app header.
#[component]
pub fn Header() -> Html {
    crate::render_count::count_render();
    let workspace = use_workspace();
    let menu_open = use_state(|| false);
    // On a phone the navigation and pickers fold into a panel under this toggle.
    let panel_open = use_state(|| false);
    let signing_out = use_state(|| false);
    let me = workspace.as_ref().and_then(|w| w.me.clone());
    let name = me.as_ref().map(LoginUser::name).unwrap_or_default();

    let toggle_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |_: MouseEvent| menu_open.set(!*menu_open))
    };
    let close_on_escape = {
        let menu_open = menu_open.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                menu_open.set(false);
            }
        })
    };
    let toggle_sidebar = use_toggle_sidebar();
    let toggle_panel = {
        let panel_open = panel_open.clone();
        Callback::from(move |_: MouseEvent| panel_open.set(!*panel_open))
    };
    let (chosen_theme, on_theme) = {
        let theme = use_selector(|preferences: &Preferences| preferences.theme);
        let dispatch = use_dispatch::<Preferences>();
        let on_theme = Callback::from(move |e: Event| {
            if let Some(theme) = Theme::parse(&selected_value(&e)) {
                dispatch.reduce_mut(|preferences| preferences.theme = theme);
            }
        });
        (*theme, on_theme)
    };
    let on_sign_out = {
        let signing_out = signing_out.clone();
        Callback::from(move |_: MouseEvent| {
            signing_out.set(true);
            wasm_bindgen_futures::spawn_local(session::sign_out());
        })
    };

    // The administration pages the person's roles reach: the members of each organization
    // they administer (a SuperAdmin: of the one chosen; all are on "Organizations").
    let super_admin = me.as_ref().is_some_and(|me| is_super_admin(&me.roles));
    let administered: Vec<(tandem_protocol::OrganizationId, String)> = match (&workspace, &me) {
        (Some(w), Some(me)) => w
            .organizations
            .iter()
            .flat_map(|list| list.iter())
            .filter(|o| {
                if super_admin {
                    w.organization.as_ref().is_some_and(|chosen| chosen.id == o.id)
                } else {
                    is_admin_of(&me.roles, o.id)
                }
            })
            .map(|o| (o.id, o.name.clone()))
            .collect(),
        _ => Vec::new(),
    };
    let several = administered.len() > 1;
    let admin_links = html! {
        <>
            for (id, name) in administered.into_iter() {
                <AppLink to={Route::Members { id }} classes="menu-item">
                    { if several { format!("Members of {name}") } else { "Members".to_owned() } }
                </AppLink>
            }
            if super_admin {
                <AppLink to={Route::AdminOrganizations} classes="menu-item">{ "Organizations" }</AppLink>
            }
        </>
    };

    let pickers = workspace.as_ref().map(|w| {
        let organizations = w.organizations.clone().unwrap_or_default();
        let relationships = w.relationships.clone().unwrap_or_default();
        let on_organization = {
            let choose = w.choose_organization.clone();
            let organizations = organizations.clone();
            Callback::from(move |e: Event| {
                let value = selected_value(&e);
                if let Some(o) = organizations.iter().find(|o| o.id.to_string() == value) {
                    choose.emit(o.id);
                }
            })
        };
        let on_relationship = {
            let choose = w.choose_relationship.clone();
            let relationships = relationships.clone();
            Callback::from(move |e: Event| {
                let value = selected_value(&e);
                if let Some(r) = relationships.iter().find(|r| r.id.to_string() == value) {
                    choose.emit(r.id);
                }
            })
        };
        let chosen_org = w.organization.as_ref().map(|o| o.id);
        let chosen_rel = w.relationship.as_ref().map(|r| r.id);
        html! {
            <div class="pickers">
                if organizations.len() > 1 {
                    <label class="picker">
                        <span class="picker-label">{ "Organization" }</span>
                        <select onchange={on_organization} data-testid="organization-picker">
                            for o in organizations.iter() {
                                <option key={o.id.to_string()} value={o.id.to_string()} selected={Some(o.id) == chosen_org}>{ &o.name }</option>
                            }
                        </select>
                    </label>
                } else if let Some(o) = organizations.first() {
                    <span class="picker-static" data-testid="organization-name">{ &o.name }</span>
                }
                if !relationships.is_empty() {
                    <label class="picker">
                        <span class="picker-label">{ "Relationship" }</span>
                        <select onchange={on_relationship} data-testid="relationship-picker">
                            for r in relationships.iter() {
                                <option key={r.id.to_string()} value={r.id.to_string()} selected={Some(r.id) == chosen_rel}>
                                    { relationship_label(r, w.me.as_ref()) }
                                </option>
                            }
                        </select>
                    </label>
                }
            </div>
        }
    });

    html! {
        <header class="app-header">
            <AppLink to={Route::Dashboard} classes="brand">{ "Tandem" }</AppLink>
            <button type="button" class="button-quiet panel-toggle" aria-expanded={panel_open.to_string()}
                aria-controls="header-panel" onclick={toggle_panel}>
                { "Menu" }
            </button>
            <div id="header-panel" class={classes!("header-panel", panel_open.then_some("open"))}>
                <nav class="app-nav" aria-label="Main">
                    <AppLink to={Route::Dashboard}>{ "Sessions" }</AppLink>
                    <AppLink to={Route::Actions}>{ "Actions" }</AppLink>
                </nav>
                { pickers.unwrap_or_default() }
            </div>
            <button type="button" class="button-quiet button-small sidebar-show" onclick={toggle_sidebar}>{ "Show sidebar" }</button>
            <ConnectionIndicator />
            if let Some(me) = &me {
                <InboxBell me={me.clone()} />
            }
            <div class="person-menu" onkeydown={close_on_escape}>
                <button type="button" class="button-quiet person-button" aria-haspopup="true"
                    aria-expanded={menu_open.to_string()} aria-controls="person-menu" onclick={toggle_menu}>
                    <span class="person-name" data-testid="person-name">{ name }</span>
                    <span aria-hidden="true">{ " ▾" }</span>
                </button>
                if *menu_open {
                    <div class="menu" id="person-menu">
                        <AppLink to={Route::Settings} classes="menu-item">{ "Settings" }</AppLink>
                        { admin_links }
                        <label class="menu-field">
                            <span>{ "Theme" }</span>
                            <select data-testid="theme-picker" onchange={on_theme}>
                                for theme in Theme::ALL {
                                    <option value={theme.as_str()} selected={theme == chosen_theme}>{ theme.label() }</option>
                                }
                            </select>
                        </label>
                        <button type="button" class="menu-item" onclick={on_sign_out} disabled={*signing_out}>
                            { if *signing_out { "Signing out…" } else { "Sign out" } }
                        </button>
                    </div>
                }
            </div>
        </header>
    }
}
