"""Oseba: everything about one person in one place (the single entry point).

The person is named in the address (``?person=ID``) on every way in, the open
tab too (``?zavihek=contacts``, the same in every language), so a save, a reload or
a bookmark comes back to the same place. Saves of the person's own row name the version
she had on screen, so a colleague's save in between is a refused conflict, never a silent
overwrite; the edit form writes only the fields she changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

import streamlit as st

from workbench import (
    audit_view,
    casework,
    charts,
    eligibility,
    enrolment,
    participants,
    pipeline,
    text,
    vocab,
)
from workbench.auth import User
from workbench.casework import CaseRecord
from workbench.errors import UserError
from workbench.participants import Person
from workbench.protection import consent
from workbench.ui import address, agenda, components, interpreting, widgets
from workbench.ui.lang import fmt_date, fmt_datetime, lang, t, t_for, translated
from workbench.ui.loaders import (
    area_coordinators,
    load_open_places,
    load_person,
    load_record,
    read,
    today,
)
from workbench.ui.person_form import person_fields
from workbench.ui.widgets import choose, date_field, md, save, tx

TABS = ("summary", "data", "problems", "plan", "contacts", "tasks", "referrals", "consents",
        "timeline", "audit")
TAB_KEY = "zavihek"  # the address names the open tab by its id: ?person=6&zavihek=contacts


def show(user: User) -> None:
    chosen = st.query_params.get("person")
    if chosen is None:
        _search(user)
        return
    person_id = text.parse_id(chosen)
    try:
        if person_id is None:
            raise UserError("error.person_unavailable")
        person = load_person(user, person_id)
    except UserError:  # missing, or not hers to see: one message for both
        st.error(t("record.not_found"))
        _back_to_search()
        return
    _start_visit(user, person)
    widgets.settle_offers()
    _header(user, person)
    _offers(user, person)
    if person.anonymised_on:
        st.info(t("record.anonymised", on=fmt_date(person.anonymised_on)),
                icon=":material/shield_person:")
    widgets.show_flash()
    _conflict_banner(person)
    tabs = address.tabs(TABS, lambda name: f"tab.{name}", key="rec_tab", name=TAB_KEY)
    parts = functools.cache(lambda: load_record(user, person.id))  # once, and only if needed
    panels = {
        "summary": lambda: (_stage_panel(person, user), _history_panel(person, user),
                            _reassign_panel(person, user),
                            agenda.person_meetings(user, person.id, "rec_meetings")),
        "data": lambda: _data_panel(person, user),
        "problems": lambda: _problems_panel(person, parts(), user),
        "plan": lambda: _plan_panel(person, parts(), user),
        "contacts": lambda: _contacts_panel(person, parts(), user),
        "tasks": lambda: _tasks_panel(person, parts(), user),
        "referrals": lambda: _referrals_panel(person, parts(), user),
        "consents": lambda: _consents_panel(person, user),
        "timeline": lambda: _timeline_panel(parts()),
        "audit": lambda: _audit_panel(parts(), person.sex),
    }
    for name, tab in zip(TABS, tabs, strict=True):
        # Only the open tab is built (tabs whose state is not tracked say None).
        if tab.open is not False:
            with tab:
                panels[name]()


# -- finding a person ------------------------------------------------------------------------
def _search(user: User) -> None:
    st.title(t("record.title"), anchor=False)
    query = st.text_input(t("record.search"), key="record_search", max_chars=text.SEARCH_MAX,
                          placeholder=t("record.search_placeholder"))
    if not query.strip():
        st.info(t("record.pick"))
        return
    try:
        found = read(participants.search, user, query)
    except UserError as err:
        widgets.show_error(err)
        return
    if not found:
        st.info(t("record.no_results"))
        return
    markup = components.table(
        [t("col.person"), t("field.birth_date"), t("col.municipality"), t("col.stage")],
        [(components.person_link(m.id, m.name), components.esc(fmt_date(m.birth_date)),
          components.esc(m.municipality), components.esc(t(f"stage.{m.stage}")))
         for m in found])
    components.open_clicked(components.show(markup, key="record_results"))


def _back_to_search() -> None:
    if st.button(t("record.back_to_search"), key="record_back", icon=":material/search:",
                 type="tertiary"):
        st.query_params.clear()
        st.rerun()


# -- one visit of a record -----------------------------------------------------------------------
def _state(person: Person, name: str) -> str:
    return f"rec_{person.id}_{name}"


def _start_visit(user: User, person: Person) -> None:
    """Opening a record (from any page, or another person) starts a visit: it is audited
    once, and the version and values on screen are the stored ones."""
    visit = (st.session_state.get("ui_page_entry"), person.id)
    if st.session_state.get("rec_visit") == visit:
        return
    st.session_state["rec_visit"] = visit
    read(participants.open_person, user, person.id)
    _take_stored(person)


def _take_stored(person: Person) -> None:
    """Show the stored version: what the edit form starts from and what a save names."""
    st.session_state[_state(person, "seen")] = person.version
    st.session_state[_state(person, "baseline")] = dataclasses.asdict(person.as_input())
    widgets.reset_form(_state(person, "data"))


def _seen(person: Person) -> int:
    return st.session_state.get(_state(person, "seen"), person.version)


def _baseline(person: Person) -> participants.PersonInput:
    """The values the edit form was filled with: what "changed" is measured against."""
    key = _state(person, "baseline")
    if key not in st.session_state:
        st.session_state[key] = dataclasses.asdict(person.as_input())
    return participants.PersonInput(**st.session_state[key])


def _conflict_banner(person: Person) -> None:
    if _seen(person) == person.version:
        return
    st.warning(t("record.changed_meanwhile"), icon=":material/sync_problem:")
    if st.button(t("record.reload"), key=_state(person, "reload"), icon=":material/refresh:"):
        _take_stored(person)
        widgets.flash(t("record.reloaded"), "info")
        st.rerun()


def _remember(person: Person, version: int) -> None:
    """After her own save the stored version is the one on screen."""
    st.session_state[_state(person, "seen")] = version
    st.session_state.pop(_state(person, "baseline"), None)


# A stored value as a coordinator reads it (a conflict's changes, the change log).
label = widgets.stored_value


# -- header -------------------------------------------------------------------------------
def _header(user: User, person: Person) -> None:
    _back_to_search()
    st.title(md(person.name), anchor=False)
    st.caption(tx("record.header", stage=t(f"stage.{person.stage}"),
                  since=fmt_date(person.stage_since), coordinator=person.coordinator,
                  programme=person.programme or t("record.no_programme")))
    if person.interpreter_needed:
        st.badge(t("record.needs_interpreter", language=interpreting.language(person.language)),
                 icon=":material/translate:", color="orange")
    cols = st.columns(4)
    days = (today() - person.stage_since).days
    cols[0].metric(t("record.days_in_stage"), days)
    cols[1].metric(t("record.age"), eligibility.age_on(person.birth_date, today()))
    cols[2].metric(t("record.municipality"), person.municipality)
    next_due = read(casework.next_due, user, person.id)
    overdue = casework.is_overdue(next_due, None, today())
    cols[3].metric(t("record.next_task"), fmt_date(next_due) if next_due else t("common.none"),
                   delta=t("tasks.overdue") if overdue else None, delta_color="inverse",
                   delta_arrow="off")


# -- a place offered to her ----------------------------------------------------------------------
def _offers(user: User, person: Person) -> None:
    """A freed place offered to her and held until its day: she takes it up (the contract
    is signed today) or declines it with a reason (it goes to the next person waiting)."""
    for offer in read(enrolment.offers, user, person.id, today=today()):
        _offer_panel(user, person, offer)


def _offer_panel(user: User, person: Person, offer) -> None:
    form = _state(person, f"offer_{offer.programme_id}")
    key = widgets.form_key(form)
    # A long programme she does not qualify for takes her only with a reason (the same
    # check the contract makes: workbench.enrolment.check_long_programme).
    exception = offer.programme_type == "long" and not read(
        eligibility.evaluate_form, person.as_input(), today()).long_programme
    with st.container(border=True):
        st.markdown(":material/event_seat: " + tx(
            "offer.open", programme=offer.programme, on=fmt_date(offer.offered_on),
            until=fmt_date(offer.offer_until)))
        st.caption(t("offer.exception_hint") if exception else t("offer.terms_hint"))
        cols = st.columns(3)
        terms = widgets.contract_terms(
            key, start=max(today(), dt.date.fromisoformat(offer.programme_start)),
            at=(*cols, st), reason=exception)
        left, middle, right = st.columns([2, 3, 1.4], vertical_alignment="bottom")
        take = left.button(t("offer.take_up"), type="primary", key=f"{key}_take")
        reason = middle.text_input(t("offer.decline_reason"), key=f"{key}_reason",
                                   max_chars=text.SHORT_TEXT_MAX,
                                   help=t("reason.personal_data_help"))
        decline = right.button(t("offer.decline"), key=f"{key}_decline")
    if take:
        move = pipeline.Move("contract", today(), programme_id=offer.programme_id)

        def take_up(db, _) -> widgets.Said:
            done = enrolment.move(db, user, person.id, _seen(person), move, today=today(),
                                  terms=terms)
            _remember(person, done.version)
            if done.waiting:
                return widgets.Said(widgets.waiting_said(done, person.name, terms), "info")
            return widgets.Said(tx("offer.taken", programme=offer.programme))
        save(take_up, "", form=form, label=label)
    if decline:
        save(lambda db, token: enrolment.decline_offer(
            db, user, offer.programme_id, person.id, reason, today=today(), token=token),
            t("offer.declined"), form=form)


# -- stage and hand-over ------------------------------------------------------------------------
def _stage_panel(person: Person, user: User) -> None:
    widgets.eligibility_view(read(eligibility.evaluate_form, person.as_input(), today()),
                             person.sex)
    st.subheader(t("record.move"), anchor=False)
    form = _state(person, "move")
    key = widgets.form_key(form)
    moves = pipeline.allowed_moves(person.stage)
    left, right = st.columns(2)
    # No stage chosen for her: a move is a decision (and the step back is one of them).
    to_stage = choose(t("record.move_to"), moves, key=f"{key}_to",
                      format_func=lambda s: t(f"stage.{s}"), container=left)
    on = date_field(t("record.move_date"), value=today(), key=f"{key}_on", container=right)
    reason = outcome = destination = programme = situation = None
    override = ""
    interpreter_ok = True
    needs = pipeline.requirements(person.stage, to_stage, person.enrolled) if to_stage \
        else frozenset()
    if "closure_reason" in needs:
        reason = choose(t("record.closure_reason"), vocab.CLOSURE_REASONS, key=f"{key}_closure",
                        format_func=lambda r: t_for(f"closure_reason.{r}", person.sex))
    if "outcome" in needs:
        st.caption(t("record.exit_hint"))
        outcome = st.radio(t("record.exit_outcome"), vocab.EXIT_OUTCOMES, index=None,
                           key=translated(f"{key}_outcome"), horizontal=True,
                           format_func=lambda o: t_for(f"outcome.{o}", person.sex))
        destination = choose(t("record.exit_destination"), vocab.EXIT_DESTINATIONS,
                             key=f"{key}_destination",
                             format_func=lambda d: t_for(f"exit_destination.{d}", person.sex))
        if outcome == "dropped_out":
            reason = choose(t("record.drop_out_reason"), vocab.DROP_OUT_REASONS,
                            key=f"{key}_dropout", format_func=lambda r: t(f"drop_out_reason.{r}"))
    if "programme" in needs:
        places = load_open_places(person.area_code, today())
        programme = choose(t("record.programme"), places, key=f"{key}_programme",
                           format_func=lambda p: t("record.programme_places", name=places[p][0],
                                                   n=places[p][1]) if places[p][1]
                           else t("record.programme_full", name=places[p][0]))
        interpreter_ok = programme is None or interpreting.confirmed(
            read(participants.enrolment_warnings, user, person.id, programme), "programme",
            f"{key}_interpreter")
        if programme is not None and places[programme][2] == "long":
            override = st.text_input(t("field.override_reason"), key=f"{key}_override",
                                     max_chars=text.SHORT_TEXT_MAX,
                                     help=t("people.override_help"))
    if "situation" in needs:
        situation = choose(t("record.situation"), vocab.FOLLOW_UP_SITUATIONS,
                           key=f"{key}_situation",
                           format_func=lambda s: t_for(f"situation.{s}", person.sex),
                           help=t("record.situation_help"))
    if "reason" in needs:
        if pipeline.is_reopening(person.stage, to_stage):
            st.caption(t("record.reopen_hint"))
        reason = st.text_input(t("record.reason"), key=f"{key}_reason",
                               max_chars=text.SHORT_TEXT_MAX, help=t("reason.personal_data_help"))
    if st.button(t("record.move_save"), type="primary", key=f"{key}_save"):
        if not interpreter_ok:
            widgets.show_error(UserError("error.interpreter_unconfirmed"))
            return
        move = pipeline.Move(to_stage, on, reason=reason, outcome=outcome,
                             destination=destination, programme_id=programme,
                             situation=situation)
        def act(db, _) -> widgets.Said | None:
            # A move that needs a place takes one, or queues her when the programme is full.
            done = enrolment.move(db, user, person.id, _seen(person), move, today=today(),
                                  terms=enrolment.Terms(override_reason=override))
            _remember(person, done.version)
            if done.waiting:
                return widgets.Said(widgets.waiting_said(
                    done, person.name, enrolment.Terms(override_reason=override)), "info")
            return None
        save(act, tx("record.moved", stage=t(f"stage.{to_stage}") if to_stage else ""),
             form=form, label=label)


def _stage_reason(reason: str | None) -> str:
    """A move's reason: a code of its list as its label, free text as typed."""
    listed = vocab.stage_reason_list(reason) if reason else None
    return t(f"{listed}.{reason}") if listed else (reason or "")


