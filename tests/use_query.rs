//! `use_query` in a real browser: deduplication, stale-while-revalidate, errors,
//! write-through, and refetching only what is on screen.

#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::*;
use tandem::api::ApiError;
use tandem::hooks::use_query;
use tandem::stores::cache::{CacheKey, CacheStore};
use tandem::stores::{dispatch, scopes};
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fake server for one test: counts requests and answers what `answer` holds.
#[derive(Clone)]
struct FakeServer {
    requests: Rc<Cell<usize>>,
    answer: Rc<RefCell<Result<Vec<String>, ApiError>>>,
    /// While true, answers wait (a slow network).
    slow: Rc<Cell<bool>>,
}

impl Default for FakeServer {
    fn default() -> Self {
        FakeServer { requests: Rc::default(), answer: Rc::new(RefCell::new(Ok(Vec::new()))), slow: Rc::default() }
    }
}

impl PartialEq for FakeServer {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.requests, &other.requests)
    }
}

impl FakeServer {
    fn answering(items: &[&str]) -> Self {
        let server = FakeServer::default();
        server.set(items);
        server
    }

    fn set(&self, items: &[&str]) {
        *self.answer.borrow_mut() = Ok(items.iter().map(|s| s.to_string()).collect());
    }
}

#[derive(Properties, PartialEq)]
struct ListProps {
    name: AttrValue,
    path: AttrValue,
    server: FakeServer,
}

/// Shows what `use_query` gives, in plain attributes the test can read.
#[component]
fn List(props: &ListProps) -> Html {
    let server = props.server.clone();
    let query = use_query(CacheKey::path_only(props.path.to_string()), move |_key| {
        let server = server.clone();
        async move {
            server.requests.set(server.requests.get() + 1);
            while server.slow.get() {
                gloo::timers::future::TimeoutFuture::new(5).await;
            }
            server.answer.borrow().clone()
        }
    });
    let items = query.data.as_ref().map(|items| items.join(",")).unwrap_or_default();
    html! {
        <div class="list" data-name={props.name.clone()} data-loading={query.is_loading.to_string()}
            data-revalidating={query.is_revalidating.to_string()}
            data-error={query.error.as_ref().map(ApiError::message).unwrap_or_default()}>
            { items }
        </div>
    }
}

fn list(root: &web_sys::Element, name: &str) -> web_sys::Element {
    find(root, &format!(".list[data-name={name}]"))
}

#[wasm_bindgen_test]
async fn two_components_asking_for_one_key_make_one_request() {
    let server = FakeServer::answering(&["a", "b"]);
    let root = render(
        "/",
        html! {
            <>
                <List name="first" path="/dedupe" server={server.clone()} />
                <List name="second" path="/dedupe" server={server.clone()} />
            </>
        },
    )
    .await;
    wait_for(|| list(&root, "first").text_content().unwrap_or_default() == "a,b").await;
    assert_eq!(list(&root, "second").text_content().unwrap(), "a,b");
    assert_eq!(server.requests.get(), 1);
}

#[wasm_bindgen_test]
async fn data_stays_on_screen_while_revalidating() {
    let server = FakeServer::answering(&["old"]);
    let root = render("/", html! { <List name="swr" path="/swr" server={server.clone()} /> }).await;
    wait_for(|| list(&root, "swr").text_content().unwrap_or_default() == "old").await;

    server.slow.set(true);
    server.set(&["new"]);
    scopes::invalidate(Rc::new(|key: &CacheKey| key.path() == "/swr"));
    wait_for(|| list(&root, "swr").get_attribute("data-revalidating").as_deref() == Some("true")).await;
    assert_eq!(list(&root, "swr").text_content().unwrap(), "old", "no blank while revalidating");
    assert_eq!(list(&root, "swr").get_attribute("data-loading").as_deref(), Some("false"));

    server.slow.set(false);
    wait_for(|| list(&root, "swr").text_content().unwrap_or_default() == "new").await;
    assert_eq!(server.requests.get(), 2);
}

#[wasm_bindgen_test]
async fn errors_are_shown_and_keep_the_last_good_data() {
    let server = FakeServer::default();
    *server.answer.borrow_mut() = Err(ApiError::Forbidden);
    let root = render("/", html! { <List name="err" path="/errors" server={server.clone()} /> }).await;
    wait_for(|| list(&root, "err").get_attribute("data-error").is_some_and(|e| !e.is_empty())).await;
    assert_eq!(list(&root, "err").get_attribute("data-error").unwrap(), "You don't have access to this.");

    server.set(&["fine"]);
    scopes::invalidate(Rc::new(|key: &CacheKey| key.path() == "/errors"));
    wait_for(|| list(&root, "err").text_content().unwrap_or_default() == "fine").await;
    *server.answer.borrow_mut() = Err(ApiError::Server(503));
    scopes::invalidate(Rc::new(|key: &CacheKey| key.path() == "/errors"));
    wait_for(|| list(&root, "err").get_attribute("data-error").is_some_and(|e| e.contains("server"))).await;
    assert_eq!(list(&root, "err").text_content().unwrap(), "fine", "the last good data stays");
}

