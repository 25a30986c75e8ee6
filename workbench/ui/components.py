"""People as links: the board's cards and short lists, in one element each.

A name is a real link (``record?person=ID``): opened in a new tab or bookmarked
it is a deep link, while a plain click is caught in the browser and opens the record in
the same session without a page load, as one step of the browser's history (Back returns
to the list it was clicked in); a link to the page itself is sent back as a trigger.
Everything shown is built here as escaped HTML; no user text ever reaches the
page unescaped.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import streamlit as st

from workbench import access
from workbench.ui.nav import page_ref

RECORD_PATH = access.page("record").id

_JS = """
export default function(component) {
  const { data, setTriggerValue, parentElement } = component;
  let root = parentElement.querySelector('.wb-root');
  if (!root) {
    root = document.createElement('div');
    root.className = 'wb-root';
    parentElement.appendChild(root);
  }
  if (root.dataset.html !== data) {
    root.innerHTML = data;
    root.dataset.html = data;
  }
  root.onclick = (event) => {
    const link = event.target.closest('a[data-person], a[data-more], a[data-go]');
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey
        || event.altKey) {
      return;  // a new tab or window follows the real address
    }
    event.preventDefault();
    if (link.dataset.more) {
      setTriggerValue('more', link.dataset.more);
    } else if (new URL(link.href).pathname !== window.location.pathname) {
      // Another page: one entry in the browser's history, as Streamlit's own Back and
      // Forward make (a switch of page from the server adds a second one, the page left
      // with the new page's address, so Back would not return where she came from).
      window.history.pushState({}, '', link.href);
      window.dispatchEvent(new PopStateEvent('popstate'));
    } else if (link.dataset.go) {
      setTriggerValue('go', link.dataset.go);
    } else {
      setTriggerValue('open', link.dataset.person);
    }
  };
}
"""

_CSS = """
.wb-root { font-family: var(--st-font, inherit); font-size: 0.875rem; line-height: 1.3;
  color: var(--st-text-color, inherit); overflow-x: auto; }