def _history_panel(person: Person, user: User) -> None:
    """Her stage history, and the correction of a wrong move: its date, or the latest one
    undone, with a reason (workbench.pipeline.correct_move)."""
    history = read(pipeline.moves, user, person.id)
    st.subheader(t("record.history"), anchor=False)
    widgets.table([{
        t("col.date"): fmt_date(m.day),
        t("record.history_from"): t(f"stage.{m.from_stage}") if m.from_stage else "",
        t("record.history_to"): t(f"stage.{m.to_stage}"),
        t("col.reason"): _stage_reason(m.reason)} for m in history],
        key=f"rec_{person.id}_history")
    correctable = {m.id: m for m in history if m.can_redate}
    if not correctable:
        return
    form = _state(person, "correct")
    key = widgets.form_key(form)
    with st.container(border=True):
        st.markdown(f"**{t('record.correct')}**")
        st.caption(t("record.correct_hint"))
        left, right = st.columns(2)
        chosen = choose(t("field.correction_move"), list(correctable), key=f"{key}_move",
                        format_func=lambda i: f"{fmt_date(correctable[i].day)} · "
                        f"{t('stage.' + correctable[i].to_stage)}", container=left)
        ways = ("date", "undo") if chosen is not None and correctable[chosen].can_undo \
            else ("date",)
        how = right.radio(t("record.correct_how"), ways, key=translated(f"{key}_how"),
                          horizontal=True, format_func=lambda w: t(f"record.correct_how.{w}"))
        on = None
        if how != "undo":
            on = date_field(t("field.correction_date"), key=f"{key}_on")
        reason = st.text_input(t("field.correction_reason"), key=f"{key}_reason",
                               max_chars=text.SHORT_TEXT_MAX, help=t("reason.personal_data_help"))
        if st.button(t("record.correct_save"), key=f"{key}_save", type="primary"):
            correction = pipeline.Correction(chosen, undo=how == "undo", on=on, reason=reason)

            def act(db, token) -> None:
                _remember(person, pipeline.correct_move(
                    db, user, person.id, _seen(person), correction, today=today(),
                    token=token))
            save(act, t("record.corrected"), form=form, label=label)


