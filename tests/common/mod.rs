//! Helpers for browser tests: mount a component under the app's providers, find elements.

#![allow(dead_code)]

use tandem::stores::StoreRoot;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::prelude::*;
use yew_router::history::{AnyHistory, History, MemoryHistory};
use yew_router::Router;

/// Props of [`Harness`].
#[derive(Properties, PartialEq)]
pub struct HarnessProps {
    /// The URL the router starts at.
    pub url: AttrValue,
    pub children: Html,
}

/// The app's providers around a page, with an in-memory router at `url`.
#[component]
pub fn Harness(props: &HarnessProps) -> Html {
    let history = use_memo(props.url.clone(), |url| memory_history_at(url));
    html! {
        <StoreRoot>
            <Router history={(*history).clone()}>{ props.children.clone() }</Router>
        </StoreRoot>
    }
}

/// An in-memory history whose current entry is `url` (path and optional query).
pub fn memory_history_at(url: &str) -> AnyHistory {
    let history = MemoryHistory::new();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).expect("a valid query");
    history.replace_with_query(path, pairs).expect("the history accepts the URL");
    AnyHistory::from(history)
}

/// A fresh element in the document to render into.
pub fn fresh_root() -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// A rendered app and its root; destroy it to unmount everything (agents included).
pub struct Mounted {
    pub root: Element,
    pub app: yew::AppHandle<MountRoot>,
}

/// Props of [`MountRoot`].
#[derive(Properties, PartialEq)]
pub struct MountProps {
    url: AttrValue,
    html: Html,
}

/// The harness around a test's markup.
#[component]
pub fn MountRoot(props: &MountProps) -> Html {
    html! { <Harness url={props.url.clone()}>{ props.html.clone() }</Harness> }
}

/// Like [`render`], keeping the app so the test can destroy it.
pub async fn mount(url: &str, html: Html) -> Mounted {
    let root = fresh_root();
    let app = yew::Renderer::<MountRoot>::with_root_and_props(
        root.clone(),
        MountProps { url: AttrValue::from(url.to_owned()), html },
    )
    .render();
    yew::scheduler::flush().await;
    Mounted { root, app }
}

/// Renders `html` at `url` into a fresh root and lets Yew finish.
pub async fn render(url: &str, html: Html) -> Element {
    #[derive(Properties, PartialEq)]
    struct Wrapper {
        url: AttrValue,
        html: Html,
    }
    #[component]
    fn Mount(props: &Wrapper) -> Html {
        html! { <Harness url={props.url.clone()}>{ props.html.clone() }</Harness> }
    }
    let root = fresh_root();
    yew::Renderer::<Mount>::with_root_and_props(root.clone(), Wrapper { url: AttrValue::from(url.to_owned()), html })
        .render();
    yew::scheduler::flush().await;
    root
}

/// The first element matching `selector`, or a panic naming it.
pub fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no element matches {selector}"))
}

/// Whether something matches `selector`.
pub fn exists(root: &Element, selector: &str) -> bool {
    root.query_selector(selector).unwrap().is_some()
}

/// Clicks an element and lets Yew re-render.
pub async fn click(root: &Element, selector: &str) {
    find(root, selector).dyn_into::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
}

/// Types into an input the way a person does (value, then an `input` event).
pub async fn type_into(root: &Element, selector: &str, text: &str) {
    let input: HtmlInputElement = find(root, selector).dyn_into().unwrap();
    input.set_value(text);
    let event = web_sys::Event::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
    yew::scheduler::flush().await;
}

/// Text content of the first match.
pub fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

/// Waits until `condition` holds, letting timers, fetches and renders run in between; fails
/// after about two seconds.
pub async fn wait_for(condition: impl Fn() -> bool) {
    for _ in 0..400 {
        yew::scheduler::flush().await;
        if condition() {
            return;
        }
        gloo::timers::future::TimeoutFuture::new(5).await;
    }
    panic!("condition not reached in time");
}

/// One answer of [`fake_server`]: to `method` on a URL containing `path`.
pub struct FakeRoute<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
    pub body: String,
}

/// An answer of the fake server.
pub fn answer<'a>(method: &'static str, path: &'a str, status: u16, body: impl Into<String>) -> FakeRoute<'a> {
    FakeRoute { method, path, status, body: body.into() }
}

/// Stands in for the server: `window.fetch` answers the first route whose method matches and
/// whose path the URL contains (routes given later replace earlier ones), else 404 `NOT
/// FOUND`; every request is recorded for [`requests`].
pub fn fake_server(routes: &[FakeRoute<'_>]) {
    let routes: Vec<serde_json::Value> = routes
        .iter()
        .map(|r| serde_json::json!({"method": r.method, "path": r.path, "status": r.status, "body": r.body}))
        .collect();
    let install = js_sys::Function::new_with_args(
        "routes",
        "window.__fakeRoutes = JSON.parse(routes);
         window.__requests = window.__requests || [];
         window.fetch = async (request) => {
           const body = request.method === 'GET' ? '' : await request.clone().text();
           window.__requests.push({ method: request.method, url: request.url, body });
           const route = window.__fakeRoutes.find((r) => r.method === request.method && request.url.includes(r.path));
           return route
             ? new Response(route.body, { status: route.status, headers: { 'Content-Type': 'application/json' } })
             : new Response('NOT FOUND', { status: 404 });
         };",
    );
    install.call1(&wasm_bindgen::JsValue::NULL, &serde_json::Value::from(routes).to_string().into()).unwrap();
}

/// The requests the fake server received since the last call, as (method, URL, body).
pub fn requests() -> Vec<(String, String, String)> {
    let take = js_sys::Function::new_no_args(
        "const taken = JSON.stringify(window.__requests || []); window.__requests = []; return taken;",
    );
    let text = take.call0(&wasm_bindgen::JsValue::NULL).unwrap().as_string().unwrap();
    let list: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    list.iter()
        .map(|r| {
            let field = |name: &str| r[name].as_str().unwrap_or_default().to_owned();
            (field("method"), field("url"), field("body"))
        })
        .collect()
}

/// A `{"status_code": 200, "data": …}` answer.
pub fn envelope(data: serde_json::Value) -> String {
    serde_json::json!({"status_code": 200, "data": data}).to_string()
}

/// Chooses `value` in a select the way a person does (value, then a `change` event).
pub async fn choose(root: &Element, selector: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = find(root, selector).dyn_into().unwrap();
    select.set_value(value);
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    yew::scheduler::flush().await;
}

/// Submits a form through its submit button.
pub async fn submit(root: &Element, form: &str) {
    click(root, &format!("{form} button[type=submit]")).await;
}
