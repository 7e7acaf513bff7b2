//! The collective approval (thông qua tập thể) that makes a report final,
//! and its rules: who approved and when, asked for at finalize (never a
//! form field); a real date, not in the future, not before the plan; a
//! report with missing answers only with a recorded reason. An approval
//! covers the content it was given on (`content_hash`): a report that
//! changed since is not the approved one. Reopening keeps the approval in
//! the report's history.

use crate::i18n::{Lang, Localized};
use crate::text::printable;
use crate::tl;
use crate::vnfmt::{self, DateError};
use chrono::{DateTime, Local, NaiveDate};
use serde::{Deserialize, Serialize};

/// The longest name of an approving body, and of a reason.
pub const MAX_BODY_CHARS: usize = 200;
pub const MAX_REASON_CHARS: usize = 1_000;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Approval {
    /// "Ban Thường vụ Đảng ủy xã".
    pub by: String,
    /// The day of the meeting that approved it, dd/mm/yyyy.
    pub on: String,
    /// When it was recorded here.
    pub recorded_at: DateTime<Local>,
    /// Approved while required answers were still missing, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incomplete: Option<Incomplete>,
    /// The content approved (see `Report::content_hash`).
    pub content_hash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Incomplete {
    /// How complete the report was, in percent.
    pub percent: u32,
    pub reason: String,
}

/// An approval that no longer holds: the report was reopened.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PastApproval {
    #[serde(flatten)]
    pub approval: Approval,
    pub reopened_at: DateTime<Local>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What finalize is asked: by whom, on which day, and, for a report not
/// complete, why it is approved as it is.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub by: String,
    pub on: String,
    /// `Some` to approve a report with missing answers (`--incomplete
    /// --reason`).
    pub incomplete_reason: Option<String>,
}

/// What the report is when finalize is asked.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub today: NaiveDate,
    /// The plan's date, dd/mm/yyyy, and its number.
    pub plan_date: &'a str,
    pub plan_number: &'a str,
    pub percent: u32,
    /// Required fields not answered: how many, and the first.
    pub missing: usize,
    pub first_missing: Option<&'a str>,
    pub content_hash: &'a str,
}

/// Why a report cannot be approved, or cannot change while approved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum ApprovalError {
    /// The report is final: this change would alter what was approved.
    Approved {
        by: String,
        on: String,
    },
    /// A second finalize: the first approval stands until reopened.
    AlreadyFinal {
        by: String,
        on: String,
    },
    /// Reopen asked of a draft.
    NotFinal,
    BodyNeeded,
    BodyTooLong,
    Date(DateError),
    InFuture {
        on: String,
        today: String,
    },
    BeforePlan {
        on: String,
        plan_date: String,
        plan_number: String,
    },
    /// Required answers are missing and no reason was given.
    Incomplete {
        percent: u32,
        missing: usize,
        first: String,
    },
    ReasonNeeded,
    ReasonTooLong,
    /// The report is marked final but its content is no longer the one
    /// approved (changed by hand, or by an older version of baocao).
    ChangedSinceApproval {
        by: String,
        on: String,
    },
}

