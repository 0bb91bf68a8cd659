//! `GET /users/{id}` and `GET /users/{id}/organizations`: a person reads only themselves.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use tandem_protocol::{Envelope, Organization, User, UserId};

use super::{Json, Path};
use crate::auth::CurrentUser;
use crate::db::{organizations, users};
use crate::error::{Error, Result};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/users/{id}", get(get_user)).route("/users/{id}/organizations", get(user_organizations))
}

fn require_self(me: &CurrentUser, user_id: UserId) -> Result<()> {
    if me.id == user_id {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

async fn get_user(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user_id): Path<UserId>,
) -> Result<Json<Envelope<User>>> {
    require_self(&me, user_id)?;
    let stored = users::by_id(&state.db, user_id).await?.ok_or(Error::NotFound)?;
    Ok(Json(Envelope::ok(stored.user)))
}

async fn user_organizations(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user_id): Path<UserId>,
) -> Result<Json<Envelope<Vec<Organization>>>> {
    require_self(&me, user_id)?;
    Ok(Json(Envelope::ok(organizations::of_member(&state.db, user_id).await?)))
}
