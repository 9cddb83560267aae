//! The synthesis as a CRDT document (yrs, the Rust twin of the browser's Yjs): one shared
//! text named [`TEXT`], Markdown, stored as one encoded update of its whole state. Every
//! update a client sends is decoded and applied here before it is stored or relayed, so a
//! malformed, oversized or incomplete one is refused with a clear error and never reaches
//! another screen; yrs is never trusted not to panic on hostile bytes.

use std::panic::{catch_unwind, AssertUnwindSafe};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use yrs::updates::decoder::Decode;
use yrs::{Doc, GetString, ReadTxn, StateVector, Text, Transact, Update};

use crate::error::{AppError, AppResult, ConflictReason, Problem};

/// The name of the shared text the browser's editor binds to (`doc.getText("markdown")`).
pub const TEXT: &str = "markdown";
/// Largest update one command may carry, decoded (a paste of a few pages). Its base64 stays
/// well inside a WebSocket message (64 KiB).
pub const MAX_UPDATE_BYTES: usize = 32 * 1024;
/// Largest whole document, encoded (also `syntheses_state_size` in the database).
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;

/// A synthesis loaded from its stored state.
pub struct Document {
    doc: Doc,
}

impl Document {
    /// An empty document.
    pub fn new() -> Document {
        Document { doc: Doc::new() }
    }

    /// The document whose whole state is `state` (as [`Document::state`] wrote it).
    pub fn load(state: &[u8]) -> AppResult<Document> {
        let document = Document::new();
        if !state.is_empty() {
            document.apply(state).map_err(|error| {
                AppError::Internal(anyhow::anyhow!("stored synthesis: {error}"))
            })?;
        }
        Ok(document)
    }

    /// Applies a client's encoded update (lib0 v1). Refused: bytes that do not decode, an
    /// update yrs cannot integrate, one that needs changes the server never received (it
    /// would wait in the document forever), and one that makes the document too large.
    pub fn apply_client_update(&self, update: &[u8]) -> AppResult<()> {
        if update.len() > MAX_UPDATE_BYTES {
            let too_long = Problem::TooLong {
                max: MAX_UPDATE_BYTES,
            };
            return Err(AppError::field("update", too_long));
        }
        self.apply(update)
            .map_err(|why| AppError::BadRequest(format!("not a valid Yjs update: {why}")))?;
        if self.state().len() > MAX_DOCUMENT_BYTES {
            return Err(AppError::over_limit(
                ConflictReason::SynthesisTooLarge,
                MAX_DOCUMENT_BYTES,
            ));
        }
        Ok(())
    }

    /// Decodes and integrates `update`; the reason in words when it cannot.
    fn apply(&self, update: &[u8]) -> Result<(), String> {
        let integrated = catch_unwind(AssertUnwindSafe(|| {
            let update = Update::decode_v1(update).map_err(|error| error.to_string())?;
            let mut txn = self.doc.transact_mut();
            txn.apply_update(update)
                .map_err(|error| error.to_string())?;
            let store = ReadTxn::store(&txn);
            if store.pending_update().is_some() || store.pending_ds().is_some() {
                return Err("it depends on changes the server does not have".to_owned());
            }
            Ok(())
        }));
        integrated.unwrap_or_else(|_| Err("it could not be read".to_owned()))
    }

    /// The whole state as one encoded update: what is stored, and what a snapshot carries.
    pub fn state(&self) -> Vec<u8> {
        self.doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default())
    }

    /// The Markdown text as it stands.
    pub fn markdown(&self) -> String {
        let text = self.doc.get_or_insert_text(TEXT);
        text.get_string(&self.doc.transact())
    }

    /// Appends `markdown` at the end of the text, as the server; returns the update that
    /// carries the change, to store and send to every screen.
    pub fn append(&self, markdown: &str) -> Vec<u8> {
        let text = self.doc.get_or_insert_text(TEXT);
        let mut txn = self.doc.transact_mut();
        let end = text.len(&txn);
        text.insert(&mut txn, end, markdown);
        txn.encode_update_v1()
    }
}

