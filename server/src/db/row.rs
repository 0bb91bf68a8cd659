//! Reading typed values (ids, wire enums) out of SQLite rows, where they are stored as text.

use serde::de::DeserializeOwned;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use uuid::Uuid;

fn decode_error(column: &str, source: impl std::error::Error + Send + Sync + 'static) -> sqlx::Error {
    sqlx::Error::ColumnDecode { index: column.to_owned(), source: Box::new(source) }
}

/// A UUID column as a typed id.
pub fn id<T: From<Uuid>>(row: &SqliteRow, column: &str) -> Result<T, sqlx::Error> {
    let text: String = row.try_get(column)?;
    Uuid::parse_str(&text).map(T::from).map_err(|e| decode_error(column, e))
}

/// A nullable UUID column as a typed id.
pub fn opt_id<T: From<Uuid>>(row: &SqliteRow, column: &str) -> Result<Option<T>, sqlx::Error> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| Uuid::parse_str(&t).map(T::from).map_err(|e| decode_error(column, e))).transpose()
}

/// A column holding the wire spelling of an enum (`"InProgress"`, `"zoom"`, …).
pub fn wire<T: DeserializeOwned>(row: &SqliteRow, column: &str) -> Result<T, sqlx::Error> {
    let text: String = row.try_get(column)?;
    serde_json::from_value(serde_json::Value::String(text)).map_err(|e| decode_error(column, e))
}

/// A nullable column holding the wire spelling of an enum.
pub fn opt_wire<T: DeserializeOwned>(row: &SqliteRow, column: &str) -> Result<Option<T>, sqlx::Error> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| serde_json::from_value(serde_json::Value::String(t)).map_err(|e| decode_error(column, e))).transpose()
}

/// The wire spelling of an enum, for binding.
pub fn wire_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        _ => String::new(),
    }
}
