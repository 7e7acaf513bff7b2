//! The terminal UI.
pub mod theme;
pub mod widgets;
use crate::error::Result;
use crate::outline::Outline;
use std::path::Path;

pub fn run(_path: &Path, _given: Option<Outline>) -> Result<()> {
    Err(crate::error::Error::new("TODO"))
}
