"""Nova napotitev: take in a referred person, checking first that she is not already here."""

from workbench.ui import shell
from workbench.ui.screens import intake

intake.show(shell.require_user("intake"))
