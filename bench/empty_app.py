"""The floor: an app with one element, served and rerun like the workbench (python -m bench).

Like the workbench's shell it freezes what its imports created once, so that the
garbage collection after every run (runner.postScriptGC, the same setting for both) is
measured the same way.
"""

import gc
import sys

import streamlit as st

if not getattr(sys, "_bench_frozen", False):
    gc.freeze()
    sys._bench_frozen = True
st.text("Prazna stran")
