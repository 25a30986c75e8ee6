"""Pregled regije: the manager's dashboard, aggregates only."""

from workbench.ui import shell
from workbench.ui.screens import region

region.show(shell.require_user("region"))
