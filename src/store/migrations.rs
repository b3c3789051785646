//! Numbered schema migrations. Entry `n` of `MIGRATIONS` brings a file from
//! `user_version = n` to `n + 1`; a file made by an older build is carried
//! forward at start-up. Never edit a released script: append a new one.

use super::StoreError;
use rusqlite::{Connection, TransactionBehavior};

/// Version 1: the records of the review year, reviews, rectifications,
/// reviewers, settings and the append-only audit log.
const V1_CORE: &str = r#"
CREATE TABLE unit (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    department  TEXT NOT NULL DEFAULT '',
    section     TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE reviewer (
    os_user     TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    sections    TEXT NOT NULL DEFAULT '[]',  -- JSON array of 业务科室
    role        TEXT NOT NULL CHECK (role IN ('reviewer', 'admin', 'auditor')),
    added_at    TEXT NOT NULL
) STRICT;

CREATE TABLE project (
    id          INTEGER PRIMARY KEY,
    year        INTEGER NOT NULL,
    code        TEXT NOT NULL,
    unit_code   TEXT NOT NULL REFERENCES unit(code),
    name        TEXT NOT NULL,
    budget_kind TEXT NOT NULL,
    fund_kind   TEXT NOT NULL,
    amount_fen  INTEGER NOT NULL,
    annual_goal TEXT NOT NULL DEFAULT '',
    UNIQUE (year, code)
) STRICT;
CREATE INDEX project_unit ON project(unit_code);
CREATE INDEX project_code ON project(code, year);

CREATE TABLE indicator (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    level1       TEXT NOT NULL,
    level2       TEXT NOT NULL,
    name         TEXT NOT NULL,
    direction    TEXT NOT NULL,
    target_value TEXT NOT NULL,
    measure_unit TEXT NOT NULL DEFAULT '',
    weight       TEXT,                        -- decimal as text
    explanation  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX indicator_project ON indicator(project_id, seq);

CREATE TABLE monitoring (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    period       TEXT NOT NULL,
    executed_fen INTEGER NOT NULL,
    explanation  TEXT NOT NULL DEFAULT '',
    measures     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX monitoring_project ON monitoring(project_id, seq);

CREATE TABLE indicator_progress (
    id             INTEGER PRIMARY KEY,
    project_id     INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    indicator_name TEXT NOT NULL,
    current_value  TEXT NOT NULL,
    expected_value TEXT NOT NULL DEFAULT '',
    likelihood     TEXT,
    reason         TEXT NOT NULL DEFAULT '',
    action         TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX progress_project ON indicator_progress(project_id, seq);

CREATE TABLE self_eval (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    executed_fen INTEGER NOT NULL,
    self_score   TEXT NOT NULL,               -- decimal as text
    self_grade   TEXT,
    report       TEXT NOT NULL DEFAULT '',
    problems     TEXT NOT NULL DEFAULT '',
    measures     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX self_eval_project ON self_eval(project_id, seq);

CREATE TABLE indicator_actual (
    id               INTEGER PRIMARY KEY,
    project_id       INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    indicator_name   TEXT NOT NULL,
    actual_value     TEXT NOT NULL,
    tier             TEXT,
    deviation_reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX actual_project ON indicator_actual(project_id, seq);

CREATE TABLE key_eval (
    id                INTEGER PRIMARY KEY,
    year              INTEGER NOT NULL,
    object_code       TEXT NOT NULL,
    unit_code         TEXT NOT NULL REFERENCES unit(code),
    project_id        INTEGER REFERENCES project(id),
    firm              TEXT NOT NULL,
    amount_fen        INTEGER NOT NULL,
    score             TEXT,                   -- decimal as text
    grade             TEXT,
    working_papers_on TEXT,                   -- 现场评价底稿 received (YYYY-MM-DD)
    receipt_on        TEXT,                   -- 现场评价回执
    feedback_on       TEXT,                   -- 反馈意见
    problems          TEXT NOT NULL DEFAULT '[]',  -- JSON array
    UNIQUE (year, object_code)
) STRICT;

CREATE TABLE review (
    id          INTEGER PRIMARY KEY,
    stage       TEXT NOT NULL,
    unit_code   TEXT NOT NULL REFERENCES unit(code),
    project_id  INTEGER REFERENCES project(id),
    key_eval_id INTEGER REFERENCES key_eval(id),
    state       TEXT NOT NULL DEFAULT 'pending',
    opinion     TEXT NOT NULL DEFAULT '',
    verdicts    TEXT NOT NULL DEFAULT '{}',   -- JSON Verdicts
    decided_by  TEXT,
    decided_at  TEXT,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX review_project_stage ON review(project_id, stage) WHERE key_eval_id IS NULL;
CREATE UNIQUE INDEX review_key_eval ON review(key_eval_id) WHERE key_eval_id IS NOT NULL;

CREATE TABLE rectification (
    id               INTEGER PRIMARY KEY,
    source_stage     TEXT NOT NULL,
    source_review    INTEGER REFERENCES review(id),
    unit_code        TEXT NOT NULL REFERENCES unit(code),
    project_code     TEXT,
    problem          TEXT NOT NULL,
    required_measure TEXT NOT NULL DEFAULT '',
    deadline         TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'open',
    evidence         TEXT NOT NULL DEFAULT '',
    verified_by      TEXT,
    verified_at      TEXT,
    extensions       TEXT NOT NULL DEFAULT '[]',  -- JSON array of Extension
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX rectification_unit ON rectification(unit_code);

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    event     TEXT NOT NULL,
    target    TEXT NOT NULL,
    outcome   TEXT NOT NULL CHECK (outcome IN ('ok', 'refused')),
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE INDEX audit_target ON audit_log(target, seq);
CREATE INDEX audit_actor ON audit_log(actor, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计日志只允许追加，不能修改'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计日志只允许追加，不能删除'); END;
"#;

/// Version 2: the findings cache (rows plus counts on the review for the
/// queue), opinion drafts saved as typed, and the queue's indexes.
const V2_FINDINGS_DRAFTS_QUEUE: &str = r#"
ALTER TABLE review ADD COLUMN blocking INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review ADD COLUMN warning INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review ADD COLUMN info INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review ADD COLUMN first_finding TEXT NOT NULL DEFAULT '';

CREATE TABLE finding (
    id        INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES review(id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    rule      TEXT NOT NULL,
    severity  TEXT NOT NULL CHECK (severity IN ('blocking', 'warning', 'info')),
    indicator TEXT,
    message   TEXT NOT NULL
) STRICT;
CREATE INDEX finding_review ON finding(review_id, seq);

CREATE TABLE draft (
    os_user    TEXT NOT NULL,
    review_id  INTEGER NOT NULL REFERENCES review(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (os_user, review_id)
) STRICT;

CREATE INDEX review_queue ON review(stage, state, id);
CREATE INDEX review_unit ON review(stage, unit_code);
"#;

/// Version 3: result application (结果应用) — the grade's suggested
/// next-year treatment per reviewed item and the reviewer's confirmation or
/// change with a reason.
const V3_RESULT_APPLICATION: &str = r#"
CREATE TABLE result_application (
    review_id   INTEGER PRIMARY KEY REFERENCES review(id) ON DELETE CASCADE,
    grade       TEXT NOT NULL,
    suggested   TEXT NOT NULL,
    cut_share   TEXT NOT NULL,                -- decimal as text
    decision    TEXT NOT NULL CHECK (decision IN ('confirmed', 'changed')),
    treatment   TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    decided_by  TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
) STRICT;
"#;

/// Version 4: result application keyed by project. A project has one grade
/// for next year's budget — its key evaluation's, else its self-evaluation's —
/// and key evaluations of a unit (部门整体) or a policy have no self-evaluation
/// item to hang the answer on, so the answer belongs to the project (whose id
/// also fixes the year), with the source of the grade and the item answered
/// through. Existing answers move over; where a project was answered twice
/// the key evaluation's answer (the grade that now applies) is kept, else the
/// latest. An answer on a key evaluation of a unit without a 部门整体 project
/// has no project to move to: the audit log keeps it. Also: an index to read
/// one item's rectifications without scanning them all.
const V4_RESULTS_BY_PROJECT: &str = r#"
CREATE TABLE result_application_by_project (
    project_id    INTEGER PRIMARY KEY REFERENCES project(id) ON DELETE CASCADE,
    source        TEXT NOT NULL CHECK (source IN ('self_eval', 'key_eval')),
    source_review INTEGER REFERENCES review(id) ON DELETE SET NULL,
    grade         TEXT NOT NULL,
    suggested     TEXT NOT NULL,
    cut_share     TEXT NOT NULL,              -- decimal as text
    decision      TEXT NOT NULL CHECK (decision IN ('confirmed', 'changed')),
    treatment     TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    decided_by    TEXT NOT NULL,
    decided_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
) STRICT;

INSERT OR IGNORE INTO result_application_by_project
    (project_id, source, source_review, grade, suggested, cut_share, decision, treatment, reason,
     decided_by, decided_at, version)
SELECT COALESCE(r.project_id, k.project_id),
       CASE WHEN r.key_eval_id IS NULL THEN 'self_eval' ELSE 'key_eval' END,
       a.review_id, a.grade, a.suggested, a.cut_share, a.decision, a.treatment, a.reason,
       a.decided_by, a.decided_at, a.version
FROM result_application a
JOIN review r ON r.id = a.review_id
LEFT JOIN key_eval k ON k.id = r.key_eval_id
WHERE COALESCE(r.project_id, k.project_id) IS NOT NULL
ORDER BY r.key_eval_id IS NULL, a.decided_at DESC;

DROP TABLE result_application;
ALTER TABLE result_application_by_project RENAME TO result_application;

CREATE INDEX rectification_source ON rectification(source_review);
"#;

/// Version 5: a covering index for the queue's in-memory index (id, state,
/// finding counts and unit of every item of a stage), so that reading it at
/// start-up never touches the wide review rows.
const V5_QUEUE_ENTRIES: &str = r#"
CREATE INDEX review_entries ON review(stage, id, state, blocking, warning, info, unit_code);
"#;

/// Version 6: each item's key figure for its stage's list, derived with its
/// findings at every refresh (an import, `jixiao approve`, the demo) and
/// never recomputed per screen: a monitoring item's execution rate, a
/// self-evaluation's own and recomputed score and the recomputed grade, a key
/// evaluation's score and grade. Decimals as text. A file carried forward
/// is marked for one whole refresh (`Store::refresh_figures_if_stale`, run
/// when a reviewer opens it) so that its lists do not wait for an import.
/// And an index for joining a project's key evaluation.
const V6_ITEM_FIGURES: &str = r#"
ALTER TABLE review ADD COLUMN figure_rate TEXT;
ALTER TABLE review ADD COLUMN figure_self_score TEXT;
ALTER TABLE review ADD COLUMN figure_score TEXT;
ALTER TABLE review ADD COLUMN figure_grade TEXT;
-- A project's key evaluation, as the overview's and tab 7's grades join it
-- (without it each project scanned every key evaluation: 80 ms at 10×).
CREATE INDEX key_eval_project ON key_eval(project_id);
INSERT INTO setting (key, value) VALUES ('figures.stale', 'schema 6')
    ON CONFLICT(key) DO UPDATE SET value = excluded.value;
"#;

/// Version 7: what each reviewer last chose to see (the scope of their tabs:
/// their own sections or every section), kept across restarts. A preference
/// of one person, not a shared result.
const V7_USER_VIEW: &str = r#"
CREATE TABLE user_view (
    os_user TEXT NOT NULL,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (os_user, key)
) STRICT;
"#;

/// Version 8: the bureau's rule set in the file, set by an admin
/// (`jixiao config set/import`): the keys set, as TOML text, each with the
/// version that set it, and one row per version. Findings stored before carry
/// no version and may have been computed with anyone's thresholds: the first
/// whole refresh (at the next open, check, import or approve) redoes them.
const V8_RULE_SET: &str = r#"
CREATE TABLE rule_value (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL,     -- the value as written in TOML
    version INTEGER NOT NULL,  -- the rule-set version that set it
    set_by  TEXT NOT NULL,
    set_at  TEXT NOT NULL
) STRICT;
CREATE TABLE rule_set_version (
    version INTEGER PRIMARY KEY,
    set_by  TEXT NOT NULL,
    set_at  TEXT NOT NULL,
    source  TEXT NOT NULL,     -- the file imported, or the command
    keys    TEXT NOT NULL      -- JSON array of the keys changed
) STRICT;
DELETE FROM setting WHERE key = 'findings.rule_set_version';
"#;

/// Version 9: which units' findings lag their data. A load writes the mark
/// in the same transaction as the data it changes (so no interruption can
/// leave changed data looking reviewed); a refresh that stores the unit's
/// findings for that year deletes it in its own transaction; an approval of
/// a marked unit's item is refused. A file carried forward is marked whole:
/// whether its findings were ever computed is not known (an import killed
/// before its refresh left none), so the first refresh recomputes them.
const V9_FINDINGS_STALE: &str = r#"
CREATE TABLE findings_stale (
    unit_code TEXT NOT NULL,
    year      INTEGER NOT NULL,
    since     TEXT NOT NULL,
    PRIMARY KEY (unit_code, year)
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO findings_stale (unit_code, year, since)
    SELECT unit_code, year, 'schema 9' FROM project
    UNION SELECT unit_code, year, 'schema 9' FROM key_eval;
"#;

/// The scripts in order; the schema version is the number applied.
const MIGRATIONS: &[&str] = &[
    V1_CORE,
    V2_FINDINGS_DRAFTS_QUEUE,
    V3_RESULT_APPLICATION,
    V4_RESULTS_BY_PROJECT,
    V5_QUEUE_ENTRIES,
    V6_ITEM_FIGURES,
    V7_USER_VIEW,
    V8_RULE_SET,
    V9_FINDINGS_STALE,
];

/// The version this build creates and expects.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Applies every migration above the file's version up to `target`, each in its
/// own immediate transaction together with the version bump.
pub(super) fn migrate(conn: &mut Connection, target: i64) -> Result<(), StoreError> {
    let target = target.clamp(0, CURRENT_VERSION);
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > CURRENT_VERSION {
        return Err(StoreError::TooNew {
            found,
            supported: CURRENT_VERSION,
        });
    }
    for version in found + 1..=target {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if now >= version {
            continue;
        }
        let script = MIGRATIONS[(version - 1) as usize];
        tx.execute_batch(script).map_err(|e| match StoreError::from(e) {
            StoreError::Sqlite(e) => StoreError::Migration {
                version,
                reason: e.to_string(),
            },
            other => other,
        })?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}
