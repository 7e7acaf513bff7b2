//! baocao: fill in a Party review report outline offline, merge reports
//! upward, print the result. The core (outline, report, validate, store)
//! knows nothing of terminals; `tui` draws on top of it; `cli` is the
//! command line beside it.

pub mod approval;
pub mod canonical;
pub mod cli;
pub mod demo;
pub mod error;
pub mod file;
pub mod i18n;
pub mod keys;
pub mod kind;
pub mod merge;
pub mod office;
pub mod outline;
pub mod package;
pub mod receipt;
pub mod render;
pub mod report;
pub mod search;
pub mod settings;
pub mod store;
pub mod text;
pub mod tui;
pub mod unit;
pub mod validate;
pub mod vi;
pub mod vnfmt;
pub mod workspace;
