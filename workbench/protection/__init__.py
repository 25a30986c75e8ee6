"""Data protection: backups and recovery, consent, retention, access requests."""
