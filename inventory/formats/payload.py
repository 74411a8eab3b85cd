"""The one error every agent-payload parser raises, carrying the HTTP status the server should answer."""


class PayloadError(ValueError):
    """A payload the server refuses: `status` is 400 (malformed or forbidden), 413 (too large) or 415 (unknown type)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __repr__(self) -> str:
        return f"PayloadError({self.message!r}, status={self.status})"
