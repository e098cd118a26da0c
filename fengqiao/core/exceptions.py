"""The one exception hierarchy every entry point (htmx, API, command, job) maps to a response."""

from typing import Any, ClassVar

from django.utils.functional import Promise


class ApplicationError(Exception):
    """A domain error with a stable ``code``, an HTTP ``status_code`` and a user-facing message."""

    code: ClassVar[str] = "error"
    status_code: ClassVar[int] = 400

    def __init__(self, message: str | Promise, *, details: Any = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.details = details


class NotFound(ApplicationError):
    """Missing, or outside the actor's jurisdiction: the two are indistinguishable on purpose."""

    code = "not_found"
    status_code = 404


class PermissionDeniedError(ApplicationError):
    code = "permission_denied"
    status_code = 403


class ConflictError(ApplicationError):
    code = "conflict"
    status_code = 409


class TransitionBlocked(ConflictError):
    """A workflow action cannot fire now; ``reasons`` says why, in the user's language."""

    code = "transition_blocked"

    def __init__(self, *, transition: str, reasons: list[str]) -> None:
        super().__init__("；".join(reasons), details={"transition": transition})
        self.transition = transition
        self.reasons = reasons


class InvalidInput(ApplicationError):
    """Input failed validation; ``details`` maps field names to lists of messages."""

    code = "invalid_input"
    status_code = 422

    def __init__(
        self, message: str | Promise, *, errors: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message, details=errors or {})
        self.errors: dict[str, list[str]] = errors or {}
