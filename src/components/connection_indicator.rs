//! The connection indicator in the header: silent while live, a word and a spinner while
//! (re)connecting, a Retry button when live updates paused. Screen readers hear changes
//! through a polite live region. With `?debug=sse` in the URL it also shows the store.

use yew::prelude::*;
use yewdux::{use_selector, use_store_value};

use crate::realtime::{send, AgentInput};
use crate::stores::connection::{ConnectionState, ConnectionStore};

/// What the indicator says for a state.
pub fn describe(state: ConnectionState, attempt: u32) -> Option<String> {
    match state {
        ConnectionState::Connected => None,
        ConnectionState::Connecting => Some("Connecting…".into()),
        ConnectionState::Reconnecting => Some(format!("Reconnecting (attempt {})…", attempt.max(1))),
        ConnectionState::Error => Some("Live updates paused".into()),
        ConnectionState::Disconnected => Some("Offline".into()),
    }
}

fn debug_requested() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|search| search.split(['?', '&']).any(|pair| pair == "debug=sse"))
}

/// The indicator. It reads only the state and the attempt, so the events that flow while
/// live do not re-render it; the debug panel, which shows them, is a component of its own.
#[component]
pub fn ConnectionIndicator() -> Html {
    crate::render_count::count_render();
    let shown = use_selector(|store: &ConnectionStore| (store.state, store.attempt));
    let (state, attempt) = *shown;
    let busy = matches!(state, ConnectionState::Connecting | ConnectionState::Reconnecting);
    let retry = Callback::from(|_: MouseEvent| send(AgentInput::RetryNow));
    let text = describe(state, attempt);
    html! {
        <div class="connection" data-testid="connection-indicator" data-state={state.as_str()}>
            <span class="connection-text" aria-live="polite" role="status">
                if busy {
                    <span class="spinner" aria-hidden="true"></span>
                }
                { text.unwrap_or_default() }
            </span>
            if state == ConnectionState::Error {
                <button type="button" class="button-quiet button-small" onclick={retry}>{ "Retry" }</button>
            }
            if debug_requested() {
                <DebugPanel />
            }
        </div>
    }
}

/// The whole connection store, for `?debug=sse`.
#[component]
fn DebugPanel() -> Html {
    crate::render_count::count_render();
    let store = use_store_value::<ConnectionStore>();
    html! { <pre class="debug-panel" data-testid="sse-debug">{ store.debug_text() }</pre> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_reads_plainly() {
        assert_eq!(describe(ConnectionState::Disconnected, 0).as_deref(), Some("Offline"));
        assert_eq!(describe(ConnectionState::Connected, 0), None, "nothing while live");
        assert_eq!(describe(ConnectionState::Reconnecting, 3).as_deref(), Some("Reconnecting (attempt 3)…"));
        assert_eq!(describe(ConnectionState::Reconnecting, 0).as_deref(), Some("Reconnecting (attempt 1)…"));
        assert_eq!(describe(ConnectionState::Error, 10).as_deref(), Some("Live updates paused"));
        assert_eq!(describe(ConnectionState::Connecting, 0).as_deref(), Some("Connecting…"));
    }
}
