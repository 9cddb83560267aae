//! Files handed to a person's spreadsheet or editor: CSV whose cells a spreadsheet will not
//! run as formulas, attachments with their name, UTC times as RFC 3339.

use std::borrow::Cow;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};

use crate::error::{AppError, AppResult};

/// A cell a spreadsheet will not run: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return is prefixed with an apostrophe.
pub fn cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

pub fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `rows` as CSV, every cell neutralised ([`cell`]).
pub fn csv_file(rows: Vec<Vec<String>>) -> AppResult<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(
                row.iter()
                    .map(|text| cell(text))
                    .map(|text| text.into_owned()),
            )
            .map_err(|error| AppError::Internal(error.into()))?;
    }
    writer
        .into_inner()
        .map_err(|error| AppError::Internal(anyhow::anyhow!("{error}")))
}

/// `body` as an attachment named `file_name`.
pub fn download(content_type: &'static str, file_name: String, body: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_plain_text_kept() {
        for formula in ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"] {
            assert_eq!(cell(formula), format!("'{formula}"));
        }
        assert_eq!(cell("Décloisonnement"), "Décloisonnement");
        assert_eq!(cell("a=b"), "a=b");
    }
}
