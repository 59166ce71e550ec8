"""The ``route`` action: assign a lead to a rep by rules on its attributes (country,
company size, industry, language...), round robin or by load within the chosen group, and
give the rep a task that summarises the lead."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from pydantic import Field
from sqlalchemy.orm import Session

from dealflow.automate.action_interface import Action, ActionParams, Outcome, StepContext
from dealflow.automate.actions.records import find_assignee
from dealflow.automate.filters import FilterError, check_filter, matches, parse_filter
from dealflow.automate.lead_summary import lead_summary
from dealflow.automate.routing import (
    GROUP_PREFIXES,
    ROUTING_SOURCE,
    Choice,
    choose_rep,
    group_members,
)
from dealflow.automate.schema import PropertySchema
from dealflow.automate.validation import Duration
from dealflow.core.errors import InvalidFieldsError
from dealflow.crm import service
from dealflow.crm.objects import USER_ROLES
from dealflow.models import User


class RoutingRule(ActionParams):
    when: dict[str, Any]
    to: list[str | int] = Field(min_length=1)


class RoutingTask(ActionParams):
    subject: str = Field(default="New lead: {{ first_name }} {{ last_name }}", max_length=500)
    due_in: Duration = timedelta(hours=4)


class RouteParams(ActionParams):
    rules: list[RoutingRule] = Field(default_factory=list)
    fallback: list[str | int] = Field(default_factory=list)
    strategy: Literal["round_robin", "least_loaded"] = "round_robin"
    capacity: int | None = Field(default=None, ge=1)
    task: RoutingTask | None = Field(default_factory=RoutingTask)


class Route(Action):
    """Assign the lead's owner by the first rule it matches (else ``fallback``)."""

    name = "route"
    params = RouteParams

    def check(self, params: Any, schema: PropertySchema, session: Session, path: str) -> None:
        if schema.object_type != "contacts":
            raise InvalidFieldsError([(f"{path}.type", "route works on contacts only")])
        if not params.rules and not params.fallback:
            raise InvalidFieldsError([(f"{path}.rules", "give rules, a fallback, or both")])
        problems = []
        for index, rule in enumerate(params.rules):
            where = f"{path}.rules[{index}]"
            try:
                check_filter(parse_filter(rule.when, f"{where}.when"), schema, f"{where}.when")
            except FilterError as error:
                problems.append((error.path, error.message))
            problems += _unknown_users(session, schema.workspace_id, rule.to, f"{where}.to")
        problems += _unknown_users(
            session, schema.workspace_id, params.fallback, f"{path}.fallback"
        )
        if problems:
            raise InvalidFieldsError(problems)

    def run(self, params: Any, context: StepContext) -> Outcome:
        choice, rule = self._choose(params, context)
        if choice is None:
            return Outcome(f"{rule}: no rep is available (none, or all at capacity); not assigned")
        subject = context.subject
        service.update_record(
            context.session,
            context.workspace_id,
            "contacts",
            subject.record_id,
            {"owner_id": choice.user.id},
            source=ROUTING_SOURCE,
        )
        message = f"routed to {choice.user.name} by {rule}, {choice.why}"
        result: dict[str, Any] = {"owner_id": choice.user.id}
        if params.task is not None:
            task = service.log_activity(
                context.session,
                context.workspace_id,
                "task",
                subject=subject.render(params.task.subject),
                body=lead_summary(context.session, subject.record, context.now),
                due_at=context.now + params.task.due_in,
                links={"contact_id": subject.record_id, "owner_id": choice.user.id},
            )
            message += f"; created task #{task.id} with the lead's summary"
            result["task_id"] = task.id
        return Outcome(message, result=result)

    def preview(self, params: Any, context: StepContext) -> Outcome:
        choice, rule = self._choose(params, context)
        if choice is None:
            return Outcome(f"would leave it unassigned: {rule} has no rep available")
        return Outcome(f"would route to {choice.user.name} by {rule}, {choice.why}")

    def _choose(self, params: Any, context: StepContext) -> tuple[Choice | None, str]:
        """The rep (None: nobody available) and which rule chose the group, in words. A rule
        whose group has nobody in it (a team without reps yet) passes to the next."""
        group, rule = [], "the fallback"
        for index, candidate in enumerate(params.rules):
            if matches(parse_filter(candidate.when), context.subject, context.now):
                group = _users(context, candidate.to)
                if group:
                    rule = f"rule {index + 1}"
                    break
        if not group:
            group = _users(context, params.fallback)
        choice = choose_rep(
            context.session, context.workspace_id, group, params.strategy, params.capacity
        )
        return choice, rule


def _users(context: StepContext, refs: list[str | int]) -> list[User]:
    """The users ``refs`` name: ids, emails, ``role:rep`` or ``team:Japan`` (its reps)."""
    users: list[User] = []
    for ref in refs:
        if isinstance(ref, str) and ref.startswith(GROUP_PREFIXES):
            users += group_members(context.session, context.workspace_id, ref)
        elif (user := find_assignee(context.session, context.workspace_id, ref)) is not None:
            users.append(user)
    return list(dict.fromkeys(users))


def _unknown_users(
    session: Session, workspace_id: int, refs: list[str | int], path: str
) -> list[tuple[str, str]]:
    problems = []
    for index, ref in enumerate(refs):
        if isinstance(ref, str) and ref.startswith(GROUP_PREFIXES):
            if ref.startswith("role:") and ref.removeprefix("role:") not in USER_ROLES:
                problems.append((f"{path}[{index}]", f"roles are: {', '.join(USER_ROLES)}"))
        elif find_assignee(session, workspace_id, ref) is None:
            problems.append((f"{path}[{index}]", f"no user {ref!r} in this workspace"))
    return problems
