"""Strings of data protection: backups, the database guard, the audit viewer,
consent, retention and access requests."""

SL: dict = {
}

EN: dict = {
}
