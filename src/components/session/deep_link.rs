//! What the session page's address asks for, as in the reference: `?panel=` (`topics`,
//! `agreements`, `actions`, `goals`, `notes`; the reference's older `?tab=` too) brings that
//! panel into view and focuses its heading; `?highlight={actionId}` (the links in Tandem's
//! mails) brings that action into view and marks it.

use tandem_protocol::ActionId;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew_router::prelude::use_location;

/// The value of `name` in a query string (`?a=1&b=2` or `a=1&b=2`), as written: the values
/// read here (panel names, ids) need no decoding.
fn param<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query.trim_start_matches('?').split('&').find_map(|pair| match pair.split_once('=') {
        Some((key, value)) if key == name => Some(value),
        _ => None,
    })
}

/// The id of the heading of the panel the query names, when it names one the page has.
fn panel_heading(query: &str) -> Option<&'static str> {
    let panel = param(query, "panel").or_else(|| param(query, "tab"))?;
    Some(match panel {
        "topics" | "agenda" => "topics-title",
        "agreements" => "agreements-title",
        "actions" => "actions-title",
        "goals" => "goals-title",
        "notes" => "notes-title",
        _ => return None,
    })
}

/// Whether the query asks to highlight `action`.
fn highlights(query: &str, action: ActionId) -> bool {
    param(query, "highlight").is_some_and(|id| id == action.to_string())
}

/// Brings `element` into view and gives it the focus (so a keyboard or screen reader starts
/// there).
fn bring_into_view(element: &web_sys::Element) {
    element.scroll_into_view();
    if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = element.set_attribute("tabindex", "-1");
        // Focus fails only on a detached element; nothing to tell then.
        let _ = element.focus();
    }
}

/// Brings the panel the address names into view; placed after the panels, so they are drawn
/// when its effect runs.
#[component]
pub fn PanelFromAddress() -> Html {
    use_panel_from_address();
    Html::default()
}

#[hook]
fn use_panel_from_address() {
    let query = use_location().map(|l| l.query_str().to_owned()).unwrap_or_default();
    use_effect_with(query, |query| {
        let heading = panel_heading(query).and_then(|id| gloo::utils::document().get_element_by_id(id));
        if let Some(heading) = heading {
            bring_into_view(&heading);
        }
    });
}

/// Whether the address highlights `action`; when it does, the row at `node` comes into view
/// once drawn.
#[hook]
pub fn use_highlight(action: ActionId, node: NodeRef) -> bool {
    let query = use_location().map(|l| l.query_str().to_owned()).unwrap_or_default();
    let highlighted = highlights(&query, action);
    use_effect_with(highlighted, move |highlighted| {
        if let (true, Some(row)) = (*highlighted, node.cast::<web_sys::Element>()) {
            bring_into_view(&row);
        }
    });
    highlighted
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn the_panel_comes_from_panel_or_the_older_tab() {
        assert_eq!(panel_heading("?panel=goals"), Some("goals-title"));
        assert_eq!(panel_heading("tab=actions"), Some("actions-title"));
        assert_eq!(panel_heading("?panel=agreements&tab=goals"), Some("agreements-title"));
        assert_eq!(panel_heading("?panel=elsewhere"), None);
        assert_eq!(panel_heading(""), None);
    }

    #[test]
    fn only_the_named_action_is_highlighted() {
        let action = ActionId(Uuid::from_u128(9));
        assert!(highlights(&format!("?highlight={action}"), action));
        assert!(!highlights(&format!("?highlight={}", Uuid::from_u128(8)), action));
        assert!(!highlights("?panel=actions", action));
    }
}
