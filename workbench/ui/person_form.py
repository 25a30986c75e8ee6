"""The e-MA fields of a person as widgets: the intake and the record's edit form share them.

Facts about the person start unanswered (no sex, no residence, no "no" to a
sensitive question until someone chooses one).
"""

from __future__ import annotations

import streamlit as st

from workbench import participants, text, vocab
from workbench.rules import rule_value
from workbench.ui.lang import t, t_for, translated
from workbench.ui.loaders import load_municipalities, read, today
from workbench.ui.widgets import choose, date_field, yes_no


def person_fields(prefix: str, area: str, initial: participants.PersonInput,
                  with_referral: bool = True) -> participants.PersonInput:
    """The widgets keyed ``<prefix>_<field>``; returns what they hold now."""
    munis = load_municipalities(area)
    form = participants.PersonInput()
    left, right = st.columns(2)
    form.first_name = left.text_input(t("field.first_name"), initial.first_name,
                                      key=f"{prefix}_first_name", max_chars=text.NAME_MAX)
    form.last_name = right.text_input(t("field.last_name"), initial.last_name,
                                      key=f"{prefix}_last_name", max_chars=text.NAME_MAX)
    left, middle, right = st.columns([2, 2, 3])
    form.birth_date = date_field(t("field.birth_date"), value=initial.birth_date,
                                 key=f"{prefix}_birth_date", container=left)
    form.sex = middle.radio(t("field.sex"), vocab.SEXES, horizontal=True,
                            index=vocab.SEXES.index(initial.sex)
                            if initial.sex in vocab.SEXES else None,
                            key=translated(f"{prefix}_sex"), format_func=lambda s: t(f"sex.{s}"))
    form.emso = right.text_input(t("field.emso"), initial.emso or "", key=f"{prefix}_emso",
                                 max_chars=20, help=t("intake.emso_help"))
    left, right = st.columns(2)
    form.municipality_id = choose(t("field.municipality_id"), munis,
                                  key=f"{prefix}_municipality_id",
                                  value=initial.municipality_id,
                                  format_func=lambda i: munis[i][0], container=left)
    form.address = right.text_input(t("field.address"), initial.address or "",
                                    key=f"{prefix}_address", max_chars=text.SHORT_TEXT_MAX)
    left, right = st.columns(2)
    form.phone = left.text_input(t("field.phone"), initial.phone or "", key=f"{prefix}_phone",
                                 max_chars=text.PHONE_MAX)
    form.email = right.text_input(t("field.email"), initial.email or "", key=f"{prefix}_email",
                                  max_chars=text.SHORT_TEXT_MAX)
    st.markdown(f"**{t('intake.ema')}**")
    left, right = st.columns(2)
    form.target_group = choose(t("field.target_group"), vocab.TARGET_GROUPS,
                               key=f"{prefix}_target_group", value=initial.target_group,
                               format_func=lambda g: t(f"target_group.{g}"), container=left)
    isced_options = [None, *vocab.ISCED_LEVELS]
    form.isced = right.selectbox(
        t("field.isced"), isced_options, key=translated(f"{prefix}_isced"),
        index=isced_options.index(initial.isced),
        format_func=lambda i: t(f"isced.{'unknown' if i is None else i}"))
    form.labour_status = st.radio(
        t("field.labour_status"), vocab.LABOUR_STATUSES, key=translated(f"{prefix}_labour_status"),
        horizontal=True, index=vocab.LABOUR_STATUSES.index(initial.labour_status)
        if initial.labour_status in vocab.LABOUR_STATUSES else None,
        format_func=lambda s: t_for(f"labour_status.{s}", form.sex))
    st.caption(f":material/lock: {t('consent.sensitive')}")
    cols = st.columns(3)
    for col, name in zip(cols, ("migrant", "disability", "other_disadvantage"), strict=True):
        setattr(form, name, choose(t(f"field.{name}"), vocab.SENSITIVE_ANSWERS,
                                   key=f"{prefix}_{name}", value=getattr(initial, name),
                                   format_func=lambda a: t(f"answer.{a}"), container=col,
                                   help=t("field.sensitive")))
    if vocab.forces_other_disadvantage(form.isced):
        st.caption(t("intake.isced0"))
    cols = st.columns(3)
    form.homeless = yes_no(t("field.homeless"), key=f"{prefix}_homeless",
                           value=initial.homeless, container=cols[0],
                           help=t("field.sensitive"))
    form.residence_ok = yes_no(t("field.residence_ok"), key=f"{prefix}_residence_ok",
                               value=initial.residence_ok, container=cols[1])
    # A list, not a number field: Streamlit's number field explains its range in English.
    window = int(read(rule_value, "long_programme_dsp_window_months", today()))
    form.dsp_payments_24m = choose(
        t("field.dsp_payments_24m"), range(window + 1),
        key=f"{prefix}_dsp_payments_24m", value=initial.dsp_payments_24m, container=cols[2])
    left, right = st.columns(2)
    form.language = left.selectbox(
        t("field.language"), vocab.PERSON_LANGUAGES, key=translated(f"{prefix}_language"),
        index=vocab.PERSON_LANGUAGES.index(initial.language)
        if initial.language in vocab.PERSON_LANGUAGES else 0,
        format_func=lambda code: t(f"person_language.{code}"))
    form.interpreter_needed = right.checkbox(t("field.interpreter_needed"),
                                             initial.interpreter_needed,
                                             key=f"{prefix}_interpreter_needed")
    form.referral_source, form.referral_person, form.referral_date = (
        initial.referral_source, initial.referral_person, initial.referral_date)
    if with_referral:
        st.markdown(f"**{t('intake.referral')}**")
        cols = st.columns(3)
        form.referral_source = choose(
            t("field.referral_source"), vocab.REFERRAL_SOURCES, key=f"{prefix}_referral_source",
            value=initial.referral_source,
            format_func=lambda s: t_for(f"referral_source.{s}", form.sex), container=cols[0])
        form.referral_person = cols[1].text_input(
            t("field.referral_person"), initial.referral_person or "",
            key=f"{prefix}_referral_person", max_chars=text.SHORT_TEXT_MAX)
        form.referral_date = date_field(t("field.referral_date"), value=initial.referral_date,
                                        key=f"{prefix}_referral_date", container=cols[2])
    return form
