//! The screens: the form with its outline tree and the children's answers
//! (F4), and what opens over it — importing packages (F6), exporting
//! (F5), who has sent (F7), the document preview (F8), search (Ctrl+F);
//! and the first-run setup before a report exists.
pub mod export;
pub mod fields;
pub mod form;
pub mod import;
pub mod preview;
pub mod review;
pub mod search;
pub mod setup;
pub mod submissions;
pub mod tree;
