//! Dialogs that open over a screen and hold the keyboard until answered:
//! the list of keys, "delete the row?", "convert the pasted text?", the
//! collective's approval (Ctrl+D), the backups (Ctrl+B).
pub mod approval;
pub mod backups;
pub mod confirm;
pub mod help;
pub mod legacy_paste;
