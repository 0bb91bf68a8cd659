//! The connection indicator in the header: silent while live, a word and a spinner while
//! (re)connecting, a Retry button when live updates paused. Screen readers hear changes
//! through a polite live region. With `?debug=sse` in the URL it also shows the store.

use yew::prelude::*;
use yewdux::use_store_value;

use crate::realtime::{send, AgentInput};
use crate::stores::connection::{ConnectionState, ConnectionStore};

/// What the indicator says for a state.
pub fn describe(store: &ConnectionStore) -> Option<String> {
    match store.state {
        ConnectionState::Connected => None,
        ConnectionState::Connecting => Some("Connecting…".into()),
        ConnectionState::Reconnecting => Some(format!("Reconnecting (attempt {})…", store.attempt.max(1))),
        ConnectionState::Error => Some("Live updates paused".into()),
        ConnectionState::Disconnected => Some("Offline".into()),
    }
}

fn debug_requested() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|search| search.split(['?', '&']).any(|pair| pair == "debug=sse"))
}

/// The indicator.
#[component]
pub fn ConnectionIndicator() -> Html {
    crate::render_count::count_render();
    let store = use_store_value::<ConnectionStore>();
    let busy = matches!(store.state, ConnectionState::Connecting | ConnectionState::Reconnecting);
    let retry = Callback::from(|_: MouseEvent| send(AgentInput::RetryNow));
    let text = describe(&store);
    html! {
        <div class="connection" data-testid="connection-indicator" data-state={format!("{:?}", store.state)}>
            <span class="connection-text" aria-live="polite" role="status">
                if busy {
                    <span class="spinner" aria-hidden="true"></span>
                }
                { text.unwrap_or_default() }
            </span>
            if store.state == ConnectionState::Error {
                <button type="button" class="button-quiet button-small" onclick={retry}>{ "Retry" }</button>
            }
            if debug_requested() {
                <pre class="debug-panel" data-testid="sse-debug">{ store.debug_text() }</pre>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_reads_plainly() {
        let mut store = ConnectionStore::default();
        assert_eq!(describe(&store).as_deref(), Some("Offline"));
        store.state = ConnectionState::Connected;
        assert_eq!(describe(&store), None, "nothing while live");
        store.state = ConnectionState::Reconnecting;
        store.attempt = 3;
        assert_eq!(describe(&store).as_deref(), Some("Reconnecting (attempt 3)…"));
        store.state = ConnectionState::Error;
        assert_eq!(describe(&store).as_deref(), Some("Live updates paused"));
        store.state = ConnectionState::Connecting;
        assert_eq!(describe(&store).as_deref(), Some("Connecting…"));
    }
}
