//! Vietnamese text as our users need it, without a terminal: the built-in
//! Telex/VNI input method ([`ime`]), accent-insensitive search, ASCII file
//! names and Vietnamese alphabetical order ([`fold`]), and conversion of text
//! typed in the old TCVN3 and VNI-Windows font encodings ([`legacy`]).
//!
//! Everything here is pure: strings in, strings out, no I/O.

pub mod fold;
pub mod ime;
pub mod legacy;
