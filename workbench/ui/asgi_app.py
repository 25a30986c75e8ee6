"""The web server's application: Streamlit's (app.py) with the workbench's own routes.

``python -m workbench.ui.serve`` runs this file with ``streamlit run``, which finds the
``st.App`` below and serves it with uvicorn; Streamlit's options work as with app.py.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # streamlit run puts this file's folder first, not the project
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from workbench.ui import web  # noqa: E402

# python -m workbench.ui.serve other.py serves that script instead (the bench's empty page).
app = st.App(os.environ.get("WORKBENCH_SCRIPT") or ROOT / "app.py", routes=web.ROUTES,
             middleware=[Middleware(web.Guard)])
