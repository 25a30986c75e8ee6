"""Strings of sign-in, sessions and account administration."""

SL: dict = {
}

EN: dict = {
}