#[wasm_bindgen_test]
async fn a_write_through_updates_the_list_without_a_request() {
    let server = FakeServer::answering(&["one"]);
    let root = render("/", html! { <List name="wt" path="/write-through" server={server.clone()} /> }).await;
    wait_for(|| list(&root, "wt").text_content().unwrap_or_default() == "one").await;
    scopes::write_through::<Vec<String>>(Rc::new(|key: &CacheKey| key.path() == "/write-through"), |_, old| {
        let mut new = old.clone();
        new.push("two".into());
        Some(new)
    });
    yew::scheduler::flush().await;
    assert_eq!(list(&root, "wt").text_content().unwrap(), "one,two");
    assert_eq!(server.requests.get(), 1);
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
            <List name="always" path="/mounted/always" server={props.always.clone()} />
            if props.show {
                <List name="sometimes" path="/mounted/sometimes" server={props.sometimes.clone()} />
            }
        </Harness>
    }
}

#[wasm_bindgen_test]
async fn invalidation_refetches_only_what_is_on_screen() {
    let (always, sometimes) = (FakeServer::answering(&["A"]), FakeServer::answering(&["S"]));
    let root = fresh_root();
    let props = |show| ToggleProps { show, always: always.clone(), sometimes: sometimes.clone() };
    let mut app = yew::Renderer::<MaybeShown>::with_root_and_props(root.clone(), props(true)).render();
    wait_for(|| root.text_content().unwrap_or_default() == "AS").await;
    // Hide one list: its entry stays in the cache, unmounted.
    app.update(props(false));
    wait_for(|| root.text_content().unwrap_or_default() == "A").await;
    assert_eq!((always.requests.get(), sometimes.requests.get()), (1, 1));

    scopes::invalidate(Rc::new(|key: &CacheKey| key.path().starts_with("/mounted/")));
    wait_for(|| always.requests.get() == 2).await;
    yew::scheduler::flush().await;
    assert_eq!(sometimes.requests.get(), 1, "a hidden entry is only marked stale");
    let cache = dispatch::<CacheStore>().get();
    let hidden = cache.entry(&CacheKey::path_only("/mounted/sometimes")).map(|e| (e.stale, e.mounted));
    assert_eq!(hidden, Some((true, 0)));

    // Shown again, it refetches.
    app.update(props(true));
    wait_for(|| sometimes.requests.get() == 2).await;
}

#[derive(Properties, PartialEq)]
struct AddProps {
    server: FakeServer,
    /// What the write answers: the new item, or a refusal.
    outcome: Result<AttrValue, ApiError>,
}

/// A list plus a button that adds an item through `use_mutation`.
#[component]
fn ListWithAdd(props: &AddProps) -> Html {
    let outcome = props.outcome.clone();
    let add = tandem::hooks::use_mutation(
        move |()| {
            let outcome = outcome.clone();
            async move { outcome.map(|item| item.to_string()) }
        },
        |item: &String| {
            let item = item.clone();
            scopes::write_through::<Vec<String>>(Rc::new(|key: &CacheKey| key.path() == "/mutation"), move |_, old| {
                let mut new = old.clone();
                new.push(item.clone());
                Some(new)
            });
        },
    );
    let onclick = add.run.reform(|_: MouseEvent| ());
    html! {
        <>
            <List name="m" path="/mutation" server={props.server.clone()} />
            <button id="add" {onclick} disabled={add.pending}>{ "Add" }</button>
            if let Some(error) = &add.error {
                <p id="add-error">{ error.message() }</p>
            }
        </>
    }
}

#[wasm_bindgen_test]
async fn a_mutation_writes_its_answer_through_and_a_refusal_changes_nothing() {
    let server = FakeServer::answering(&["first"]);
    let root = render(
        "/",
        html! { <ListWithAdd server={server.clone()} outcome={Ok::<AttrValue, ApiError>("second".into())} /> },
    )
    .await;
    wait_for(|| list(&root, "m").text_content().unwrap_or_default() == "first").await;
    click(&root, "#add").await;
    wait_for(|| list(&root, "m").text_content().unwrap_or_default() == "first,second").await;
    assert_eq!(server.requests.get(), 1, "the list shows the answer without refetching");

    let refused = render("/", html! {
        <ListWithAdd server={server.clone()} outcome={Err::<AttrValue, ApiError>(ApiError::Validation("The body is too long: at most 10000 characters.".into()))} />
    })
    .await;
    click(&refused, "#add").await;
    wait_for(|| exists(&refused, "#add-error")).await;
    assert_eq!(text(&refused, "#add-error"), "The body is too long: at most 10000 characters.");
    assert_eq!(list(&refused, "m").text_content().unwrap(), "first,second", "the cache is as it was");
}
