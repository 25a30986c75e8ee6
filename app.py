"""Entry point of ``streamlit run app.py``: the shell (sign-in, navigation) runs the page."""

from workbench.ui import shell

shell.main()
