"""The base of every domain error: a machine code, an HTTP status and a human message.

Services raise these; the API turns them into RFC 9457 problem JSON (`balie.api.problems`),
views into a message for the agent, commands into one line on stderr.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "domain_error"
    status = 400

    def __init__(
        self, message: str, *, field: str | None = None, problems: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        # Several problems at once (an import's bad lines), each shown as one entry.
        self.problems = problems or []
