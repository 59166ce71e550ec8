"""Actions that change CRM records: set a property, assign an owner, create a task or a
ticket.

They write through ``crm.service``, so each change keeps its history and outbox event, and
they commit with the step that runs them: a retried step never repeats them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Literal

from pydantic import Field
from sqlalchemy.orm import Session

from dealflow.automate.action_interface import Action, ActionParams, Outcome, StepContext
from dealflow.automate.classify.repository import latest_form_message
from dealflow.automate.schema import PropertySchema
from dealflow.automate.validation import Duration, format_duration
from dealflow.core.errors import InvalidFieldsError, NotFoundError
from dealflow.crm import service
from dealflow.crm.users import find_user, get_user
from dealflow.models import User

WORKFLOW_SOURCE = "workflow"
RECORD_OWNER = "owner"
OWNERS_MANAGER = "manager"
READ_ONLY = ("created_at", "updated_at", "score", "score_band", "score_model", "scored_at")
TASK_LINKS = {
    "contacts": "contact_id",
    "companies": "company_id",
    "deals": "deal_id",
    "tickets": "ticket_id",
}


def find_assignee(session: Session, workspace_id: int, who: str | int) -> User | None:
    """A user by id or email (None when there is no such user in the workspace)."""
    if isinstance(who, int):
        try:
            return get_user(session, workspace_id, who)
        except NotFoundError:
            return None
    return find_user(session, workspace_id, who)


def _check_user(session: Session, schema: PropertySchema, who: str | int, path: str) -> None:
    if who in (RECORD_OWNER, OWNERS_MANAGER):
        return
    if find_assignee(session, schema.workspace_id, who) is None:
        raise InvalidFieldsError([(path, f"no user {who!r} in this workspace")])


def _user_words(user: User | None) -> str:
    if user is None:
        return "nobody"
    return f"{user.name} ({user.email})" if user.email else user.name


class SetPropertyParams(ActionParams):
    property: str = Field(min_length=1)
    value: Any = None


class SetProperty(Action):
    """Set one property of the record (text values may use ``{{ property }}``)."""

    name = "set_property"
    params = SetPropertyParams
    keeps_subjects_current = True  # update_records changes the subjects' record objects

    def check(self, params: Any, schema: PropertySchema, session: Session, path: str) -> None:
        if "." in params.property:
            raise InvalidFieldsError(
                [(f"{path}.property", "set a property of the record itself, not an association")]
            )
        try:
            schema.resolve(params.property)
        except KeyError as error:
            raise InvalidFieldsError([(f"{path}.property", str(error.args[0]))]) from None
        if params.property in READ_ONLY:
            raise InvalidFieldsError([(f"{path}.property", f"{params.property} is read-only")])

    def run(self, params: Any, context: StepContext) -> Outcome:
        return self._set(params, [context])[0]

    def run_many(self, params: Any, contexts: Sequence[StepContext]) -> list[Outcome | Exception]:
        """One read and one write for all the records (``crm.service.update_records``)."""
        if len({context.subject.record_id for context in contexts}) < len(contexts):
            return super().run_many(params, contexts)  # a record twice: one after the other
        return list(self._set(params, contexts))

    def _set(self, params: Any, contexts: Sequence[StepContext]) -> list[Outcome]:
        first = contexts[0]
        custom = first.subject.record.__table__.columns.get(params.property) is None
        values = {context.subject.record_id: self._value(params, context) for context in contexts}
        changes = service.update_records(
            first.session,
            first.workspace_id,
            first.subject.object_type,
            {
                record_id: {"properties": {params.property: value}}
                if custom
                else {params.property: value}
                for record_id, value in values.items()
            },
            source=WORKFLOW_SOURCE,
            records={context.subject.record_id: context.subject.record for context in contexts},
        )
        return [
            Outcome(f"set {params.property} to {value!r}", result={"property": params.property})
            if changes[record_id]
            else Outcome(f"{params.property} was already {value!r}")
            for record_id, value in values.items()
        ]

    def preview(self, params: Any, context: StepContext) -> Outcome:
        return Outcome(f"would set {params.property} to {self._value(params, context)!r}")

    def _value(self, params: Any, context: StepContext) -> Any:
        value = params.value
        return context.subject.render(value) if isinstance(value, str) else value


class AssignOwnerParams(ActionParams):
    user: str | int


class AssignOwner(Action):
    """Make a user (by email or id) the record's owner."""

    name = "assign_owner"
    params = AssignOwnerParams

    def check(self, params: Any, schema: PropertySchema, session: Session, path: str) -> None:
        _check_user(session, schema, params.user, f"{path}.user")

    def run(self, params: Any, context: StepContext) -> Outcome:
        user = self._user(params, context)
        subject = context.subject
        service.update_record(
            context.session,
            context.workspace_id,
            subject.object_type,
            subject.record_id,
            {"owner_id": user.id},
            source=WORKFLOW_SOURCE,
        )
        return Outcome(f"assigned owner {_user_words(user)}", result={"owner_id": user.id})

    def preview(self, params: Any, context: StepContext) -> Outcome:
        return Outcome(f"would assign owner {_user_words(self._user(params, context))}")

    def _user(self, params: Any, context: StepContext) -> User:
        user = find_assignee(context.session, context.workspace_id, params.user)
        if user is None:
            raise LookupError(f"no user {params.user!r} in this workspace (deleted since?)")
        return user