/// An update as it travels in JSON.
pub fn encode(update: &[u8]) -> String {
    STANDARD.encode(update)
}

/// A client's update from its base64; refused when it is not base64.
pub fn decode(field: &str, base64: &str) -> AppResult<Vec<u8>> {
    // Checked before decoding, so a huge string is not decoded first.
    if base64.len() > MAX_UPDATE_BYTES.div_ceil(3) * 4 {
        let too_long = Problem::TooLong {
            max: MAX_UPDATE_BYTES,
        };
        return Err(AppError::field(field, too_long));
    }
    STANDARD
        .decode(base64)
        .map_err(|error| AppError::BadRequest(format!("{field} is not base64: {error}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// What a browser would send after typing `typed` at the end of `base`'s text.
    fn typed_on(base: &Document, typed: &str) -> Vec<u8> {
        let client = Document::load(&base.state()).unwrap();
        client.append(typed)
    }

    #[test]
    fn edits_of_two_writers_merge_into_one_text_in_any_order() {
        let server = Document::new();
        server
            .apply_client_update(&server.append("# Findings\n"))
            .unwrap();
        let ana = typed_on(&server, "Ana ");
        let ben = typed_on(&server, "Ben ");
        let other_order = Document::load(&server.state()).unwrap();
        server.apply_client_update(&ana).unwrap();
        server.apply_client_update(&ben).unwrap();
        other_order.apply_client_update(&ben).unwrap();
        other_order.apply_client_update(&ana).unwrap();
        // Applying an update twice changes nothing (a retried command, a replayed event).
        server.apply_client_update(&ana).unwrap();
        assert_eq!(server.markdown(), other_order.markdown());
        assert!(server.markdown().starts_with("# Findings\n"));
        assert_eq!(server.markdown().len(), "# Findings\nAna Ben ".len());
        assert_eq!(
            Document::load(&server.state()).unwrap().markdown(),
            server.markdown()
        );
    }

    #[test]
    fn garbage_truncated_and_oversized_updates_are_refused_without_panicking() {
        let document = Document::new();
        let good = typed_on(&document, "Décloisonnement");
        for bad in [
            vec![0xff; 64],
            good[..good.len() / 2].to_vec(),
            vec![1, 1, 200, 200, 200, 200, 200, 200, 200, 200, 1],
        ] {
            let refused = document.apply_client_update(&bad).unwrap_err();
            assert!(matches!(refused, AppError::BadRequest(_)), "{refused:?}");
        }
        let refused = document
            .apply_client_update(&vec![0; MAX_UPDATE_BYTES + 1])
            .unwrap_err();
        assert!(
            matches!(refused, AppError::Validation { .. }),
            "{refused:?}"
        );
        assert_eq!(document.markdown(), "");
        document.apply_client_update(&good).unwrap();
        assert_eq!(document.markdown(), "Décloisonnement");
    }

    #[test]
    fn an_update_whose_predecessor_never_arrived_is_refused() {
        let client = Document::new();
        client.append("first ");
        let second = client.append("second");
        let server = Document::new();
        let refused = server.apply_client_update(&second).unwrap_err();
        assert!(matches!(refused, AppError::BadRequest(_)), "{refused:?}");
    }

    #[test]
    fn a_document_cannot_grow_past_its_bound() {
        let server = Document::new();
        let page = "x".repeat(MAX_UPDATE_BYTES - 100);
        let mut refused = None;
        for _ in 0..(MAX_DOCUMENT_BYTES / page.len() + 2) {
            let update = typed_on(&server, &page);
            if let Err(error) = server.apply_client_update(&update) {
                refused = Some(error);
                break;
            }
        }
        let refused = refused.expect("the document grew without bound");
        assert_eq!(
            refused.conflict_reason().map(|it| it.reason),
            Some(ConflictReason::SynthesisTooLarge)
        );
    }
}
