"""An access request: everything held about one person, as a readable document and as JSON.

Produced by an administrator (or the data-protection officer) for the person who asks,
in one step that is written to the audit log. The document is built here as escaped
HTML with a print style (the browser's "Print to PDF" makes the PDF); nothing typed by
anyone reaches it unescaped.
"""

from __future__ import annotations

import html
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from workbench import access, audit, config, emso, records
from workbench.auth import User
from workbench.errors import UserError
from workbench.transactions import write

# The parts of the export: (key, the query of her rows). Every table that holds rows
# about a person is here (tests/test_protection.py checks the list against the schema).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("person", "SELECT p.*, m.name AS municipality, u.display_name AS coordinator "
               "FROM participants p LEFT JOIN municipalities m ON m.id = p.municipality_id "
               "LEFT JOIN users u ON u.id = p.coordinator_id WHERE p.id = :p"),
    ("stage_history", "SELECT from_stage, to_stage, changed_at, reason FROM stage_history "
                      "WHERE participant_id = :p ORDER BY changed_at, id"),
    ("consents", "SELECT purpose, institution, given_on, given_how, withdrawn_on, "
                 "withdrawn_how FROM consents WHERE participant_id = :p ORDER BY given_on, id"),
    ("contacts", "SELECT date, kind, note, next_step FROM contacts WHERE participant_id = :p "
                 "ORDER BY date, id"),
    ("problem_scores", "SELECT scored_on, area, score FROM problem_scores "
                       "WHERE participant_id = :p ORDER BY scored_on, area"),
    ("plan_goals", "SELECT id, goal, deadline, status FROM plan_goals "
                   "WHERE participant_id = :p ORDER BY id"),
    ("plan_steps", "SELECT s.goal_id, s.step, s.deadline, s.done_on FROM plan_steps s "
                   "JOIN plan_goals g ON g.id = s.goal_id WHERE g.participant_id = :p "
                   "ORDER BY s.id"),
    ("tasks", "SELECT kind, title, due_date, done_at FROM tasks WHERE participant_id = :p "
              "ORDER BY due_date, id"),
    ("referrals_out", "SELECT institution, purpose, sent_on, status, answer, answered_on "
                      "FROM referrals_out WHERE participant_id = :p ORDER BY sent_on, id"),
    ("follow_ups", "SELECT kind, situation, observed_on FROM follow_ups "
                   "WHERE participant_id = :p ORDER BY observed_on, id"),
    ("enrolments", "SELECT pr.name AS programme, e.contract_date, e.start_date, e.end_date, "
                   "e.status, e.ticket_eur, e.distance_km FROM enrolments e "
                   "JOIN programmes pr ON pr.id = e.programme_id WHERE e.participant_id = :p "
                   "ORDER BY e.contract_date, e.id"),
    ("waiting_list", "SELECT pr.name AS programme, w.added_on, w.status, w.offered_on "
                     "FROM waiting_list w JOIN programmes pr ON pr.id = w.programme_id "
                     "WHERE w.participant_id = :p ORDER BY w.added_on"),
    ("attendance", "SELECT s.date, pr.name AS programme, s.title, a.hours, a.status "
                   "FROM attendance a JOIN sessions s ON s.id = a.session_id "
                   "LEFT JOIN programmes pr ON pr.id = s.programme_id "
                   "WHERE a.participant_id = :p ORDER BY s.date, s.start_time"),
    ("allowances", "SELECT substr(s.date, 1, 7) AS month, pr.name AS programme, "
                   "SUM(a.hours) AS hours FROM attendance a "
                   "JOIN sessions s ON s.id = a.session_id "
                   "JOIN programmes pr ON pr.id = s.programme_id "
                   "WHERE a.participant_id = :p AND a.hours > 0 "
                   "GROUP BY month, pr.id ORDER BY month"),
    ("meetings", "SELECT s.date, s.start_time, s.kind, s.title, s.location FROM sessions s "
                 "WHERE s.participant_id = :p ORDER BY s.date, s.start_time"),
    ("group_sessions", "SELECT s.date, s.start_time, pr.name AS programme, s.title "
                       "FROM session_people sp JOIN sessions s ON s.id = sp.session_id "
                       "LEFT JOIN programmes pr ON pr.id = s.programme_id "
                       "WHERE sp.participant_id = :p ORDER BY s.date, s.start_time"),
    ("audit", "SELECT a.at, u.display_name AS user, a.action, a.table_name, a.field, "
              "a.old_value, a.new_value, a.reason FROM audit_log a "
              "LEFT JOIN users u ON u.id = a.user_id WHERE a.participant_id = :p "
              "ORDER BY a.id"),
)


@dataclass(frozen=True)
class Export:
    participant_id: int
    name: str
    made_at: str
    made_by: str
    sections: dict[str, list[dict]]