def _reassign_panel(person: Person, user: User) -> None:
    st.subheader(t("record.reassign"), anchor=False)
    others = {u.id: u.display_name for u in area_coordinators(person.area_code)
              if u.id != person.coordinator_id}
    form = _state(person, "reassign")
    key = widgets.form_key(form)
    with st.form(key):
        left, right = st.columns(2)
        target = choose(t("record.reassign_to"), others, key=f"{key}_to",
                        format_func=others.get, container=left)
        reason = right.text_input(t("record.reassign_reason"), max_chars=text.SHORT_TEXT_MAX,
                                  key=f"{key}_reason", help=t("reason.personal_data_help"))
        submitted = st.form_submit_button(t("record.reassign_save"))
    if submitted:
        save(lambda db, _: _remember(person, participants.reassign(
            db, user, person.id, _seen(person), target, reason, today=today())),
            tx("record.reassigned", name=others.get(target, "")), form=form, label=label)


# -- personal data --------------------------------------------------------------------------
def _data_panel(person: Person, user: User) -> None:
    seen = _seen(person)
    st.caption(t("record.version", version=seen))
    form = _state(person, "data")
    baseline = _baseline(person)
    with st.form(widgets.form_key(form)):
        edited = person_fields(widgets.form_key(form), person.area_code, baseline)
        submitted = st.form_submit_button(t("record.save"), type="primary")
    if submitted:
        changes = participants.changed_fields(baseline, edited)

        def action(db, _) -> None:
            if not changes:
                raise widgets.NothingChanged
            _remember(person, participants.update_person(
                db, user, person.id, seen, changes, today=today()))
        save(action, t("record.saved"), form=form, label=label)


