"""Poročanje: ESF indicators, the data-quality check, the e-MA export."""

from workbench.ui import shell
from workbench.ui.screens import reporting

reporting.show(shell.require_user("reporting"))
