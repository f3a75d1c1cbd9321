"""The one kind of error a client is told about."""


class ProtocolError(ValueError):
    """Bad input from a client: the message says what was wrong, for the client to show."""
