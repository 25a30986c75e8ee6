"""Pregled: a coordinator's day, or the region's totals without names."""

from workbench.ui import shell
from workbench.ui.screens import home

home.show(shell.require_user("home"))
