//! Who may change what — enforced here, the one choke point every write on an
//! item passes through, so no screen or command can forget a check. The pure
//! policy is `Reviewer::may_act_on`; this module looks up the actor and the
//! item's 业务科室 and words the refusal.

use super::StoreError;
use super::reviewers::read_reviewer;
use crate::domain::Role;
use crate::domain::model::Reviewer;
use crate::domain::text::sanitize;
use rusqlite::{Connection, OptionalExtension};

/// `王建国（wangjianguo，审核员，教科文科）`: who the actor is, by name, for
/// refusal messages — the login follows in parentheses (alone when the name
/// is the login itself).
fn describe(r: &Reviewer) -> String {
    let mut parts = Vec::with_capacity(3);
    if r.name != r.os_user {
        parts.push(r.os_user.clone());
    }
    parts.push(r.role.label().to_string());
    if r.role == Role::Reviewer {
        parts.push(if r.sections.is_empty() {
            "未分配科室".to_string()
        } else {
            r.sections.join("、")
        });
    }
    format!("{}（{}）", r.name, parts.join("，"))
}

/// `王建国（wangjianguo）`: a person by name, the login after it.
fn person(r: &Reviewer) -> String {
    if r.name == r.os_user {
        r.name.clone()
    } else {
        format!("{}（{}）", r.name, r.os_user)
    }
}

fn forbidden(actor: &str, reason: String) -> StoreError {
    StoreError::Forbidden {
        actor: actor.to_string(),
        reason,
    }
}

/// Why an unknown OS user or an auditor may change nothing at all; `None` for
/// admins and reviewers (who may still be refused item by item).
pub(super) fn read_only_reason(actor: &str, reviewer: Option<&Reviewer>, what: &str) -> Option<String> {
    match reviewer {
        None => Some(format!(
            "用户 {actor} 未登记为审核人员，只能查看，不能{what}；请绩效科管理员用 jixiao user add 登记"
        )),
        Some(r) if r.role == Role::Auditor => Some(format!("{}只能查看和审计，不能{what}", describe(r))),
        Some(_) => None,
    }
}

/// What a write is about, named in its refusal: the unit alone, or the unit
/// and a project — by its name, by its code, or as a review's item.
#[derive(Debug, Clone, Copy)]
pub(super) enum About<'a> {
    Unit,
    ProjectName(&'a str),
    ProjectCode(&'a str),
    Review(i64),
}

/// `区农业农村局（202）「高标准农田建设」`: the unit by name and code, the
/// project by name — never an internal id. Read only when refusing.
fn name_subject(conn: &Connection, unit_code: &str, about: About<'_>) -> Result<String, StoreError> {
    let unit_name: String = conn
        .prepare_cached("SELECT name FROM unit WHERE code = ?1")?
        .query_row([unit_code], |r| r.get(0))
        .optional()?
        .unwrap_or_default();
    let project: Option<String> = match about {
        About::Unit => None,
        About::ProjectName(name) => Some(name.to_string()),
        About::ProjectCode(code) => conn
            .prepare_cached("SELECT name FROM project WHERE code = ?1 AND unit_code = ?2 ORDER BY year DESC LIMIT 1")?
            .query_row([code, unit_code], |r| r.get(0))
            .optional()?
            .or_else(|| Some(code.to_string())),
        About::Review(id) => review_project_name(conn, id)?,
    };
    let unit = if unit_name.is_empty() {
        format!("单位 {unit_code}")
    } else {
        format!("{}（{unit_code}）", sanitize(&unit_name))
    };
    Ok(match project.filter(|p| !p.trim().is_empty()) {
        // A 部门整体 is named after its unit: the unit says it all.
        Some(p) if p != unit_name => format!("{unit}「{}」", sanitize(&p)),
        _ => unit,
    })
}

/// The project (or key-evaluation object) a review is about, by name.
fn review_project_name(conn: &Connection, review_id: i64) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(p.name, k.object_code) FROM review r
             LEFT JOIN key_eval k ON k.id = r.key_eval_id
             LEFT JOIN project p ON p.id = COALESCE(r.project_id, k.project_id) WHERE r.id = ?1",
        )?
        .query_row([review_id], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

/// A review's item as a refusal names it: `区第一中学（101）「校舍维修改造」`.
pub(super) fn review_item(conn: &Connection, review_id: i64) -> Result<String, StoreError> {
    let unit: Option<String> = conn
        .prepare_cached("SELECT unit_code FROM review WHERE id = ?1")?
        .query_row([review_id], |r| r.get(0))
        .optional()?;
    match unit {
        Some(unit) => name_subject(conn, &unit, About::Review(review_id)),
        None => Ok(format!("事项 {review_id}")),
    }
}

/// The actor, if they may act on `about` of `unit_code`; otherwise why not,
/// naming the person, the unit and the project and the section they belong to.
pub(super) fn authorize_on(
    conn: &Connection,
    actor: &str,
    unit_code: &str,
    about: About<'_>,
    what: &str,
) -> Result<Reviewer, StoreError> {
    let reviewer = read_reviewer(conn, actor)?;
    if let Some(reason) = read_only_reason(actor, reviewer.as_ref(), what) {
        return Err(forbidden(actor, reason));
    }
    let reviewer = reviewer.expect("read_only_reason covers the unknown user");
    let section: String = conn
        .prepare_cached("SELECT section FROM unit WHERE code = ?1")?
        .query_row([unit_code], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: format!("单位 {unit_code}"),
        })?;
    if reviewer.may_act_on(&section) {
        Ok(reviewer)
    } else {
        // Whose item it is first: at 80 columns that is what must show.
        let subject = name_subject(conn, unit_code, about)?;
        let belongs = if section.trim().is_empty() {
            "未分配业务科室".to_string()
        } else {
            format!("属{section}")
        };
        Err(forbidden(
            actor,
            format!("{subject}{belongs}，{}无权处理（{what}）", describe(&reviewer)),
        ))
    }
}