.wb-root a { color: var(--st-primary-color, #c0392b); font-weight: 600; text-decoration: none; }
.wb-root a:hover, .wb-root a:focus { text-decoration: underline; }
/* As many stage columns side by side as fit (seven on a laptop); more wrap below. */
.wb-board { display: grid; gap: 0.4rem;
  grid-template-columns: repeat(auto-fit, minmax(7.5rem, 1fr)); }
.wb-col h3 { font-size: 0.85rem; margin: 0 0 0.3rem 0; padding: 0.2rem 0.35rem;
  border-radius: 0.3rem; background: var(--st-secondary-background-color, #f0f2f6); }
.wb-card { border: 1px solid var(--st-border-color, #d6d6d9); border-radius: 0.35rem;
  padding: 0.25rem 0.4rem; margin-bottom: 0.3rem; }
.wb-card .meta, .wb-list .meta { color: var(--st-gray-color, #6b6f76); font-size: 0.8rem; }
.wb-card.overdue { border-left: 0.25rem solid #b3261e; }
.wb-late { color: #b3261e; font-weight: 600; }
.wb-empty { color: var(--st-gray-color, #6b6f76); font-style: italic; }
.wb-list { width: 100%; border-collapse: collapse; }
.wb-list th { text-align: left; font-weight: 600; font-size: 0.8rem; padding: 0.2rem 0.4rem;
  border-bottom: 1px solid var(--st-border-color, #d6d6d9); }
.wb-list td { padding: 0.2rem 0.4rem; border-bottom: 1px solid
  var(--st-border-color, #e6e6e9); vertical-align: top; overflow-wrap: break-word; }
.wb-list .n { text-align: right; white-space: nowrap; }
/* A cell wraps between words, never inside one ("sprememba", a name), however narrow the
   screen; a word longer than the whole table (a pasted address) scrolls, it is not cut. */
.wb-list td a, .wb-list td .nm { overflow-wrap: normal; word-break: normal; }
.wb-scroll { max-height: 28rem; overflow-y: auto; }
/* The calendar: a week in seven columns, a month as a grid of days. */
.wb-week { display: grid; gap: 0.35rem; grid-template-columns: repeat(7, minmax(0, 1fr)); }
.wb-week .wb-col.today h3 { background: #dbe9f7; }
.wb-holiday { color: #b3261e; font-size: 0.75rem; margin-bottom: 0.2rem; }
.wb-entry { border-left: 0.25rem solid #4c78a8; padding: 0.15rem 0.3rem; margin-bottom: 0.25rem;
  background: var(--st-secondary-background-color, #f6f7f9); border-radius: 0.2rem;
  overflow-wrap: anywhere; font-size: 0.8rem; }
.wb-entry.k-individual { border-left-color: #f58518; }
.wb-entry.k-mobile_unit { border-left-color: #54a24b; }
.wb-entry.cancelled { border-left-color: #9a9a9a; color: var(--st-gray-color, #6b6f76); }
.wb-entry.cancelled .when { text-decoration: line-through; }
.wb-done { color: #2e7d32; font-weight: 600; }
.wb-month { width: 100%; border-collapse: collapse; table-layout: fixed; }
.wb-month th { font-size: 0.8rem; text-align: left; padding: 0.15rem 0.3rem; }
.wb-month td { border: 1px solid var(--st-border-color, #e0e0e3); vertical-align: top;
  height: 5.2rem; padding: 0.15rem; font-size: 0.75rem; }
.wb-month td.out { opacity: 0.45; }
.wb-month td.today { outline: 2px solid #4c78a8; }
.wb-month td.holiday .d { color: #b3261e; }
.wb-month .d { font-weight: 600; font-size: 0.75rem; }
.wb-month .wb-entry { font-size: 0.72rem; padding: 0.05rem 0.2rem; margin-bottom: 0.1rem; }
.wb-month-list .wb-list td, .wb-month-list .wb-list th { padding: 0.15rem 0.2rem;
  font-size: 0.78rem; }
.wb-scroll th { position: sticky; top: 0; background: var(--st-background-color, #fff); }
"""

_COMPONENT = st.components.v2.component("workbench_people", js=_JS, css=_CSS)


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def name(value: object) -> str:
    """A name as a table cell shows it: escaped, wrapped only between its words."""
    return f'<span class="nm">{esc(value)}</span>'


def person_link(person_id: int, name: str) -> str:
    return (f'<a href="{RECORD_PATH}?person={int(person_id)}" '
            f'data-person="{int(person_id)}">{esc(name)}</a>')


def page_link(page_id: str, params: dict[str, object], label: str) -> str:
    """A link to another page of the workbench (e.g. a programme), opened like a name."""
    query = "&".join(f"{k}={html.escape(str(v), quote=True)}" for k, v in params.items())
    target = f"{access.page(page_id).id}?{query}"
    return f'<a href="{target}" data-go="{target}">{esc(label)}</a>'


@dataclass(frozen=True)
class Clicked:
    person: int | None
    more: str | None
    go: str | None = None


def show(markup: str, key: str) -> Clicked:
    """Mount HTML built by this module; returns what was clicked on this run."""
    result = _COMPONENT(data=markup, key=key, on_open_change=lambda: None,
                        on_more_change=lambda: None, on_go_change=lambda: None)
    person = result.open
    return Clicked(int(person) if person and str(person).isdigit() else None, result.more,
                   result.go)


def open_clicked(clicked: Clicked) -> None:
    """Go to the record of the person (or the page) whose link was clicked, in this
    session."""
    if clicked.person is not None:
        st.switch_page(page_ref("record"), query_params={"person": str(clicked.person)})
    if clicked.go:
        page_id, _, query = clicked.go.partition("?")
        if page_id in {p.id for p in access.PAGES}:
            params = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
            st.switch_page(page_ref(page_id), query_params=params)


# -- markup ---------------------------------------------------------------------------------
def table(headers: Sequence[str], rows: Iterable[Sequence[str]],
          numeric: Collection[int] = (), scroll: bool = False) -> str:
    """A compact table whose long texts wrap; cells are HTML already (use ``esc`` and
    ``person_link``). Columns ``numeric`` align right; ``scroll`` keeps a long table
    within a screen's height, its header in view."""
    def cells(tag: str, row: Sequence[str]) -> str:
        return "".join(f'<{tag} class="n">{c}</{tag}>' if i in numeric else f"<{tag}>{c}</{tag}>"
                       for i, c in enumerate(row))
    head = cells("th", [esc(h) for h in headers])
    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    markup = f'<table class="wb-list"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return f'<div class="wb-scroll">{markup}</div>' if scroll else markup
