"""Obremenjenost: the area's coordinators side by side (counts only, no names of people)."""

from workbench.ui import shell
from workbench.ui.screens import workload

workload.show(shell.require_user("workload"))
