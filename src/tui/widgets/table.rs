//! A table field: rows of typed cells, a selected cell, and a one-line
//! editor for the cell being changed.

use super::textbox::TextBox;

#[derive(Default)]
pub struct TableBox {
    pub row: usize,
    pub col: usize,
    /// The cell being edited, with its text so far.
    pub edit: Option<TextBox>,
}

impl TableBox {
    pub fn clamp(&mut self, rows: usize, cols: usize) {
        self.row = self.row.min(rows.saturating_sub(1));
        self.col = self.col.min(cols.saturating_sub(1));
    }
}