# -- problem overview ---------------------------------------------------------------------------
def _problems_panel(person: Person, parts: CaseRecord, user: User) -> None:
    if parts.scores:
        change = casework.latest_change(parts.scores)
        widgets.table([{
            t("col.area"): t(f"problem.{area}"),
            t("col.previous"): before,
            t("col.latest"): latest,
            t("col.change"): None if before is None else f"{latest - before:+d}",
        } for area, (before, latest) in sorted(change.items(),
                                                key=lambda kv: vocab.PROBLEM_AREAS.index(kv[0]))],
            key=f"rec_{person.id}_scores")
        st.caption(t("problems.chart"))
        widgets.chart(charts.problem_scores(parts.scores, lang()))
    else:
        st.info(t("problems.none"))
    latest = {s.area: s.score for s in parts.scores}
    form = _state(person, "scores")
    key = widgets.form_key(form)
    with st.form(key):
        st.markdown(f"**{t('problems.new')}**")
        on = date_field(t("problems.date"), value=today(), key=f"{key}_on")
        cols = st.columns(3)
        scores = {area: cols[i % 3].selectbox(
            t(f"problem.{area}"), vocab.PROBLEM_SCORES, index=latest.get(area, 0),
            format_func=lambda s: t(f"score.{s}"), key=translated(f"{key}_{area}"))
            for i, area in enumerate(vocab.PROBLEM_AREAS)}
        submitted = st.form_submit_button(t("problems.save"), type="primary")
    if submitted:
        def score(db, _):
            if not casework.score_problems(db, user, person.id, scores, on=on, today=today()):
                raise widgets.NothingChanged  # the same assessment, saved again
        save(score, t("problems.saved"), form=form)


