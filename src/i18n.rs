//! The language of every message a person reads: Vietnamese by default,
//! English with `--lang en` or an English `LANG`.

use std::sync::atomic::{AtomicBool, Ordering};

static ENGLISH: AtomicBool = AtomicBool::new(false);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    /// `--lang` wins; otherwise an English `LC_ALL`/`LANG` picks English,
    /// anything else (or nothing) Vietnamese.
    pub fn detect(flag: Option<&str>) -> Lang {
        let from_env = || {
            ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|k| std::env::var(k).ok())
                .find(|v| !v.is_empty())
        };
        match flag.map(str::to_owned).or_else(from_env) {
            Some(v) if v.to_ascii_lowercase().starts_with("en") => Lang::En,
            _ => Lang::Vi,
        }
    }
}

pub fn set_lang(lang: Lang) {
    ENGLISH.store(lang == Lang::En, Ordering::Relaxed);
}

thread_local! {
    static THIS_THREAD: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// Sets (or clears) the language for the current thread only: unit tests
/// run in parallel threads, and one checking English messages must not
/// switch the others.
pub fn set_thread_lang(lang: Option<Lang>) {
    THIS_THREAD.with(|l| l.set(lang));
}

pub fn lang() -> Lang {
    if let Some(l) = THIS_THREAD.with(std::cell::Cell::get) {
        return l;
    }
    if ENGLISH.load(Ordering::Relaxed) {
        Lang::En
    } else {
        Lang::Vi
    }
}

pub fn is_en() -> bool {
    lang() == Lang::En
}

/// Picks the text for the current language.
pub fn tr<'a>(vi: &'a str, en: &'a str) -> &'a str {
    if is_en() { en } else { vi }
}

/// `t!("Vietnamese {x}", "English {x}")` formats the message in the current
/// language; both literals may capture variables.
#[macro_export]
macro_rules! t {
    ($vi:literal, $en:literal $(,)?) => {
        if $crate::i18n::is_en() { format!($en) } else { format!($vi) }
    };
    ($vi:literal, $en:literal, $($arg:tt)*) => {
        if $crate::i18n::is_en() { format!($en, $($arg)*) } else { format!($vi, $($arg)*) }
    };
}

/// A message for a person, in either language: errors and verdicts keep
/// what happened as data, and the words are chosen only when they are
/// shown (see [`localized_display!`](crate::localized_display)).
pub trait Localized {
    fn localized(&self, lang: Lang) -> String;
}

/// `tl!(lang, "Vietnamese {x}", "English {x}")`: like [`t!`](crate::t) for
/// a language given, not the current one.
#[macro_export]
macro_rules! tl {
    ($lang:expr, $vi:literal, $en:literal $(,)?) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en),
            $crate::i18n::Lang::Vi => format!($vi),
        }
    };
    ($lang:expr, $vi:literal, $en:literal, $($arg:tt)*) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en, $($arg)*),
            $crate::i18n::Lang::Vi => format!($vi, $($arg)*),
        }
    };
}

/// Implements `Display` for types that are [`Localized`], in the language
/// chosen at the edge (`--lang`, `LANG`): the one place a message is
/// turned into words.
#[macro_export]
macro_rules! localized_display {
    ($($t:ty),+ $(,)?) => {
        $(impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&$crate::i18n::Localized::localized(self, $crate::i18n::lang()))
            }
        })+
    };
}
