"""Oseba: everything about one person in one place (the single entry point)."""

from workbench.ui import shell
from workbench.ui.screens import record

record.show(shell.require_user("record"))
