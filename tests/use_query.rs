//! Reading resources through the cache in a real browser: deduplication,
//! stale-while-revalidate, errors, writes through the event table, refetching only what is
//! on screen, and re-rendering only the components whose entry changed.

#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::*;
use tandem::api::resources;
use tandem::api::ApiError;
use tandem::hooks::use_query_when;
use tandem::stores::cache::CacheStore;
use tandem::stores::{dispatch, effects, written};
use tandem_protocol::{Agreement, AgreementId, CoachingSessionId, UserId};
use uuid::Uuid;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A session of each test's own: the cache is shared by the tests of this file.
fn session(n: u128) -> CoachingSessionId {
    CoachingSessionId(Uuid::from_u128(0xabc0 + n))
}

/// An agreement of `session` whose id is derived from its body, at `version` seconds.
fn agreement(session: CoachingSessionId, body: &str, version: i64) -> Agreement {
    let id = body.bytes().fold(7u128, |hash, b| hash.wrapping_mul(31).wrapping_add(u128::from(b)));
    let at = chrono::DateTime::from_timestamp(1_790_000_000 + version, 0).unwrap();
    Agreement {
        id: AgreementId(Uuid::from_u128(id)),
        coaching_session_id: session,
        body: Some(body.into()),
        user_id: UserId(Uuid::from_u128(1)),
        created_at: at,
        updated_at: at,
    }
}

/// A fake server for one test: counts requests and answers the agreements in `answer`.
#[derive(Clone)]
struct FakeServer {
    requests: Rc<Cell<usize>>,
    answer: Rc<RefCell<Result<Vec<Agreement>, ApiError>>>,
    /// While true, answers wait (a slow network).
    slow: Rc<Cell<bool>>,
}

impl PartialEq for FakeServer {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.requests, &other.requests)
    }
}

impl FakeServer {
    fn answering(session: CoachingSessionId, bodies: &[&str]) -> Self {
        let server =
            FakeServer { requests: Rc::default(), answer: Rc::new(RefCell::new(Ok(Vec::new()))), slow: Rc::default() };
        server.set(session, bodies);
        server
    }

    fn set(&self, session: CoachingSessionId, bodies: &[&str]) {
        *self.answer.borrow_mut() = Ok(bodies.iter().map(|body| agreement(session, body, 1)).collect());
    }
}

#[derive(Properties, PartialEq)]
struct ListProps {
    name: AttrValue,
    session: CoachingSessionId,
    server: FakeServer,
    /// Counts this list's renders.
    #[prop_or_default]
    renders: Rc<Cell<usize>>,
}

/// Shows the agreements of a session, in plain attributes the test can read, and a button
/// that refreshes them.
#[component]
fn List(props: &ListProps) -> Html {
    props.renders.set(props.renders.get() + 1);
    let server = props.server.clone();
    let query = use_query_when(Some(resources::agreements(props.session)), move |_key| {
        let server = server.clone();
        async move {
            server.requests.set(server.requests.get() + 1);
            while server.slow.get() {
                gloo::timers::future::TimeoutFuture::new(5).await;
            }
            server.answer.borrow().clone()
        }
    });
    let bodies: Vec<String> =
        query.data.as_ref().map(|list| list.iter().filter_map(|a| a.body.clone()).collect()).unwrap_or_default();
    let refresh = query.refresh.reform(|_: MouseEvent| ());
    html! {
        <div class="list" data-name={props.name.clone()} data-loading={query.is_loading.to_string()}
            data-revalidating={query.is_revalidating.to_string()}
            data-error={query.error.as_ref().map(ApiError::message).unwrap_or_default()}>
            <span class="bodies">{ bodies.join(",") }</span>
            <button class="refresh" onclick={refresh}>{ "Refresh" }</button>
        </div>
    }
}

fn bodies(root: &web_sys::Element, name: &str) -> String {
    text(root, &format!(".list[data-name={name}] .bodies"))
}

fn attribute(root: &web_sys::Element, name: &str, attribute: &str) -> Option<String> {
    find(root, &format!(".list[data-name={name}]")).get_attribute(attribute)
}

