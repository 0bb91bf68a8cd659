//! Render-as-you-fetch: before the app draws anything, start the requests the page in the
//! address bar will make, so they travel together instead of one after another as each
//! component appears (organizations → relationships → sessions), and draw the page once
//! they have answered, with its content, instead of a loading state first.
//!
//! Only what the browser already knows is used: the signed-in person and their remembered
//! organization and relationship. A guess that turns out wrong (a relationship no longer
//! theirs) costs one unused request; the page then asks for the right data itself.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use tandem_protocol::{OrganizationStatus, UserId};
use yew_router::Routable;

use crate::api::resources;
use crate::hooks::Prefetch;
use crate::pages::dashboard;
use crate::routes::Route;
use crate::stores::auth::AuthStore;
use crate::stores::dispatch;
use crate::stores::preferences::{Choice, Preferences};

/// How long the first drawing waits for the page's data. A slow answer is not worth a blank
/// page: after this the page draws its loading state and the data follows.
const WAIT_AT_MOST_MS: u32 = 100;

/// The requests of `route` for the person `me`, who last worked in `choice`.
pub fn plan(route: &Route, me: UserId, choice: Choice) -> Vec<Prefetch> {
    let mut requests = Vec::new();
    let workspace = |requests: &mut Vec<Prefetch>| {
        requests.push(Prefetch::of(resources::organizations(me)));
        if let Some(organization) = choice.organization {
            requests.push(Prefetch::of(resources::relationships(organization)));
        }
    };
    match route {
        Route::Dashboard => {
            workspace(&mut requests);
            if let Some(relationship) = choice.relationship {
                let query = dashboard::sessions_query(relationship);
                requests.push(Prefetch::of(resources::sessions(query)));
            }
        }
        Route::CoachingSession { id } => {
            workspace(&mut requests);
            requests.push(Prefetch::of(resources::session(*id)));
            requests.push(Prefetch::of(resources::agreements(*id)));
            requests.push(Prefetch::of(resources::actions(*id)));
            requests.push(Prefetch::of(resources::session_goals(*id)));
            requests.push(Prefetch::of(resources::notes(*id)));
        }
        Route::Actions => workspace(&mut requests),
        Route::Settings => {
            workspace(&mut requests);
            requests.push(Prefetch::of(resources::user(me)));
        }
        Route::Members { id } => {
            workspace(&mut requests);
            requests.push(Prefetch::of(resources::members(*id)));
            requests.push(Prefetch::of(resources::relationships(*id)));
        }
        Route::AdminOrganizations => {
            workspace(&mut requests);
            requests.push(Prefetch::of(resources::all_organizations(OrganizationStatus::Active)));
        }
        Route::Home
        | Route::Login
        | Route::NotFound
        | Route::Setup { .. }
        | Route::ForgotPassword
        | Route::ResetPassword { .. } => {}
    }
    requests
}

/// The requests of the page at `path`, when someone is signed in.
fn plan_for(path: &str) -> Vec<Prefetch> {
    let Some(me) = dispatch::<AuthStore>().get().user.as_ref().map(|user| user.id) else { return Vec::new() };
    let Some(route) = Route::recognize(path) else { return Vec::new() };
    plan(&route, me, dispatch::<Preferences>().get().of(me))
}

/// Starts the requests of the page the browser is on, then calls `draw` when they have
/// answered or after `WAIT_AT_MOST_MS` (100 ms), whichever comes first; requests still on their
/// way carry on.
pub fn current_page_then(draw: impl FnOnce() + 'static) {
    let path = web_sys::window().and_then(|window| window.location().pathname().ok()).unwrap_or_default();
    let requests: Vec<_> = plan_for(&path).iter().filter_map(Prefetch::start).collect();
    if requests.is_empty() {
        draw();
        return;
    }
    let draw = DrawOnce::new(draw);
    let waiting = Rc::new(Cell::new(requests.len()));
    for request in requests {
        let (draw, waiting) = (draw.clone(), waiting.clone());
        wasm_bindgen_futures::spawn_local(async move {
            request.await;
            waiting.set(waiting.get() - 1);
            if waiting.get() == 0 {
                draw.now();
            }
        });
    }
    Timeout::new(WAIT_AT_MOST_MS, move || draw.now()).forget();
}

/// The first drawing, done by whichever comes first: the last answer or the time limit.
#[derive(Clone)]
struct DrawOnce(Rc<RefCell<Option<Draw>>>);

type Draw = Box<dyn FnOnce()>;

impl DrawOnce {
    fn new(draw: impl FnOnce() + 'static) -> Self {
        DrawOnce(Rc::new(RefCell::new(Some(Box::new(draw)))))
    }

    fn now(&self) {
        let draw = self.0.borrow_mut().take();
        if let Some(draw) = draw {
            draw();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::{CoachingRelationshipId, CoachingSessionId, OrganizationId};
    use uuid::Uuid;

    fn urls(route: Route, choice: Choice) -> Vec<String> {
        plan(&route, UserId::from_uuid(Uuid::nil()), choice).iter().map(|p| p.key().url()).collect()
    }

    #[test]
    fn the_dashboard_asks_for_the_remembered_workspace_and_its_sessions_at_once() {
        let organization = OrganizationId::from_uuid(Uuid::from_u128(1));
        let relationship = CoachingRelationshipId::from_uuid(Uuid::from_u128(2));
        let choice = Choice { organization: Some(organization), relationship: Some(relationship), picked: false };
        let urls = urls(Route::Dashboard, choice);
        assert_eq!(urls.len(), 3);
        assert_eq!(urls[0], resources::organizations(UserId::from_uuid(Uuid::nil())).key().url());
        assert_eq!(urls[1], resources::relationships(organization).key().url());
        assert_eq!(urls[2], resources::sessions(dashboard::sessions_query(relationship)).key().url());
    }

    #[test]
    fn without_a_remembered_choice_only_the_organizations_are_asked_for() {
        assert_eq!(urls(Route::Dashboard, Choice::default()).len(), 1);
        assert_eq!(urls(Route::Actions, Choice::default()).len(), 1);
    }

    #[test]
    fn a_session_page_asks_for_the_session_and_everything_on_it() {
        let id = CoachingSessionId::from_uuid(Uuid::from_u128(3));
        let urls = urls(Route::CoachingSession { id }, Choice::default());
        let expected = [
            resources::session(id).key().url(),
            resources::agreements(id).key().url(),
            resources::actions(id).key().url(),
            resources::session_goals(id).key().url(),
            resources::notes(id).key().url(),
        ];
        for url in expected {
            assert!(urls.contains(&url), "{url} missing from {urls:?}");
        }
    }

    #[test]
    fn administration_pages_ask_for_their_lists_at_once() {
        let organization = OrganizationId::from_uuid(Uuid::from_u128(4));
        let members = urls(Route::Members { id: organization }, Choice::default());
        assert!(members.contains(&resources::members(organization).key().url()));
        assert!(members.contains(&resources::relationships(organization).key().url()));
        let me = UserId::from_uuid(Uuid::nil());
        assert!(urls(Route::Settings, Choice::default()).contains(&resources::user(me).key().url()));
    }

    #[test]
    fn public_pages_ask_for_nothing() {
        for route in [
            Route::Home,
            Route::Login,
            Route::NotFound,
            Route::ForgotPassword,
            Route::Setup { token: "t".into() },
            Route::ResetPassword { token: "t".into() },
        ] {
            assert!(urls(route, Choice::default()).is_empty());
        }
    }
}
