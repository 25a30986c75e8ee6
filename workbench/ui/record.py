"""The panels of a person's record (the single entry point) and the writes behind them.

Saves of the person name the version she had on screen (``seen_version``),
not the one read on the save's own rerun: that is what makes a colleague's
save in between a refused conflict instead of a silent overwrite.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from workbench import casework, i18n, participants, stages, vocab
from workbench.auth import User
from workbench.casework import CaseRecord
from workbench.db import opened
from workbench.eligibility import age_on
from workbench.errors import UserError
from workbench.participants import Person
from workbench.ui import after_write, fmt_date, t, today
from workbench.ui import casework as cw
from workbench.ui.casework import DATE_FORMAT


def seen_version(person: Person) -> int:
    return st.session_state.setdefault(f"record_seen_{person.id}", person.version)


def _remember(person: Person, version: int) -> None:
    st.session_state[f"record_seen_{person.id}"] = version


def reload(person: Person) -> None:
    """Take the stored version as the one on screen, and refill the edit form from it."""
    st.session_state[f"record_seen_{person.id}"] = person.version
    cw.clear_keys(f"rec{person.id}_")


class _NothingChanged(Exception):
    """The save found nothing to change: said as a note, not as an error."""


def _write(action, success_key: str, *, form: str | None = None, clear: str | None = None,
           **params) -> None:
    """Every save of the record: ``action(db, token)`` on one connection, then a rerun.

    A refused save shows its message and keeps what was typed. A successful one
    drops cached reads, renews the form's token (``form``) so the next entry is a
    new record, empties the widgets keyed ``clear…`` and says ``success_key``
    once after the rerun.
    """
    try:
        with opened() as db:
            action(db, cw.form_token(form) if form else None)
    except UserError as err:
        cw.show_error(err)
        return
    except _NothingChanged:
        st.session_state["record_flash"] = (False, t("record.unchanged"))
        st.rerun()
    if form:
        cw.renew_token(form)
    if clear:
        cw.clear_keys(clear)
    after_write()
    st.session_state["record_flash"] = (True, t(success_key, **params))
    st.rerun()


def flash() -> None:
    """The message of the last save, shown once after its rerun."""
    done = st.session_state.pop("record_flash", None)
    if done:
        changed, message = done
        (st.success if changed else st.info)(message)


# -- header -------------------------------------------------------------------------------
def header(person: Person, parts: CaseRecord) -> None:
    st.title(person.name)
    st.caption(t("record.header", stage=t(f"stage.{person.stage}"),
                 since=fmt_date(person.stage_since), coordinator=person.coordinator,
                 programme=person.programme or t("record.no_programme")))
    open_tasks = [task for task in parts.tasks if task[4] is None]
    cols = st.columns(4)
    cols[0].metric(t("record.days_in_stage"), (today() - person.stage_since).days)
    cols[1].metric(t("record.next_task"), fmt_date(open_tasks[0][3]) if open_tasks
                   else t("common.none"))
    cols[2].metric(t("record.age"), age_on(person.birth_date, today()))
    cols[3].metric(t("record.municipality"), person.municipality)


# -- stage and hand-over ------------------------------------------------------------------------
def stage_panel(person: Person, user: User) -> None:
    cw.eligibility_view(cw.evaluate_eligibility(person.as_input()))
    st.subheader(t("record.move"))
    key = f"rec_move_{person.id}"
    moves = stages.allowed_moves(person.stage)
    to_stage = st.selectbox(t("record.move_to"), moves, key=f"{key}_to",
                            format_func=lambda s: t(f"stage.{s}"))
    on = st.date_input(t("record.move_date"), today(), max_value=today(),
                       format=DATE_FORMAT, key=f"{key}_on")
    reason = outcome = destination = programme = None
    if to_stage == "closed":
        reason = st.selectbox(t("record.closure_reason"), vocab.CLOSURE_REASONS, index=None,
                              key=f"{key}_closure", format_func=lambda r: t(f"closure_reason.{r}"))
    elif to_stage == "exited":
        st.caption(t("record.exit_hint"))
        outcome = st.radio(t("record.exit_outcome"), vocab.EXIT_OUTCOMES, index=None,
                           key=f"{key}_outcome", format_func=lambda o: t(f"outcome.{o}"))
        destination = st.selectbox(t("record.exit_destination"), vocab.EXIT_DESTINATIONS,
                                   index=None, key=f"{key}_destination",
                                   format_func=lambda d: t(f"exit_destination.{d}"))
        if outcome == "dropped_out":
            reason = st.selectbox(t("record.drop_out_reason"), vocab.DROP_OUT_REASONS,
                                  index=None, key=f"{key}_dropout",
                                  format_func=lambda r: t(f"drop_out_reason.{r}"))
    elif to_stage in ("contract", "in_programme") and person.enrolment_status != "active":
        programmes = cw.load_programmes(person.area_code)
        programme = st.selectbox(t("record.programme"), list(programmes), index=None,
                                 key=f"{key}_programme", format_func=programmes.get)
    else:
        if stages.is_reopening(person.stage, to_stage):
            st.caption(t("record.reopen_hint"))
        reason = st.text_input(t("record.reason"), key=f"{key}_reason", max_chars=200)
    if st.button(t("record.move_save"), type="primary", key=f"{key}_save"):
        move = stages.Move(to_stage, on, reason=reason, outcome=outcome,
                           destination=destination, programme_id=programme)
        _write(lambda db, _: _remember(person, stages.move_stage(
            db, person.id, seen_version(person), move, user_id=user.id, today=today())),
            "record.moved", clear=key, stage=t(f"stage.{to_stage}"))


def reassign_panel(person: Person, user: User) -> None:
    st.subheader(t("record.reassign"))
    others = {u.id: u.display_name for u in cw.area_coordinators(person.area_code)
              if u.id != person.coordinator_id}
    with st.form(f"rec_reassign_{person.id}"):
        target = st.selectbox(t("record.reassign_to"), list(others), format_func=others.get,
                              key=f"rec_reassign_{person.id}_to")
        reason = st.text_input(t("record.reassign_reason"), max_chars=200,
                               key=f"rec_reassign_{person.id}_reason")
        submitted = st.form_submit_button(t("record.reassign_save"))
    if submitted:
        _write(lambda db, _: _remember(person, participants.reassign(
            db, person.id, seen_version(person), target, reason, user_id=user.id)),
            "record.reassigned", name=others.get(target, ""))


# -- personal data --------------------------------------------------------------------------
def data_panel(person: Person, user: User) -> None:
    seen = seen_version(person)
    st.caption(t("record.version", version=seen))
    with st.form(f"rec{person.id}_data"):
        form = cw.person_fields(f"rec{person.id}", person.area_code, person.as_input())
        submitted = st.form_submit_button(t("record.save"), type="primary")
    if submitted:
        def save(db, _) -> None:
            version = participants.update_person(db, person.id, seen, form, user_id=user.id,
                                                 today=today())
            if version == seen:
                raise _NothingChanged
            _remember(person, version)
        _write(save, "record.saved")
    if seen != person.version and st.button(t("record.reload"), key=f"rec_reload_{person.id}"):
        reload(person)
        st.rerun()


# -- problem overview ---------------------------------------------------------------------------
def problems_panel(person: Person, parts: CaseRecord, user: User) -> None:
    if parts.scores:
        change = casework.latest_change(parts.scores)
        st.dataframe(pd.DataFrame([{
            t("col.area"): t(f"problem.{area}"),
            t("col.previous"): "" if before is None else before,
            t("col.latest"): latest,
            t("col.change"): "" if before is None else f"{latest - before:+d}",
        } for area, (before, latest) in sorted(change.items(),
                                                key=lambda kv: vocab.PROBLEM_AREAS.index(kv[0]))]),
            hide_index=True)
        st.caption(t("problems.chart"))
        frame = pd.DataFrame(parts.scores, columns=["day", "area", "score"])
        frame["area"] = [t(f"problem.{a}") for a in frame["area"]]
        frame["day"] = pd.to_datetime(frame["day"])
        chart = alt.Chart(frame).mark_line(point=True).encode(
            x=alt.X("day:T", title=t("col.date"), axis=alt.Axis(format="%d. %m. %Y")),
            y=alt.Y("score:Q", title=t("col.score"), scale=alt.Scale(domain=[0, 3]),
                    axis=alt.Axis(tickCount=4)),
            color=alt.Color("area:N", title=t("col.area")),
            tooltip=[alt.Tooltip("area:N", title=t("col.area")),
                     alt.Tooltip("day:T", title=t("col.date"), format="%d. %m. %Y"),
                     alt.Tooltip("score:Q", title=t("col.score"))])
        st.altair_chart(chart, width="stretch")
    else:
        st.info(t("problems.none"))
    latest = {area: score for _, area, score in parts.scores}
    with st.form(f"rec_scores_{person.id}"):
        st.markdown(f"**{t('problems.new')}**")
        on = st.date_input(t("problems.date"), today(), max_value=today(), format=DATE_FORMAT)
        cols = st.columns(3)
        scores = {area: cols[i % 3].selectbox(
            t(f"problem.{area}"), vocab.PROBLEM_SCORES, index=latest.get(area, 0),
            format_func=lambda s: t(f"score.{s}"), key=f"rec_score_{person.id}_{area}")
            for i, area in enumerate(vocab.PROBLEM_AREAS)}
        submitted = st.form_submit_button(t("problems.save"), type="primary")
    if submitted:
        _write(lambda db, _: casework.score_problems(db, person.id, scores, on=on,
                                                     user_id=user.id, today=today()),
               "problems.saved")


# -- activation plan ---------------------------------------------------------------------------
def plan_panel(person: Person, parts: CaseRecord, user: User) -> None:
    if not parts.plan:
        st.info(t("plan.none"))
    for goal in parts.plan:
        deadline = f" · {t('plan.deadline')}: {fmt_date(goal.deadline)}" if goal.deadline else ""
        with st.expander(f"{goal.goal} — {t(f'goal_status.{goal.status}')}{deadline}"):
            for step in goal.steps:
                done = (t("plan.step_done", date=fmt_date(step.done_on)) if step.done_on
                        else t("plan.step_open", date=fmt_date(step.deadline)))
                left, right = st.columns([4, 1])
                left.markdown(f"{'✓' if step.done_on else '○'} {step.step} · {done}")
                if not step.done_on and right.button(t("plan.mark_done"),
                                                     key=f"rec_step_done_{step.id}"):
                    _write(lambda db, _, step_id=step.id: casework.complete_step(
                        db, step_id, today(), user_id=user.id, today=today()), "plan.saved")
            with st.form(f"rec_goal_{goal.id}"):
                status = st.selectbox(t("plan.status"), vocab.GOAL_STATUSES,
                                      index=vocab.GOAL_STATUSES.index(goal.status),
                                      format_func=lambda s: t(f"goal_status.{s}"))
                step_text = st.text_input(t("plan.new_step"), max_chars=200,
                                          key=f"rec_goal_{goal.id}_step")
                step_due = st.date_input(t("plan.deadline"), None, format=DATE_FORMAT,
                                         key=f"rec_goal_{goal.id}_due")
                submitted = st.form_submit_button(t("plan.set_status"))
            if submitted:
                def save(db, token, goal=goal, status=status, step_text=step_text,
                         step_due=step_due) -> None:
                    casework.set_goal_status(db, goal.id, goal.version, status, user_id=user.id)
                    if step_text.strip():
                        casework.add_step(db, goal.id, step_text, step_due, user_id=user.id,
                                          token=token)
                _write(save, "plan.saved", form=f"step_{goal.id}", clear=f"rec_goal_{goal.id}_")
    key = f"rec_new_goal_{person.id}"
    with st.form(key):
        st.markdown(f"**{t('plan.new_goal')}**")
        goal_text = st.text_input(t("plan.goal"), max_chars=200, key=f"{key}_goal")
        deadline = st.date_input(t("plan.deadline"), None, format=DATE_FORMAT,
                                 key=f"{key}_deadline")
        submitted = st.form_submit_button(t("plan.add_goal"))
    if submitted:
        _write(lambda db, token: casework.add_goal(db, person.id, goal_text, deadline,
                                                   user_id=user.id, token=token),
               "plan.saved", form=key, clear=f"{key}_")


# -- contacts, tasks, referrals out --------------------------------------------------------------
def contacts_panel(person: Person, parts: CaseRecord, user: User) -> None:
    with st.form(f"rec_contact_{person.id}"):
        st.markdown(f"**{t('contacts.new')}**")
        left, right = st.columns(2)
        on = left.date_input(t("col.date"), today(), max_value=today(), format=DATE_FORMAT,
                             key=f"rec_contact_{person.id}_on")
        kind = right.selectbox(t("col.kind"), vocab.CONTACT_KINDS,
                               format_func=lambda k: t(f"contact_kind.{k}"),
                               key=f"rec_contact_{person.id}_kind")
        # No max_chars here on purpose: the library refuses an over-long note with a
        # message instead of the browser cutting it silently.
        note = st.text_area(t("contacts.note"), key=f"rec_contact_{person.id}_note")
        next_step = st.text_input(t("contacts.next_step"), max_chars=200,
                                  key=f"rec_contact_{person.id}_next")
        submitted = st.form_submit_button(t("contacts.add"), type="primary")
    if submitted:
        _write(lambda db, token: casework.add_contact(
            db, person.id, on=on, kind=kind, note=note, next_step=next_step, user_id=user.id,
            today=today(), token=token),
            "contacts.added", form=f"contact_{person.id}", clear=f"rec_contact_{person.id}_")
    if parts.contacts:
        st.dataframe(pd.DataFrame([{
            t("col.date"): fmt_date(day), t("col.kind"): t(f"contact_kind.{kind}"),
            t("col.note"): note, t("col.next_step"): next_step or "", t("col.who"): who or ""}
            for _, day, kind, note, next_step, who in parts.contacts]), hide_index=True)
    else:
        st.info(t("contacts.none"))


def tasks_panel(person: Person, parts: CaseRecord, user: User) -> None:
    st.caption(t("tasks.follow_up_hint"))
    if parts.tasks:
        st.dataframe(pd.DataFrame([{
            t("tasks.due"): fmt_date(due),
            t("tasks.task"): title or t(f"task_kind.{kind}"),
            t("col.status"): t("tasks.done", date=fmt_date(done)) if done else (
                t("tasks.overdue") if due < today().isoformat() else t("tasks.open"))}
            for _, kind, title, due, done in parts.tasks]), hide_index=True)
    else:
        st.info(t("tasks.none"))
    open_tasks = {task_id: f"{fmt_date(due)} — {title}"
                  for task_id, kind, title, due, done in parts.tasks
                  if done is None and kind == "other"}
    if open_tasks:
        left, right = st.columns([4, 1], vertical_alignment="bottom")
        chosen = left.selectbox(t("tasks.task"), list(open_tasks), format_func=open_tasks.get,
                                key=f"rec_task_pick_{person.id}")
        if right.button(t("tasks.complete"), key=f"rec_task_done_{person.id}"):
            _write(lambda db, _: casework.complete_task(db, chosen, today(), user_id=user.id,
                                                        today=today()), "tasks.completed")
    key = f"rec_task_{person.id}"
    with st.form(key):
        st.markdown(f"**{t('tasks.new')}**")
        title = st.text_input(t("tasks.task"), max_chars=200, key=f"{key}_title")
        due = st.date_input(t("tasks.due"), today() + dt.timedelta(days=7), format=DATE_FORMAT,
                            key=f"{key}_due")
        submitted = st.form_submit_button(t("tasks.add"))
    if submitted:
        _write(lambda db, token: casework.add_task(db, person.id, title, due, user_id=user.id,
                                                   token=token),
               "tasks.added", form=key, clear=f"{key}_")


def referrals_panel(person: Person, parts: CaseRecord, user: User) -> None:
    if parts.referrals:
        st.dataframe(pd.DataFrame([{
            t("referrals.sent_on"): fmt_date(r.sent_on), t("referrals.institution"): r.institution,
            t("referrals.purpose"): r.purpose or "",
            t("referrals.status"): t(f"referral_status.{r.status}"),
            t("referrals.answer"): r.answer or "", t("col.date"): fmt_date(r.answered_on)}
            for r in parts.referrals]), hide_index=True)
        by_id = {r.id: r for r in parts.referrals}
        with st.form(f"rec_answer_{person.id}"):
            chosen = st.selectbox(t("referrals.institution"), list(by_id),
                                  format_func=lambda i: f"{by_id[i].institution} "
                                  f"({fmt_date(by_id[i].sent_on)})")
            status = st.selectbox(t("referrals.status"), vocab.REFERRAL_OUT_STATUSES,
                                  format_func=lambda s: t(f"referral_status.{s}"))
            answer = st.text_area(t("referrals.answer"))
            submitted = st.form_submit_button(t("referrals.save_answer"))
        if submitted:
            _write(lambda db, _: casework.answer_referral_out(
                db, chosen, by_id[chosen].version, status, answer, on=today(), user_id=user.id,
                today=today()), "referrals.answered")
    else:
        st.info(t("referrals.none"))
    key = f"rec_referral_{person.id}"
    with st.form(key):
        st.markdown(f"**{t('referrals.new')}**")
        institution = st.text_input(t("referrals.institution"), max_chars=200,
                                    key=f"{key}_institution")
        purpose = st.text_area(t("referrals.purpose"), key=f"{key}_purpose")
        sent_on = st.date_input(t("referrals.sent_on"), today(), max_value=today(),
                                format=DATE_FORMAT, key=f"{key}_sent_on")
        submitted = st.form_submit_button(t("referrals.add"))
    if submitted:
        _write(lambda db, token: casework.add_referral_out(
            db, person.id, institution, purpose, sent_on=sent_on, user_id=user.id,
            today=today(), token=token),
            "referrals.added", form=key, clear=f"{key}_")


# -- timeline and change log ------------------------------------------------------------------
def _event_text(event: casework.Event) -> tuple[str, str]:
    if event.kind == "stage":
        reason = event.detail
        for prefix in ("referral_source", "closure_reason", "drop_out_reason", "outcome"):
            if f"{prefix}.{reason}" in i18n.SL:
                reason = t(f"{prefix}.{reason}")
                break
        return t("timeline.stage", stage=t(f"stage.{event.code}")), reason
    if event.kind == "contact":
        return t("timeline.contact", kind=t(f"contact_kind.{event.code}")), event.detail
    if event.kind == "goal":
        return t("timeline.goal", status=t(f"goal_status.{event.code}")), event.detail
    if event.kind == "task":
        return t("timeline.task", kind=t(f"task_kind.{event.code}")), event.detail
    if event.kind == "referral_out":
        return t("timeline.referral_out", status=t(f"referral_status.{event.code}")), event.detail
    return t(f"timeline.{event.kind}"), event.detail


def timeline_panel(parts: CaseRecord) -> None:
    if not parts.timeline:
        st.info(t("timeline.none"))
        return
    rows = []
    for event in parts.timeline:
        what, detail = _event_text(event)
        rows.append({t("col.date"): fmt_date(event.day), t("col.event"): what,
                     t("col.detail"): detail})
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def audit_panel(parts: CaseRecord) -> None:
    st.dataframe(pd.DataFrame([{
        t("col.when"): c.at.replace("T", " ")[:16], t("col.who"): c.user,
        t("col.action"): t(f"action.{c.action}"), t("col.record"): c.table,
        t("col.field"): t(f"field.{c.field}") if c.table == "participants" and c.field
        else (c.field or ""),
        t("col.old"): cw.label(c.field, c.old) if c.field else "",
        t("col.new"): cw.label(c.field, c.new) if c.field else "",
        t("col.reason"): c.reason or ""} for c in parts.history]), hide_index=True)