#[wasm_bindgen_test]
async fn two_components_asking_for_one_resource_make_one_request() {
    let s = session(1);
    let server = FakeServer::answering(s, &["a", "b"]);
    let root = render(
        "/",
        html! {
            <>
                <List name="first" session={s} server={server.clone()} />
                <List name="second" session={s} server={server.clone()} />
            </>
        },
    )
    .await;
    wait_for(|| bodies(&root, "first") == "a,b").await;
    assert_eq!(bodies(&root, "second"), "a,b");
    assert_eq!(server.requests.get(), 1);
}

#[wasm_bindgen_test]
async fn data_stays_on_screen_while_revalidating() {
    let s = session(2);
    let server = FakeServer::answering(s, &["old"]);
    let root = render("/", html! { <List name="swr" session={s} server={server.clone()} /> }).await;
    wait_for(|| bodies(&root, "swr") == "old").await;

    server.slow.set(true);
    server.set(s, &["new"]);
    click(&root, ".list[data-name=swr] .refresh").await;
    wait_for(|| attribute(&root, "swr", "data-revalidating").as_deref() == Some("true")).await;
    assert_eq!(bodies(&root, "swr"), "old", "no blank while revalidating");
    assert_eq!(attribute(&root, "swr", "data-loading").as_deref(), Some("false"));

    server.slow.set(false);
    wait_for(|| bodies(&root, "swr") == "new").await;
    assert_eq!(server.requests.get(), 2);
}

#[wasm_bindgen_test]
async fn errors_are_shown_and_keep_the_last_good_data() {
    let s = session(3);
    let server = FakeServer::answering(s, &[]);
    *server.answer.borrow_mut() = Err(ApiError::Forbidden);
    let root = render("/", html! { <List name="err" session={s} server={server.clone()} /> }).await;
    wait_for(|| attribute(&root, "err", "data-error").is_some_and(|e| !e.is_empty())).await;
    assert_eq!(attribute(&root, "err", "data-error").unwrap(), "You don't have access to this.");

    server.set(s, &["fine"]);
    click(&root, ".list[data-name=err] .refresh").await;
    wait_for(|| bodies(&root, "err") == "fine").await;
    *server.answer.borrow_mut() = Err(ApiError::Server(503));
    click(&root, ".list[data-name=err] .refresh").await;
    wait_for(|| attribute(&root, "err", "data-error").is_some_and(|e| e.contains("server"))).await;
    assert_eq!(bodies(&root, "err"), "fine", "the last good data stays");
}

#[wasm_bindgen_test]
async fn a_write_lands_without_a_request_and_an_older_one_refetches() {
    let s = session(4);
    let server = FakeServer::answering(s, &["one"]);
    let root = render("/", html! { <List name="wt" session={s} server={server.clone()} /> }).await;
    wait_for(|| bodies(&root, "wt") == "one").await;
    written::agreement_saved(&agreement(s, "two", 2));
    yew::scheduler::flush().await;
    assert_eq!(bodies(&root, "wt"), "one,two");
    assert_eq!(server.requests.get(), 1, "the entity came with the write");

    // A version of "one" older than the cached one is not shown: the list is fetched again.
    let mut older = agreement(s, "one", 0);
    older.body = Some("one, as it was before".into());
    server.set(s, &["one", "two"]);
    written::agreement_saved(&older);
    wait_for(|| server.requests.get() == 2).await;
    wait_for(|| bodies(&root, "wt") == "one,two").await;
}

#[derive(Properties, PartialEq)]
struct ToggleProps {
    show: bool,
    always: FakeServer,
    sometimes: FakeServer,
}

#[component]
fn MaybeShown(props: &ToggleProps) -> Html {
    html! {
        <Harness url="/">
            <List name="always" session={session(5)} server={props.always.clone()} />
            if props.show {
                <List name="sometimes" session={session(6)} server={props.sometimes.clone()} />
            }
        </Harness>
    }
}