impl Localized for ApprovalError {
    fn localized(&self, lang: Lang) -> String {
        let p = |s: &str| printable(s, false);
        match self {
            ApprovalError::Approved { by, on } => tl!(
                lang,
                "Báo cáo đã được {} thông qua ngày {on} (bản chính thức) nên không sửa được. Muốn sửa, trở lại dự thảo trước: baocao reopen --reason \"LÝ DO\" (trong giao diện: sửa và chọn Có); sau đó thông qua lại.",
                "The report was approved by {} on {on} (final), so it cannot change. To change it, make it a draft again first: baocao reopen --reason \"WHY\" (in the UI: edit and answer Yes); then approve it again.",
                p(by)
            ),
            ApprovalError::AlreadyFinal { by, on } => tl!(
                lang,
                "Báo cáo đã được {} thông qua ngày {on}. Muốn ghi lần thông qua khác, trở lại dự thảo trước: baocao reopen --reason \"LÝ DO\".",
                "The report was approved already, by {} on {on}. To record another approval, make it a draft again first: baocao reopen --reason \"WHY\".",
                p(by)
            ),
            ApprovalError::NotFinal => tl!(
                lang,
                "Báo cáo đang là dự thảo (chưa thông qua); không có gì để mở lại.",
                "The report is a draft (not approved); there is nothing to reopen."
            ),
            ApprovalError::BodyNeeded => tl!(
                lang,
                "Cần ghi tập thể thông qua.",
                "Name the approving body."
            ),
            ApprovalError::BodyTooLong => tl!(
                lang,
                "Tên tập thể thông qua dài quá {MAX_BODY_CHARS} ký tự.",
                "The approving body's name is longer than {MAX_BODY_CHARS} characters."
            ),
            ApprovalError::Date(e) => {
                let e = e.localized(lang);
                tl!(lang, "Ngày thông qua: {e}", "Approval date: {e}")
            }
            ApprovalError::InFuture { on, today } => tl!(
                lang,
                "Ngày thông qua {on} chưa đến (hôm nay là {today}). Ghi ngày họp đã thông qua báo cáo.",
                "The approval date {on} is in the future (today is {today}). Give the day of the meeting that approved the report."
            ),
            ApprovalError::BeforePlan {
                on,
                plan_date,
                plan_number,
            } => tl!(
                lang,
                "Ngày thông qua {on} trước ngày ban hành kế hoạch {} ({plan_date}). Kiểm tra lại ngày.",
                "The approval date {on} is before the plan {} was issued ({plan_date}). Check the date.",
                p(plan_number)
            ),
            ApprovalError::Incomplete {
                percent,
                missing,
                first,
            } => tl!(
                lang,
                "Chưa thể chốt: báo cáo mới hoàn thành {percent}%, còn {missing} trường bắt buộc chưa điền (đầu tiên: {}). Điền nốt, hoặc nếu tập thể đã thông qua như vậy: baocao finalize … --incomplete --reason \"LÝ DO\".",
                "Cannot finalise yet: the report is {percent}% complete, {missing} required fields are empty (the first: {}). Fill them in, or if the body approved it as it is: baocao finalize … --incomplete --reason \"WHY\".",
                p(first)
            ),
            ApprovalError::ReasonNeeded => tl!(
                lang,
                "Cần ghi lý do (--reason \"…\").",
                "Give the reason (--reason \"…\")."
            ),
            ApprovalError::ReasonTooLong => tl!(
                lang,
                "Lý do dài quá {MAX_REASON_CHARS} ký tự.",
                "The reason is longer than {MAX_REASON_CHARS} characters."
            ),
            ApprovalError::ChangedSinceApproval { by, on } => tl!(
                lang,
                "Nội dung báo cáo đã thay đổi sau khi {} thông qua ngày {on}, nên không gửi được như bản chính thức. Trở lại dự thảo (baocao reopen --reason \"LÝ DO\") rồi thông qua lại.",
                "The report changed after it was approved by {} on {on}, so it cannot go out as final. Make it a draft again (baocao reopen --reason \"WHY\") and approve it again.",
                p(by)
            ),
        }
    }
}

crate::coded!(ApprovalError => "approval");
crate::localized_display!(ApprovalError);

/// A reason as recorded: NFC, trimmed, bounded; `None` when blank.
pub fn reason(text: Option<&str>) -> Result<Option<String>, ApprovalError> {
    let Some(t) = text.map(|t| crate::text::nfc(t.trim())) else {
        return Ok(None);
    };
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > MAX_REASON_CHARS {
        return Err(ApprovalError::ReasonTooLong);
    }
    Ok(Some(t))
}

