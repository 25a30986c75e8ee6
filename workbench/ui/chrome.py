"""Streamlit's own words in the UI language.

Streamlit 1.67 writes its chrome in English only: the skip link, "No results" in a
select box, the sidebar and password buttons' labels for screen readers, the
"Page not found" dialog of a mistyped address, the running and connection status, a
help icon's "Help for <field>" (a ``chrome.*`` text ending in a space is such a start).
One hidden component per page watches the page and puts the ``chrome.*`` texts of
workbench.i18n in their place (and back, when she switches to English).
"""

from __future__ import annotations

import streamlit as st

from workbench import i18n
from workbench.ui.lang import lang

_KEYS = tuple(k for k in i18n.SL if k.startswith("chrome."))

_JS = """
export default function(component) {
  window.__wbChromeWords = component.data;
  const ATTRS = ['aria-label', 'title', 'placeholder'];
  const swap = (node) => {  // one text node or one element's labels
    const words = window.__wbChromeWords;
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.nodeValue.trim();
      if (text && words[text] && words[text] !== text) {
        node.nodeValue = node.nodeValue.replace(text, words[text]);
      }
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      for (const name of ATTRS) {
        const value = node.getAttribute(name);
        if (!value) continue;
        if (words[value] && words[value] !== value) {
          node.setAttribute(name, words[value]);
          continue;
        }
        // A label with the field's own words after it: "Help for Razlog predaje".
        for (const start of Object.keys(words)) {
          if (start.endsWith(' ') && value.startsWith(start) && words[start] !== start) {
            node.setAttribute(name, words[start] + value.slice(start.length));
            break;
          }
        }
      }
    }
  };
  const swapAll = (root) => {
    swap(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) swap(node);
  };
  if (!window.__wbChromeObserver) {
    window.__wbChromeObserver = new MutationObserver((changes) => {
      for (const change of changes) {
        if (change.type === 'childList') change.addedNodes.forEach(swapAll);
        else swap(change.target);
      }
    });
    window.__wbChromeObserver.observe(document.body, {
      childList: true, subtree: true, characterData: true, attributes: true,
      attributeFilter: ATTRS});
  }
  swapAll(document.body);
}
"""

_COMPONENT = st.components.v2.component("workbench_chrome", js=_JS)


def words(language: str) -> dict[str, str]:
    """Each chrome text, in any language, to its text in ``language``."""
    return {i18n.translate(key, source): i18n.translate(key, language)
            for key in _KEYS for source in i18n.LANGUAGES}


def translate_chrome() -> None:
    """Mount the watcher (at the foot of the sidebar, where it takes no room)."""
    with st.sidebar:
        _COMPONENT(data=words(lang()), key="wb_chrome")