#[wasm_bindgen_test]
async fn revalidation_refetches_only_what_is_on_screen() {
    let (always, sometimes) = (FakeServer::answering(session(5), &["A"]), FakeServer::answering(session(6), &["S"]));
    let root = fresh_root();
    let props = |show| ToggleProps { show, always: always.clone(), sometimes: sometimes.clone() };
    let mut app = yew::Renderer::<MaybeShown>::with_root_and_props(root.clone(), props(true)).render();
    wait_for(|| bodies(&root, "always") == "A" && bodies(&root, "sometimes") == "S").await;
    // Hide one list: its entry stays in the cache, unmounted.
    app.update(props(false));
    wait_for(|| !exists(&root, ".list[data-name=sometimes]")).await;
    assert_eq!((always.requests.get(), sometimes.requests.get()), (1, 1));

    effects::revalidate_everything();
    wait_for(|| always.requests.get() == 2).await;
    yew::scheduler::flush().await;
    assert_eq!(sometimes.requests.get(), 1, "a hidden entry is only marked stale");
    let cache = dispatch::<CacheStore>().get();
    let hidden = cache.entry(resources::agreements(session(6)).key()).map(|e| (e.stale, e.mounted));
    assert_eq!(hidden, Some((true, 0)));

    // Shown again, it refetches.
    app.update(props(true));
    wait_for(|| sometimes.requests.get() == 2).await;
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_change_re_renders_only_the_components_showing_that_entry() {
    let (mine, theirs) = (session(7), session(8));
    let (my_renders, their_renders) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let root = render(
        "/",
        html! {
            <>
                <List name="mine" session={mine} server={FakeServer::answering(mine, &["m"])} renders={my_renders.clone()} />
                <List name="theirs" session={theirs} server={FakeServer::answering(theirs, &["t"])} renders={their_renders.clone()} />
            </>
        },
    )
    .await;
    wait_for(|| bodies(&root, "mine") == "m" && bodies(&root, "theirs") == "t").await;
    let (mine_before, theirs_before) = (my_renders.get(), their_renders.get());
    written::agreement_saved(&agreement(mine, "m2", 2));
    wait_for(|| bodies(&root, "mine") == "m,m2").await;
    assert_eq!(my_renders.get(), mine_before + 1, "one render for one change");
    assert_eq!(their_renders.get(), theirs_before, "another session's list does not re-render");
}

#[derive(Properties, PartialEq)]
struct AddProps {
    session: CoachingSessionId,
    server: FakeServer,
    /// What the write answers: the new item, or a refusal.
    outcome: Result<AttrValue, ApiError>,
}

/// A list plus a button that adds an agreement through `use_mutation`.
#[component]
fn ListWithAdd(props: &AddProps) -> Html {
    let (outcome, session) = (props.outcome.clone(), props.session);
    let add = tandem::hooks::use_mutation(
        move |()| {
            let outcome = outcome.clone();
            async move { outcome.map(|body| agreement(session, &body, 2)) }
        },
        written::agreement_saved,
    );
    let onclick = add.run.reform(|_: MouseEvent| ());
    html! {
        <>
            <List name="m" session={props.session} server={props.server.clone()} />
            <button id="add" {onclick} disabled={add.pending}>{ "Add" }</button>
            if let Some(error) = &add.error {
                <p id="add-error">{ error.message() }</p>
            }
        </>
    }
}

#[wasm_bindgen_test]
async fn a_mutation_writes_its_answer_through_and_a_refusal_changes_nothing() {
    let s = session(9);
    let server = FakeServer::answering(s, &["first"]);
    let root = render(
        "/",
        html! { <ListWithAdd session={s} server={server.clone()} outcome={Ok::<AttrValue, ApiError>("second".into())} /> },
    )
    .await;
    wait_for(|| bodies(&root, "m") == "first").await;
    click(&root, "#add").await;
    wait_for(|| bodies(&root, "m") == "first,second").await;
    assert_eq!(server.requests.get(), 1, "the list shows the answer without refetching");

    let refused = render("/", html! {
        <ListWithAdd session={s} server={server.clone()} outcome={Err::<AttrValue, ApiError>(ApiError::Validation("The body is too long: at most 10000 characters.".into()))} />
    })
    .await;
    click(&refused, "#add").await;
    wait_for(|| exists(&refused, "#add-error")).await;
    assert_eq!(text(&refused, "#add-error"), "The body is too long: at most 10000 characters.");
    assert_eq!(text(&refused, ".list[data-name=m] .bodies"), "first,second", "the cache is as it was");
}
