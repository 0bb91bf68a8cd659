//! The sections of a coaching session page.

pub mod actions;
pub mod agreements;
pub mod deep_link;
pub mod from_notes;
pub mod goal_swap;
pub mod goals;
pub mod notes;
pub mod overview;
pub mod plain_notes;
pub mod presence;
pub mod since;
pub mod title;
pub mod topics;

/// A panel heading's count ("3", "1/3 in progress"), once its list is there.
pub fn panel_count(count: Option<String>) -> yew::Html {
    match count {
        Some(count) => yew::html! { <span class="panel-count" data-testid="panel-count">{ count }</span> },
        None => yew::Html::default(),
    }
}
