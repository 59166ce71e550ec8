"""Domain errors that carry a message a person can act on and the HTTP status they map to."""


class DealflowError(Exception):
    """Base class of every error Dealflow raises on purpose."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(DealflowError):
    """A record, workspace or file that was asked for does not exist (in this workspace)."""

    status_code = 404


class InvalidInputError(DealflowError):
    """Input that breaks a rule; the message names the field and the rule."""

    status_code = 422


class ConflictError(DealflowError):
    """The change clashes with existing data (a duplicate key, for instance)."""

    status_code = 409


class PermissionDeniedError(DealflowError):
    """The signed-in user may see the record (or page) but not do this to it."""

    status_code = 403


class AuthenticationError(DealflowError):
    """Nobody is signed in, or the credentials were wrong."""

    status_code = 401


class TooManyAttemptsError(DealflowError):
    """Too many failed sign-ins: the next try is allowed after ``retry_after`` seconds."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InvalidFieldsError(InvalidInputError):
    """Input with one or more bad fields; ``problems`` pairs each field with what is wrong."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {problem}" for field, problem in problems))
        self.problems = problems