/// Whether `reviewer` may create, by import, the unit `code` named `name` in
/// `section`: admins any; a reviewer only in a section of their own (a unit
/// of another section is that section's to bring in, or an admin's).
pub(super) fn authorize_new_unit(
    actor: &str,
    reviewer: &Reviewer,
    code: &str,
    name: &str,
    section: &str,
) -> Result<(), StoreError> {
    if reviewer.role == Role::Admin || reviewer.may_act_on(section) {
        return Ok(());
    }
    let section = if section.trim().is_empty() {
        "（未填业务科室）".to_string()
    } else {
        format!("「{}」", sanitize(section))
    };
    Err(forbidden(
        actor,
        format!(
            "新单位{}（{code}）的业务科室为{section}，{}只能新建本科室的单位（导入数据）；其他科室的单位须由该科室或管理员导入",
            sanitize(name),
            describe(reviewer)
        ),
    ))
}

/// Whether `reviewer` may change the identity of unit `code` (its name,
/// 主管部门 or 业务科室) as `changes` say (field, before, after): only an
/// admin may — a reviewer who could rename or move a unit could take another
/// section's unit into their own.
pub(super) fn authorize_unit_identity(
    actor: &str,
    reviewer: &Reviewer,
    code: &str,
    name: &str,
    changes: &[(&str, &str, &str)],
) -> Result<(), StoreError> {
    if reviewer.role == Role::Admin || changes.is_empty() {
        return Ok(());
    }
    let said: Vec<String> = changes
        .iter()
        .map(|(field, before, after)| format!("{field}「{}」→「{}」", sanitize(before), sanitize(after)))
        .collect();
    Err(forbidden(
        actor,
        format!(
            "{}（{code}）的单位信息只能由管理员修改，{}不能改（导入数据）：{}",
            sanitize(name),
            describe(reviewer),
            said.join("，")
        ),
    ))
}

/// The actor, if their role is one of `roles`; otherwise why not.
pub(super) fn require_role(conn: &Connection, actor: &str, roles: &[Role], what: &str) -> Result<Reviewer, StoreError> {
    let reviewer = read_reviewer(conn, actor)?;
    match reviewer {
        Some(r) if roles.contains(&r.role) => Ok(r),
        Some(r) => {
            let allowed: Vec<&str> = roles.iter().map(|r| r.label()).collect();
            Err(forbidden(
                actor,
                format!("{}不能{what}：须为{}", describe(&r), allowed.join("或")),
            ))
        }
        None => Err(forbidden(
            actor,
            read_only_reason(actor, None, what).unwrap_or_default(),
        )),
    }
}

/// The actor, if registered at all (drafts are private, so any role may keep one).
pub(super) fn require_registered(conn: &Connection, actor: &str, what: &str) -> Result<Reviewer, StoreError> {
    read_reviewer(conn, actor)?.ok_or_else(|| forbidden(actor, read_only_reason(actor, None, what).unwrap_or_default()))
}

/// What the reviewer table looks like when a change is asked for.
pub(super) struct Staff {
    pub reviewers: i64,
    pub admins: i64,
}

