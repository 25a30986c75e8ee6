"""Grafi: quick charts of the area, aggregates only."""

from workbench.ui import shell
from workbench.ui.screens import charts

charts.show(shell.require_user("charts"))
