//! Entry point of the account pages' app (`accounts.html`): starts the current page's
//! requests, then mounts [`tandem::accounts_app::AccountsApp`] (see [`tandem::root::start`]).

fn main() {
    tandem::root::start::<tandem::accounts_app::AccountsApp>();
}
