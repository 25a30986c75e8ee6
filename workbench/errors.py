"""Errors a user can fix, carried as translation keys so the UI can say them in her language."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action; ``key`` names a message in ``workbench.i18n``."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class ConflictError(UserError):
    """Someone else saved the record first; ``changes`` says what they changed."""

    def __init__(self, key: str, changes: list | tuple = (), **params: object) -> None:
        super().__init__(key, **params)
        self.changes = list(changes)