# -- activation plan ---------------------------------------------------------------------------
def _plan_panel(person: Person, parts: CaseRecord, user: User) -> None:
    if not parts.plan:
        st.info(t("plan.none"))
    for goal in parts.plan:
        deadline = f" · {t('plan.deadline')}: {fmt_date(goal.deadline)}" if goal.deadline else ""
        with st.expander(f"{md(goal.goal)} — {t(f'goal_status.{goal.status}')}{deadline}"):
            for step in goal.steps:
                done = (t("plan.step_done", date=fmt_date(step.done_on)) if step.done_on
                        else t("plan.step_open", date=fmt_date(step.deadline) or "—"))
                left, right = st.columns([4, 1])
                left.markdown(f"{'✓' if step.done_on else '○'} {md(step.step)} · {done}")
                if not step.done_on and right.button(t("plan.mark_done"),
                                                     key=f"rec_step_done_{step.id}"):
                    save(lambda db, _, step_id=step.id: casework.complete_step(
                        db, user, step_id, today(), today=today()),
                        t("plan.step_saved"))
            form = f"rec_goal_{goal.id}"
            key = widgets.form_key(form)
            with st.form(key):
                left, middle, right = st.columns([2, 3, 2])
                status = left.selectbox(t("plan.status"), vocab.GOAL_STATUSES,
                                        index=vocab.GOAL_STATUSES.index(goal.status),
                                        format_func=lambda s: t(f"goal_status.{s}"),
                                        key=translated(f"{key}_status"))
                step_text = middle.text_input(t("plan.new_step"), max_chars=text.SHORT_TEXT_MAX,
                                              key=f"{key}_step")
                step_due = date_field(t("plan.deadline"), key=f"{key}_due", container=right)
                submitted = st.form_submit_button(t("plan.set_status"))
            if submitted:
                def action(db, token, goal=goal, status=status, step_text=step_text,
                           step_due=step_due) -> None:
                    if not casework.update_goal(db, user, goal.id, goal.version, status,
                                                step_text, step_due, today=today(),
                                                token=token):
                        raise widgets.NothingChanged
                save(action, t("plan.saved"), form=form)
    form = _state(person, "goal")
    key = widgets.form_key(form)
    with st.form(key):
        st.markdown(f"**{t('plan.new_goal')}**")
        left, right = st.columns([3, 1])
        goal_text = left.text_input(t("plan.goal"), max_chars=text.SHORT_TEXT_MAX,
                                    key=f"{key}_goal")
        deadline = date_field(t("plan.deadline"), key=f"{key}_deadline", container=right)
        submitted = st.form_submit_button(t("plan.add_goal"))
    if submitted:
        save(lambda db, token: casework.add_goal(db, user, person.id, goal_text, deadline,
                                                 today=today(), token=token),
             t("plan.goal_added"), form=form)


