"""Who is acting and on behalf of which request: passed to every service that writes."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Context:
    actor: str
    request_id: str | None = None
