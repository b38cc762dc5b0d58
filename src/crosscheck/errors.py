"""Exceptions crosscheck raises on purpose."""


class CrosscheckError(Exception):
    """Base class of crosscheck's own errors."""


class InputError(CrosscheckError):
    """An input item cannot be read; the message says why. The batch goes on without it."""


class UnusableDatabaseError(CrosscheckError):
    """A database cannot be opened or used (no such folder, not a crosscheck database, a newer schema); the message
    names it and says why."""


class MissingDependencyError(CrosscheckError):
    """An optional component's package or model is not installed."""
