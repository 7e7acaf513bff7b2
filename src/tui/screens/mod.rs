//! Whole screens other than the form: first-run setup (import, review and
//! preview screens come beside it).
pub mod setup;
