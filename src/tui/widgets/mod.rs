//! Reusable pieces of the form: text boxes and tables.
pub mod table;
pub mod textbox;
pub mod wrap;