# -- contacts, tasks, referrals out --------------------------------------------------------------
def _contacts_panel(person: Person, parts: CaseRecord, user: User) -> None:
    form = _state(person, "contact")
    key = widgets.form_key(form)
    with st.form(key):
        st.markdown(f"**{t('contacts.new')}**")
        left, right = st.columns(2)
        on = date_field(t("col.date"), value=today(), key=f"{key}_on", container=left)
        kind = choose(t("col.kind"), vocab.CONTACT_KINDS, key=f"{key}_kind",
                      format_func=lambda k: t(f"contact_kind.{k}"), container=right)
        # No max_chars here on purpose: the library refuses an over-long note with a
        # message instead of the browser cutting it silently.
        note = st.text_area(t("contacts.note"), key=f"{key}_note")
        next_step = st.text_input(t("contacts.next_step"), max_chars=text.SHORT_TEXT_MAX,
                                  key=f"{key}_next")
        submitted = st.form_submit_button(t("contacts.add"), type="primary")
    if submitted:
        save(lambda db, token: casework.add_contact(
            db, user, person.id, on=on, kind=kind, note=note, next_step=next_step,
            today=today(), token=token), t("contacts.added"), form=form)
    if parts.contacts:
        widgets.table([{
            t("col.date"): fmt_date(c.date), t("col.kind"): t(f"contact_kind.{c.kind}"),
            t("col.note"): c.note, t("col.next_step"): c.next_step,
            t("col.who"): c.who} for c in parts.contacts], key=f"rec_{person.id}_contacts")
    else:
        st.info(t("contacts.none"))


def _tasks_panel(person: Person, parts: CaseRecord, user: User) -> None:
    st.caption(t("tasks.follow_up_hint"))
    if parts.tasks:
        widgets.table([{
            t("tasks.due"): fmt_date(task.due_date),
            t("tasks.task"): task.title or t(f"task_kind.{task.kind}"),
            t("col.status"): t("tasks.done", date=fmt_date(task.done_at)) if task.done_at else (
                t("tasks.overdue") if task.overdue(today()) else t("tasks.open"))}
            for task in parts.tasks], key=f"rec_{person.id}_tasks")
    else:
        st.info(t("tasks.none"))
    open_tasks = {task.id: f"{fmt_date(task.due_date)} — {task.title}"
                  for task in parts.open_tasks() if task.kind == "other"}
    if open_tasks:
        left, right = st.columns([4, 1], vertical_alignment="bottom")
        chosen = choose(t("tasks.open_task"), open_tasks, key=f"rec_task_pick_{person.id}",
                        format_func=open_tasks.get, container=left)
        if right.button(t("tasks.complete"), key=f"rec_task_done_{person.id}"):
            if chosen is None:
                st.error(t("error.task_required"))
            else:
                save(lambda db, _: casework.complete_task(db, user, chosen, today(),
                                                          today=today()), t("tasks.completed"))
    form = _state(person, "task")
    key = widgets.form_key(form)
    with st.form(key):
        st.markdown(f"**{t('tasks.new')}**")
        left, right = st.columns([3, 1])
        title = left.text_input(t("tasks.task"), max_chars=text.SHORT_TEXT_MAX, key=f"{key}_title")
        due = date_field(t("tasks.due"), value=today() + dt.timedelta(days=7), key=f"{key}_due",
                         container=right)
        submitted = st.form_submit_button(t("tasks.add"))
    if submitted:
        save(lambda db, token: casework.add_task(db, user, person.id, title, due,
                                                 today=today(), token=token),
             t("tasks.added"), form=form)


