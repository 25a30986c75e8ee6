"""Tabla obravnav: one coordinator's caseload as columns of cards, one per stage."""

from workbench.ui import shell
from workbench.ui.screens import board

board.show(shell.require_user("board"))