def find(db: sqlite_utils.Database, actor: User, typed: str) -> int:
    """The person an access request names: her EMŠO or her record's number."""
    access.require_dpo_or_admin(actor)
    value = (typed or "").strip()
    code = emso.normalise(value)
    if code and emso.is_valid(code):
        row = db.execute("SELECT id FROM participants WHERE emso = ?", [code]).fetchone()
    elif code and len(code) == 13 and code.isascii() and code.isdigit():
        raise UserError("error.emso_invalid", field="person")  # 13 digits: a mistyped EMŠO
    elif value.isascii() and value.isdigit() and len(value) <= 12:
        row = db.execute("SELECT id FROM participants WHERE id = ?", [int(value)]).fetchone()
    else:
        raise UserError("error.request_person_invalid", field="person")
    if row is None:
        raise UserError("error.person_unavailable", field="person")
    return row[0]


def export(db: sqlite_utils.Database, actor: User, participant_id: int) -> Export:
    """Everything held about her, and the audit entry that says who took it out when."""
    access.require_dpo_or_admin(actor)
    sections = {key: records.named_rows(db.execute(sql, {"p": participant_id}))
                for key, sql in SECTIONS}
    if not sections["person"]:
        raise UserError("error.person_unavailable", field="person")
    person = sections["person"][0]
    with write(db):
        audit.log_event(db, actor.id, "export", "participants", participant_id,
                        participant_id, reason="access_request")
    return Export(participant_id, f"{person['first_name']} {person['last_name']}",
                  config.stamp(), actor.display_name,
                  sections)


def as_json(made: Export) -> bytes:
    return json.dumps({"participant_id": made.participant_id, "made_at": made.made_at,
                       "made_by": made.made_by, **made.sections},
                      ensure_ascii=False, indent=2, default=str).encode("utf-8")


_STYLE = """body { font-family: sans-serif; font-size: 10.5pt; margin: 2em; color: #222; }
h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 1.6em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #ccc;
padding: 2px 5px; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
th { background: #f2f2f2; } .empty { color: #777; font-style: italic; }
@media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }"""


# Book-keeping the document leaves out (the JSON keeps everything held).
_NOT_SHOWN = frozenset({"name_key", "version", "created_by", "updated_by", "municipality_id",
                        "coordinator_id", "recorded_by", "scored_by"})
# The table whose code lists name a section's values.
TABLE_OF = {"person": "participants"}


def _raw(section: str, column: str, value: object) -> str:
    return "" if value is None else str(value)


def as_html(made: Export, labels: dict[str, str],
            value: Callable[[str, str, object], str] = _raw) -> str:
    """The readable document; ``labels`` names the title, the sections and the fields in
    the reader's language (keys: ``title``, ``made``, ``none``, each section key and
    ``field.<column>``), ``value(section, column, value)`` writes a value as she reads it
    (codes by their names, days the Slovenian way)."""
    def esc(text: object) -> str:
        return "" if text is None else html.escape(str(text))

    def cell(key: str, column: str, raw: object) -> str:
        return f"<td>{esc(value(key, column, raw))}</td>"

    def head(column: str) -> str:
        return f"<th>{esc(labels.get('field.' + column, column))}</th>"

    parts = [f"<!doctype html><html lang='sl'><head><meta charset='utf-8'>"
             f"<title>{esc(labels['title'])}</title><style>{_STYLE}</style></head><body>",
             f"<h1>{esc(labels['title'])}: {esc(made.name)}</h1>",
             f"<p>{esc(labels['made'])}: {esc(value('export', 'made_at', made.made_at))}, "
             f"{esc(made.made_by)}</p>"]
    for key, _ in SECTIONS:
        rows = made.sections[key]
        parts.append(f"<h2>{esc(labels[key])} ({len(rows)})</h2>")
        if not rows:
            parts.append(f"<p class='empty'>{esc(labels['none'])}</p>")
            continue
        columns = [c for c in rows[0] if c not in _NOT_SHOWN]
        if key == "person":
            parts.append("<table>" + "".join(
                f"<tr>{head(c)}{cell(key, c, rows[0][c])}</tr>" for c in columns) + "</table>")
            continue
        parts.append("<table><tr>" + "".join(head(c) for c in columns) + "</tr>")
        parts.extend("<tr>" + "".join(cell(key, c, r[c]) for c in columns) + "</tr>"
                     for r in rows)
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def as_zip(made: Export, labels: dict[str, str],
           value: Callable[[str, str, object], str] = _raw) -> bytes:
    """One download with both: the document and the machine-readable file."""
    buffer = io.BytesIO()
    stem = f"zahteva-za-dostop-{made.participant_id}"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.html", as_html(made, labels, value))
        archive.writestr(f"{stem}.json", as_json(made))
    return buffer.getvalue()
