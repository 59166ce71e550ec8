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
