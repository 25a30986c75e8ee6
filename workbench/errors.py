"""Errors a user can fix, carried as translation keys so the UI can say them in her language."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action; ``key`` names a message in ``workbench.i18n``.

    ``field`` names the form field the message is about (its label is shown
    before the message), when there is one.
    """

    def __init__(self, key: str, field: str | None = None, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params


class ConflictError(UserError):
    """Someone else saved the record first; ``changes`` says what they changed."""

    def __init__(self, key: str, changes: list | tuple = (), **params: object) -> None:
        super().__init__(key, **params)
        self.changes = list(changes)
