"""Programi: the programme catalogue and a programme's page."""

from workbench.ui import shell
from workbench.ui.screens import programmes

programmes.show(shell.require_user("programmes"))