def _referrals_panel(person: Person, parts: CaseRecord, user: User) -> None:
    shared = read(consent.sharing, user, person.id)
    if parts.referrals:
        widgets.table([{
            t("referrals.sent_on"): fmt_date(r.sent_on), t("referrals.institution"): r.institution,
            t("referrals.purpose"): r.purpose,
            t("referrals.status"): t(f"referral_status.{r.status}") + (
                f" · {t('consent.withdrawn_mark')}"
                if consent.institution_key(r.institution) in shared.withdrawn else ""),
            t("referrals.answer"): r.answer, t("col.date"): fmt_date(r.answered_on)}
            for r in parts.referrals], key=f"rec_{person.id}_referrals")
        by_id = {r.id: r for r in parts.referrals}
        form = _state(person, "answer")
        key = widgets.form_key(form)
        with st.form(key):
            st.markdown(f"**{t('referrals.answer_title')}**")
            left, right = st.columns(2)
            chosen = choose(t("referrals.institution"), by_id, key=f"{key}_which",
                            format_func=lambda i: f"{by_id[i].institution} "
                            f"({fmt_date(by_id[i].sent_on)})", container=left)
            status = choose(t("referrals.status"), vocab.REFERRAL_OUT_STATUSES,
                            key=f"{key}_status", format_func=lambda s: t(f"referral_status.{s}"),
                            container=right)
            answer = st.text_area(t("referrals.answer"), key=f"{key}_text")
            submitted = st.form_submit_button(t("referrals.save_answer"))
        if submitted:
            def action(db, _) -> None:
                if chosen is None:
                    raise UserError("error.referral_required", field="institution")
                casework.answer_referral_out(db, user, chosen, by_id[chosen].version, status,
                                             answer, on=today(), today=today())
            save(action, t("referrals.answered"), form=form)
    else:
        st.info(t("referrals.none"))
    form = _state(person, "referral")
    key = widgets.form_key(form)
    with st.form(key):
        st.markdown(f"**{t('referrals.new')}**")
        st.caption(tx("consent.sharing_in_force", names=", ".join(shared.in_force))
                   if shared.in_force else t("consent.sharing_none"))
        left, right = st.columns([3, 1])
        institution = left.text_input(t("referrals.institution"), max_chars=text.SHORT_TEXT_MAX,
                                      key=f"{key}_institution")
        sent_on = date_field(t("referrals.sent_on"), value=today(), key=f"{key}_sent_on",
                             container=right)
        purpose = st.text_area(t("referrals.purpose"), key=f"{key}_purpose")
        submitted = st.form_submit_button(t("referrals.add"))
    if submitted:
        save(lambda db, token: casework.add_referral_out(
            db, user, person.id, institution, purpose, sent_on=sent_on, today=today(),
            token=token), t("referrals.added"), form=form)


# -- timeline and change log ------------------------------------------------------------------
def _event_text(event: casework.Event) -> tuple[str, str]:
    if event.kind == "stage":
        reason = event.detail
        listed = vocab.stage_reason_list(reason)
        return (t("timeline.stage", stage=t(f"stage.{event.code}")),
                t(f"{listed}.{reason}") if listed else reason)
    if event.kind == "contact":
        return t("timeline.contact", kind=t(f"contact_kind.{event.code}")), event.detail
    if event.kind == "goal":
        return t("timeline.goal", status=t(f"goal_status.{event.code}")), event.detail
    if event.kind == "task":
        return t("timeline.task", kind=t(f"task_kind.{event.code}")), event.detail
    if event.kind == "referral_out":
        return t("timeline.referral_out", status=t(f"referral_status.{event.code}")), event.detail
    return t(f"timeline.{event.kind}"), event.detail


