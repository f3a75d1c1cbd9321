"""The one kind of error a client is told about."""

from __future__ import annotations


class ProtocolError(ValueError):
    """Bad input from a client: the message says what was wrong, for the client to show. ``request_id``
    is the id of the message it answers, when one could be read, so that the client can match them."""

    def __init__(self, message: str, request_id: int | None = None) -> None:
        super().__init__(message)
        self.request_id = request_id