/// The approval `req` records, if the rules allow it.
pub fn approve(req: &Request, facts: Facts) -> Result<Approval, ApprovalError> {
    let by = crate::text::nfc(req.by.trim());
    if by.is_empty() {
        return Err(ApprovalError::BodyNeeded);
    }
    if by.chars().count() > MAX_BODY_CHARS {
        return Err(ApprovalError::BodyTooLong);
    }
    let date = vnfmt::parse_date(&req.on).map_err(ApprovalError::Date)?;
    let on = vnfmt::format_date(date);
    if date > facts.today {
        return Err(ApprovalError::InFuture {
            on,
            today: vnfmt::format_date(facts.today),
        });
    }
    if let Ok(plan) = vnfmt::parse_date(facts.plan_date)
        && date < plan
    {
        return Err(ApprovalError::BeforePlan {
            on,
            plan_date: vnfmt::format_date(plan),
            plan_number: facts.plan_number.to_string(),
        });
    }
    let incomplete = if facts.missing == 0 {
        None
    } else {
        let Some(text) = &req.incomplete_reason else {
            return Err(ApprovalError::Incomplete {
                percent: facts.percent,
                missing: facts.missing,
                first: facts.first_missing.unwrap_or_default().to_string(),
            });
        };
        let reason = reason(Some(text))?.ok_or(ApprovalError::ReasonNeeded)?;
        Some(Incomplete {
            percent: facts.percent,
            reason,
        })
    };
    Ok(Approval {
        by,
        on,
        recorded_at: Local::now(),
        incomplete,
        content_hash: facts.content_hash.to_string(),
    })
}

/// The approval as the package states it (without the hash and the time
/// it was recorded, which are the unit's own).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Stated {
    pub by: String,
    pub on: String,
    /// Why it was approved with missing answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incomplete_reason: Option<String>,
}

impl From<&Approval> for Stated {
    fn from(a: &Approval) -> Stated {
        Stated {
            by: a.by.clone(),
            on: a.on.clone(),
            incomplete_reason: a.incomplete.as_ref().map(|i| i.reason.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(missing: usize) -> Facts<'static> {
        Facts {
            today: NaiveDate::from_ymd_opt(2014, 10, 15).unwrap(),
            plan_date: "29/08/2014",
            plan_number: "123-KH/TU",
            percent: if missing == 0 { 100 } else { 40 },
            missing,
            first_missing: (missing > 0).then_some("A.I.1 / so_hoi_nghi"),
            content_hash: "h",
        }
    }

    fn req(by: &str, on: &str, reason: Option<&str>) -> Request {
        Request {
            by: by.into(),
            on: on.into(),
            incomplete_reason: reason.map(str::to_string),
        }
    }

    #[test]
    fn the_date_is_real_not_future_not_before_the_plan() {
        let ok = approve(&req(" Ban Thường vụ ", "4/10/2014", None), facts(0)).unwrap();
        assert_eq!(
            (ok.by.as_str(), ok.on.as_str()),
            ("Ban Thường vụ", "04/10/2014")
        );
        assert!(ok.incomplete.is_none());
        assert!(matches!(
            approve(&req("B", "31/02/2014", None), facts(0)),
            Err(ApprovalError::Date(_))
        ));
        assert!(matches!(
            approve(&req("B", "16/10/2014", None), facts(0)),
            Err(ApprovalError::InFuture { .. })
        ));
        assert!(approve(&req("B", "15/10/2014", None), facts(0)).is_ok());
        assert!(matches!(
            approve(&req("B", "28/08/2014", None), facts(0)),
            Err(ApprovalError::BeforePlan { .. })
        ));
        assert!(approve(&req("B", "29/08/2014", None), facts(0)).is_ok());
        assert_eq!(
            approve(&req("  ", "04/10/2014", None), facts(0)),
            Err(ApprovalError::BodyNeeded)
        );
    }

    #[test]
    fn missing_answers_need_a_reason_that_is_kept() {
        assert!(matches!(
            approve(&req("B", "04/10/2014", None), facts(3)),
            Err(ApprovalError::Incomplete { missing: 3, .. })
        ));
        assert_eq!(
            approve(&req("B", "04/10/2014", Some("   ")), facts(3)),
            Err(ApprovalError::ReasonNeeded)
        );
        let a = approve(&req("B", "04/10/2014", Some("Thiếu số liệu xã")), facts(3)).unwrap();
        assert_eq!(
            a.incomplete,
            Some(Incomplete {
                percent: 40,
                reason: "Thiếu số liệu xã".into()
            })
        );
    }
}
