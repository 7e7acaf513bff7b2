//! Whole screens other than the form: first-run setup, importing packages
//! (F6), and who has sent (F7).
pub mod export;
pub mod import;
pub mod preview;
pub mod setup;
pub mod submissions;
