"""Varstvo podatkov: access requests, retention and anonymisation, erasure."""

from workbench.ui import shell
from workbench.ui.screens import protection

protection.show(shell.require_user("protection"))