class CreateTaskParams(ActionParams):
    subject: str = Field(min_length=1, max_length=500)
    body: str | None = None
    assignee: str | int = RECORD_OWNER
    due_in: Duration = timedelta(days=1)


class CreateTask(Action):
    """Create a task linked to the record, due after ``due_in``, for ``assignee``: ``owner``
    (the default), ``manager`` (the owner's manager; the owner when they have none), or a
    user's email or id. Subject and body may use ``{{ property }}``."""

    name = "create_task"
    params = CreateTaskParams
    keeps_subjects_current = True  # the record itself does not change

    def check(self, params: Any, schema: PropertySchema, session: Session, path: str) -> None:
        _check_user(session, schema, params.assignee, f"{path}.assignee")

    def run(self, params: Any, context: StepContext) -> Outcome:
        return self._create(params, [context])[0]

    def run_many(self, params: Any, contexts: Sequence[StepContext]) -> list[Outcome | Exception]:
        """The tasks of all the records written together (``crm.service.log_activities``)."""
        return list(self._create(params, contexts))

    def _create(self, params: Any, contexts: Sequence[StepContext]) -> list[Outcome]:
        owners = [self._assignee(params, context) for context in contexts]
        due_at = [context.now + params.due_in for context in contexts]
        tasks = service.log_activities(
            contexts[0].session,
            contexts[0].workspace_id,
            "task",
            [
                service.NewActivity(
                    subject=context.subject.render(params.subject),
                    body=context.subject.render(params.body) if params.body else None,
                    due_at=due,
                    links=self._links(context, owner),
                )
                for context, owner, due in zip(contexts, owners, due_at, strict=True)
            ],
            known=self._read_records(contexts),
        )
        return [
            Outcome(
                f"created task #{task.id} {task.subject!r} for {_user_words(owner)}, "
                f"due {due:%Y-%m-%d %H:%M} UTC",
                result={"task_id": task.id},
            )
            for task, owner, due in zip(tasks, owners, due_at, strict=True)
        ]

    def _read_records(self, contexts: Sequence[StepContext]) -> dict[str, set[int]]:
        """The subjects' own records, by link column: read in this transaction already."""
        read: dict[str, set[int]] = {}
        for context in contexts:
            subject = context.subject
            read.setdefault(TASK_LINKS[subject.object_type], set()).add(subject.record_id)
        return read

    def _links(self, context: StepContext, owner: User | None) -> dict[str, int | None]:
        subject = context.subject
        links: dict[str, int | None] = {
            TASK_LINKS[subject.object_type]: subject.record_id,
            "owner_id": owner.id if owner else None,
        }
        if subject.object_type in ("contacts", "deals", "tickets"):
            links.setdefault("company_id", getattr(subject.record, "company_id", None))
        return links

    def preview(self, params: Any, context: StepContext) -> Outcome:
        owner = self._assignee(params, context)
        return Outcome(
            f"would create task {context.subject.render(params.subject)!r} for "
            f"{_user_words(owner)}, due in {format_duration(params.due_in)}"
        )

    def _assignee(self, params: Any, context: StepContext) -> User | None:
        if params.assignee not in (RECORD_OWNER, OWNERS_MANAGER):
            return find_assignee(context.session, context.workspace_id, params.assignee)
        owner_id = getattr(context.subject.record, "owner_id", None)
        owner = find_assignee(context.session, context.workspace_id, owner_id) if owner_id else None
        if params.assignee == RECORD_OWNER or owner is None or owner.manager_id is None:
            return owner
        return find_assignee(context.session, context.workspace_id, owner.manager_id)


class CreateTicketParams(ActionParams):
    subject: str = Field(min_length=1, max_length=500)
    priority: Literal["low", "normal", "high", "urgent"] = "normal"
    channel: str = "web_form"


class CreateTicket(Action):
    """Open a support ticket for the contact, holding their inquiry (the message of their
    latest form submission); the subject may use ``{{ property }}``."""

    name = "create_ticket"
    params = CreateTicketParams

    def check(self, params: Any, schema: PropertySchema, session: Session, path: str) -> None:
        if schema.object_type != "contacts":
            raise InvalidFieldsError([(f"{path}.type", "create_ticket works on contacts only")])

    def run(self, params: Any, context: StepContext) -> Outcome:
        subject = context.subject
        description = latest_form_message(context.session, context.workspace_id, subject.record_id)
        ticket = service.create_record(
            context.session,
            context.workspace_id,
            "tickets",
            {
                "subject": subject.render(params.subject)[:500],
                "description": description,
                "priority": params.priority,
                "channel": params.channel,
                "contact_id": subject.record_id,
                "company_id": getattr(subject.record, "company_id", None),
            },
            source=WORKFLOW_SOURCE,
        )
        return Outcome(
            f"opened support ticket #{ticket.id} {ticket.subject!r} ({params.priority})",
            result={"ticket_id": ticket.id},
        )

    def preview(self, params: Any, context: StepContext) -> Outcome:
        return Outcome(f"would open support ticket {context.subject.render(params.subject)!r}")
