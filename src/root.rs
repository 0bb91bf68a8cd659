//! What the roots of the three apps share ([`crate::app::App`],
//! [`crate::session_app::SessionApp`], [`crate::accounts_app::AccountsApp`]): the store
//! context, the theme, the router, the SSE agent (so live events reach every page of every
//! app) and which app runs ([`Running`]); and [`start`], their `main`.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::navigation::Running;
use crate::realtime::{Follower, SseAgent};
use crate::routes::Part;
use crate::stores::preferences::Preferences;
use crate::stores::StoreRoot;

/// Starts an app: the render count, the session's 401 path, the current page's requests, then
/// `R` mounted on the page (see [`crate::preload`]).
pub fn start<R>()
where
    R: BaseComponent,
    R::Properties: Default,
{
    crate::render_count::expose();
    crate::session::install();
    crate::preload::current_page_then(|| {
        yew::Renderer::<R>::new().render();
    });
}

/// Props of [`AppRoot`].
#[derive(Properties, PartialEq)]
pub struct AppRootProps {
    /// Which app this is.
    pub part: Part,
    /// The app's part that follows the event stream beside the cache, if it has one.
    #[prop_or_default]
    pub follower: Option<Follower>,
    /// The app's router switch.
    pub children: Html,
}

/// Stores, theme, router, SSE agent; the app's pages inside.
#[component]
pub fn AppRoot(props: &AppRootProps) -> Html {
    crate::render_count::count_render();
    let running = use_memo(props.part, |part| Running::here(*part));
    html! {
        <StoreRoot>
            <ThemeFollower />
            <ContextProvider<Running> context={(*running).clone()}>
                <BrowserRouter>
                    <SseAgent follower={props.follower} />
                    { props.children.clone() }
                </BrowserRouter>
            </ContextProvider<Running>>
        </StoreRoot>
    }
}

/// Keeps the page in the theme chosen on this browser (in every tab: preferences sync).
#[component]
fn ThemeFollower() -> Html {
    let theme = yewdux::use_selector(|preferences: &Preferences| preferences.theme);
    use_effect_with(*theme, |theme| crate::theme::apply(*theme));
    Html::default()
}