/// Whether `actor` may turn `before` into `after` (等保 2.0 level 3 separation
/// of duties): admins manage users, except that the very first user of an
/// empty database registers themselves as admin; nobody is both admin and
/// auditor; an admin's own role is changed by another admin; and the database
/// never loses its last admin.
pub(super) fn check_user_change(
    actor: &str,
    actor_record: Option<&Reviewer>,
    before: Option<&Reviewer>,
    after: &Reviewer,
    staff: &Staff,
) -> Result<(), String> {
    if staff.reviewers == 0 {
        return if after.role == Role::Admin && after.os_user == actor {
            Ok(())
        } else {
            Err("数据库尚无用户：第一位用户须以管理员身份登记自己".into())
        };
    }
    match actor_record {
        Some(r) if r.role == Role::Admin => {}
        Some(r) => return Err(format!("{}无权管理用户：只有管理员可以", describe(r))),
        None => return Err(format!("用户 {actor} 未登记，无权管理用户：只有管理员可以")),
    }
    if let Some(b) = before {
        let admin_auditor = matches!(
            (b.role, after.role),
            (Role::Admin, Role::Auditor) | (Role::Auditor, Role::Admin)
        );
        if admin_auditor {
            return Err(format!(
                "职责分离（等保 2.0 三级）：同一用户不能既是管理员又是审计员，{}当前为{}，不能改为{}",
                person(b),
                b.role.label(),
                after.role.label()
            ));
        }
        if b.role == Role::Admin && after.role != Role::Admin {
            if b.os_user == actor {
                return Err("管理员不能更改自己的角色，须由另一名管理员操作".into());
            }
            if staff.admins <= 1 {
                return Err(format!("{}是唯一的管理员，不能取消其管理员角色", person(b)));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(os_user: &str, role: Role) -> Reviewer {
        Reviewer {
            os_user: os_user.into(),
            name: os_user.into(),
            sections: vec!["教科文科".into()],
            role,
        }
    }

    const TWO_ADMINS: Staff = Staff {
        reviewers: 3,
        admins: 2,
    };

    #[test]
    fn the_first_user_registers_themselves_as_admin() {
        let empty = Staff {
            reviewers: 0,
            admins: 0,
        };
        let zhou = person("zhoumin", Role::Admin);
        assert!(check_user_change("zhoumin", None, None, &zhou, &empty).is_ok());
        assert!(check_user_change("li", None, None, &zhou, &empty).is_err());
        let li = person("li", Role::Reviewer);
        assert!(check_user_change("li", None, None, &li, &empty).is_err());
    }

    #[test]
    fn only_admins_manage_users() {
        let admin = person("zhoumin", Role::Admin);
        let li = person("li", Role::Reviewer);
        let new = person("wang", Role::Reviewer);
        assert!(check_user_change("zhoumin", Some(&admin), None, &new, &TWO_ADMINS).is_ok());
        let err = check_user_change("li", Some(&li), None, &new, &TWO_ADMINS).unwrap_err();
        assert_eq!(err, "li（审核员，教科文科）无权管理用户：只有管理员可以");
        assert!(
            check_user_change("ghost", None, None, &new, &TWO_ADMINS)
                .unwrap_err()
                .contains("未登记")
        );
    }

    #[test]
    fn separation_of_duties_and_the_last_admin() {
        let zhou = person("zhoumin", Role::Admin);
        let other = person("wu", Role::Admin);
        let to_auditor = person("wu", Role::Auditor);
        let err = check_user_change("zhoumin", Some(&zhou), Some(&other), &to_auditor, &TWO_ADMINS).unwrap_err();
        assert!(err.contains("职责分离"), "{err}");
        let auditor = person("hht", Role::Auditor);
        let to_admin = person("hht", Role::Admin);
        assert!(check_user_change("zhoumin", Some(&zhou), Some(&auditor), &to_admin, &TWO_ADMINS).is_err());
        let demoted = person("zhoumin", Role::Reviewer);
        let err = check_user_change("zhoumin", Some(&zhou), Some(&zhou), &demoted, &TWO_ADMINS).unwrap_err();
        assert!(err.contains("另一名管理员"), "{err}");
        let wu_demoted = person("wu", Role::Reviewer);
        assert!(check_user_change("zhoumin", Some(&zhou), Some(&other), &wu_demoted, &TWO_ADMINS).is_ok());
        let one_admin = Staff {
            reviewers: 3,
            admins: 1,
        };
        let err = check_user_change("zhoumin", Some(&zhou), Some(&other), &wu_demoted, &one_admin).unwrap_err();
        assert!(err.contains("唯一的管理员"), "{err}");
    }

    #[test]
    fn read_only_reasons_name_the_user() {
        let reason = read_only_reason("ghost", None, "审核决定").unwrap();
        assert!(reason.contains("ghost") && reason.contains("未登记"), "{reason}");
        let hht = person("hht", Role::Auditor);
        assert_eq!(
            read_only_reason("hht", Some(&hht), "审核决定").unwrap(),
            "hht（审计员）只能查看和审计，不能审核决定"
        );
        assert!(read_only_reason("li", Some(&person("li", Role::Reviewer)), "x").is_none());
    }
}
