//! Writes of agreements.

use gloo::net::http::Method;
use tandem_protocol::{Agreement, AgreementId, AgreementInput, Deleted};

use super::client::{bare, write};
use super::ApiError;

/// Creates an agreement.
pub async fn create(input: &AgreementInput) -> Result<Agreement, ApiError> {
    write(Method::POST, "/agreements", input).await
}

/// Changes an agreement's text.
pub async fn update(id: AgreementId, input: &AgreementInput) -> Result<Agreement, ApiError> {
    write(Method::PUT, &format!("/agreements/{id}"), input).await
}

/// Deletes an agreement.
pub async fn delete(id: AgreementId) -> Result<AgreementId, ApiError> {
    bare::<Deleted<AgreementId>>(Method::DELETE, &format!("/agreements/{id}")).await.map(|d| d.id)
}
