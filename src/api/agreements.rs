//! Writes of agreements.

use chrono::{DateTime, Utc};
use gloo::net::http::Method;
use tandem_protocol::{Agreement, AgreementId, AgreementInput, Deleted};

use super::client::{bare, write, write_based_on};
use super::ApiError;

/// Creates an agreement.
pub async fn create(input: &AgreementInput) -> Result<Agreement, ApiError> {
    write(Method::POST, "/agreements", input).await
}

/// Changes an agreement's text, as it was at `based_on` (its `updated_at` when editing began).
pub async fn update(id: AgreementId, input: &AgreementInput, based_on: DateTime<Utc>) -> Result<Agreement, ApiError> {
    write_based_on(Method::PUT, &format!("/agreements/{id}"), input, based_on).await
}

/// Deletes an agreement.
pub async fn delete(id: AgreementId) -> Result<AgreementId, ApiError> {
    bare::<Deleted<AgreementId>>(Method::DELETE, &format!("/agreements/{id}")).await.map(|d| d.id)
}

/// Undoes the delete of `agreement`: the same id back [extension]; where the server has no
/// such route (the reference backend), a new agreement with its text, as the reference does.
pub async fn restore(agreement: Agreement) -> Result<Agreement, ApiError> {
    let path = format!("/agreements/{}/restore", agreement.id);
    match super::client::enveloped(Method::POST, &path, super::client::Body::None).await {
        Err(error) if error.is_missing_route() => {
            create(&AgreementInput { coaching_session_id: agreement.coaching_session_id, body: agreement.body }).await
        }
        answer => answer,
    }
}