def _timeline_panel(parts: CaseRecord) -> None:
    if not parts.timeline:
        st.info(t("timeline.none"))
        return
    rows = []
    for event in parts.timeline:
        what, detail = _event_text(event)
        rows.append({t("col.date"): fmt_date(event.day), t("col.event"): what,
                     t("col.detail"): detail})
    widgets.table(rows, key="rec_timeline")


def _consents_panel(person: Person, user: User) -> None:
    """Her consents per purpose: given (when, how) and withdrawn; a withdrawal is dated and
    never deletes what held before."""
    held = read(consent.consents, user, person.id)
    if not held:
        st.info(t("consent.none"))
    for c in held:
        what = t(f"consent.purpose.{c.purpose}") + (f" — {c.institution}" if c.institution
                                                    else "")
        if c.in_force:
            left, middle, right = st.columns([4, 2, 1], vertical_alignment="bottom")
            left.markdown(f"**{md(what)}** · " + t(
                "consent.in_force", given=fmt_date(c.given_on),
                how=t(f"consent.how.{c.given_how}")))
            form = _state(person, f"withdraw_{c.id}")
            key = widgets.form_key(form)
            how = choose(t("consent.withdraw_how"), consent.WAYS, key=f"{key}_how",
                         format_func=lambda w: t(f"consent.how.{w}"), container=middle)
            if right.button(t("consent.withdraw"), key=f"{key}_go"):
                save(lambda db, _, c=c, how=how: consent.withdraw(
                    db, user, c.id, c.version, on=today(), how=how, today=today()),
                    t("consent.withdrawn_saved"), form=form)
        else:
            st.markdown(f"~~{md(what)}~~ · " + t(
                "consent.withdrawn", withdrawn=fmt_date(c.withdrawn_on),
                how=t(f"consent.how.{c.withdrawn_how}"), given=fmt_date(c.given_on)))
    form = _state(person, "consent")
    key = widgets.form_key(form)
    with st.form(key):
        st.markdown(f"**{t('consent.add')}**")
        left, middle, right = st.columns(3)
        purpose = choose(t("consent.purpose"), consent.PURPOSES, key=f"{key}_purpose",
                         format_func=lambda p: t(f"consent.purpose.{p}"), container=left)
        given_on = date_field(t("consent.given_on"), value=today(), key=f"{key}_on",
                              container=middle)
        how = choose(t("consent.how"), consent.WAYS, key=f"{key}_how",
                     format_func=lambda w: t(f"consent.how.{w}"), container=right)
        institution = st.text_input(t("consent.institution"), key=f"{key}_institution",
                                    max_chars=text.SHORT_TEXT_MAX)
        submitted = st.form_submit_button(t("consent.add"), type="primary")
    if submitted:
        save(lambda db, token: consent.record_consent(
            db, user, person.id, purpose, given_on=given_on, how=how,
            institution=institution, today=today(), token=token),
            t("consent.added"), form=form)


def _audit_panel(parts: CaseRecord, sex: str | None = None) -> None:
    changes = [c for c in parts.history
               if c.action != "open" and c.field not in vocab.INTERNAL_FIELDS]
    if changes:
        names = read(audit_view.id_names, [(c.field, v) for c in changes for v in (c.old, c.new)])
        widgets.table([{
            t("col.when"): fmt_datetime(c.at), t("col.who"): c.user or t("audit.system"),
            t("col.action"): t(f"action.{c.action}"), t("col.record"): widgets.table_label(c.table),
            t("col.field"): widgets.field_label(c.field) if c.field else None,
            t("col.old"): label(c.field, c.old, c.table, names, sex) if c.field else None,
            t("col.new"): label(c.field, c.new, c.table, names, sex) if c.field else None,
            t("col.reason"): c.reason} for c in changes], key="rec_changes")
    else:
        st.info(t("audit.no_changes"))
    opens = [c for c in parts.history if c.action == "open"]
    st.markdown(f"**{t('audit.opened_title')}**")
    if opens:
        widgets.table([{t("col.when"): fmt_datetime(c.at),
                        t("col.who"): c.user or t("audit.system")} for c in opens],
                      key="rec_opens")
    else:
        st.info(t("audit.never_opened"))
