"""Koledar: week and month views, new entries, the schedule as .ics."""

from workbench.ui import shell
from workbench.ui.screens import calendar

calendar.show(shell.require_user("calendar"))
