"""Revizijska sled: who opened or changed which record when, and the hash chain's state."""

from workbench.ui import shell
from workbench.ui.screens import audit

audit.show(shell.require_user("audit"))
