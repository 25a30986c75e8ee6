"""Uporabniki: accounts, roles, passwords, and switching accounts on and off."""

from workbench.ui import shell
from workbench.ui.screens import users

users.show(shell.require_user("users"))
