//! A link to a page of any of the apps: through the router when the running app serves the
//! page, else a plain link, which the browser loads in full (the server then hands out the
//! page's app; see [`crate::routes::Part`]).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::navigation::use_running;
use crate::routes::Route;

/// Props of [`AppLink`], as yew-router's `Link`.
#[derive(Properties, PartialEq)]
pub struct AppLinkProps {
    pub to: Route,
    #[prop_or_default]
    pub classes: Classes,
    #[prop_or_default]
    pub children: Html,
}

/// yew-router's `Link` within the running app, `<a href>` to another. Both draw the same
/// element. Like `Link`, a leaf that does not count its renders.
#[component]
pub fn AppLink(props: &AppLinkProps) -> Html {
    let running = use_running();
    let (to, classes, children) = (props.to.clone(), props.classes.clone(), props.children.clone());
    if to.part() == running.part {
        html! { <Link<Route> {to} {classes}>{ children }</Link<Route>> }
    } else {
        html! { <a class={classes} href={to.to_path()}>{ children }</a> }
    }
}
