//! What the program remembers for the user between runs: the built-in
//! input method and the tone placement style. A small JSON file in the
//! user's configuration folder (`BAOCAO_CONFIG_DIR` moves it, for tests).

use crate::error::Result;
use crate::vi::ime::{Method, ToneStyle};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(with = "method_name")]
    pub input_method: Method,
    #[serde(with = "style_name")]
    pub tone_style: ToneStyle,
    /// The user chose `tone_style` (`baocao settings --tone-style`); else
    /// typing follows the outline's own text (see [`Settings::chosen_tone_style`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tone_style_chosen: bool,
}

impl Settings {
    /// The tone style the user chose, if any. A saved `new` counts as
    /// chosen: older versions saved the default, `old`, at every F2, so an
    /// `old` saved by them says nothing.
    pub fn chosen_tone_style(&self) -> Option<ToneStyle> {
        (self.tone_style_chosen || self.tone_style == ToneStyle::New).then_some(self.tone_style)
    }
}

impl Default for Settings {
    /// Telex on (many machines have no input method), marks placed the way
    /// older official documents do (hoà, thuý) unless the outline's text
    /// places them the other way.
    fn default() -> Settings {
        Settings {
            input_method: Method::Telex,
            tone_style: ToneStyle::Old,
            tone_style_chosen: false,
        }
    }
}

pub fn path() -> PathBuf {
    if let Some(dir) = std::env::var_os("BAOCAO_CONFIG_DIR") {
        return PathBuf::from(dir).join("settings.json");
    }
    directories::ProjectDirs::from("vn", "baocao", "baocao")
        .map(|d| d.config_dir().join("settings.json"))
        .unwrap_or_else(|| PathBuf::from("baocao-settings.json"))
}

/// The saved settings, or the defaults when there are none (or they are
/// unreadable: a settings file is never a reason to refuse to start).
pub fn load() -> Settings {
    std::fs::read(path())
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

pub fn save(s: &Settings) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(s).expect("settings serialise");
    crate::store::write_atomic(&path(), &bytes, false)
}

/// Where the user was in a report: opened again, the form goes back to
/// that item and field with the cursor where it was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub item: String,
    pub field: String,
    /// (line, character) in the field's text.
    pub cursor: (usize, usize),
}

/// How many reports' places are remembered (the most recently left).
const PLACES_KEPT: usize = 50;
/// A places file larger than this is not ours to read.
const PLACES_MAX_BYTES: u64 = 1 << 20;

fn places_path() -> PathBuf {
    path().with_file_name("places.json")
}

/// The remembered places, newest first, by the report's real path.
fn places() -> Vec<(String, Place)> {
    crate::file::read(&places_path(), PLACES_MAX_BYTES)
        .ok()
        .filter(|b| b.len() as u64 <= PLACES_MAX_BYTES)
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn place_key(report: &Path) -> String {
    std::fs::canonicalize(report)
        .unwrap_or_else(|_| report.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// Where the user left `report`, if it was opened here before.
pub fn place(report: &Path) -> Option<Place> {
    let key = place_key(report);
    places()
        .into_iter()
        .find(|(k, _)| *k == key)
        .map(|(_, p)| p)
}

/// Remembers where the user left `report` (the newest [`PLACES_KEPT`]).
pub fn remember_place(report: &Path, place: &Place) -> Result<()> {
    let key = place_key(report);
    let mut all = places();
    all.retain(|(k, _)| *k != key);
    all.insert(0, (key, place.clone()));
    all.truncate(PLACES_KEPT);
    let bytes = serde_json::to_vec(&all).expect("places serialise");
    crate::store::write_atomic(&places_path(), &bytes, false)
}

pub fn method_from_name(s: &str) -> Option<Method> {
    match s.to_ascii_lowercase().as_str() {
        "telex" => Some(Method::Telex),
        "vni" => Some(Method::Vni),
        "off" | "tat" | "tắt" => Some(Method::Off),
        _ => None,
    }
}

pub fn method_name(m: Method) -> &'static str {
    match m {
        Method::Telex => "telex",
        Method::Vni => "vni",
        Method::Off => "off",
    }
}

mod method_name {
    use super::*;
    pub fn serialize<S: serde::Serializer>(m: &Method, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(super::method_name(*m))
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Method, D::Error> {
        let s = String::deserialize(d)?;
        method_from_name(&s).ok_or_else(|| serde::de::Error::custom("telex, vni or off"))
    }
}

mod style_name {
    use super::*;
    pub fn serialize<S: serde::Serializer>(t: &ToneStyle, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match t {
            ToneStyle::Old => "old",
            ToneStyle::New => "new",
        })
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<ToneStyle, D::Error> {
        match String::deserialize(d)?.as_str() {
            "old" => Ok(ToneStyle::Old),
            "new" => Ok(ToneStyle::New),
            _ => Err(serde::de::Error::custom("old or new")),
        }
    }
}
