"""Lead routing: pick the rep for a lead among the candidates of the first rule it matches,
by round robin or by load (fewest open leads), skipping reps at capacity.

Round robin needs no counter table: the next rep is the candidate whose last routed lead is
oldest (never routed comes first), read from the owner history that routing writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealflow.models import Contact, PropertyChange, Team, User

OPEN_LEAD_STAGES = ("subscriber", "lead", "mql", "sql")
ROUTING_SOURCE = "routing"
GROUP_PREFIXES = ("role:", "team:")


def group_members(session: Session, workspace_id: int, ref: str) -> list[User]:
    """Active users of a role (``role:rep``) or the reps of a team (``team:Japan``)."""
    kind, _, name = ref.partition(":")
    statement = select(User).where(User.workspace_id == workspace_id, User.is_active.is_(True))
    if kind == "role":
        statement = statement.where(User.role == name)
    else:
        statement = statement.join(Team, Team.id == User.team_id).where(
            Team.name == name, User.role == "rep"
        )
    return list(session.scalars(statement.order_by(User.id)))


@dataclass(frozen=True)
class Choice:
    user: User
    why: str


def open_leads(session: Session, workspace_id: int, user_ids: Sequence[int]) -> dict[int, int]:
    """How many open leads (contacts not yet opportunities or customers) each user owns."""
    rows = session.execute(
        select(Contact.owner_id, func.count())
        .where(
            Contact.workspace_id == workspace_id,
            Contact.owner_id.in_(user_ids),
            Contact.lifecycle_stage.in_(OPEN_LEAD_STAGES),
        )
        .group_by(Contact.owner_id)
    ).all()
    counts = {row[0]: int(row[1]) for row in rows if row[0] is not None}
    return {user_id: counts.get(user_id, 0) for user_id in user_ids}


def last_routed(
    session: Session, workspace_id: int, user_ids: Sequence[int]
) -> dict[int, datetime]:
    """When each user last got a lead from routing (users never routed to are absent)."""
    latest: dict[int, datetime] = {}
    rows = session.execute(
        select(PropertyChange.new_value, func.max(PropertyChange.changed_at))
        .where(
            PropertyChange.workspace_id == workspace_id,
            PropertyChange.object_type == "contacts",
            PropertyChange.property == "owner_id",
            PropertyChange.source == ROUTING_SOURCE,
        )
        .group_by(PropertyChange.new_value)
    ).all()
    for value, at in rows:
        if isinstance(value, int) and value in user_ids:
            latest[value] = at
    return latest


def choose_rep(
    session: Session,
    workspace_id: int,
    candidates: Sequence[User],
    strategy: str,
    capacity: int | None,
) -> Choice | None:
    """The rep to get the lead, and why in words; None when every candidate is full."""
    active = [user for user in candidates if user.is_active]
    loads = open_leads(session, workspace_id, [user.id for user in active])
    available = [user for user in active if capacity is None or loads[user.id] < capacity]
    if not available:
        return None
    if strategy == "least_loaded":
        user = min(available, key=lambda u: (loads[u.id], candidates.index(u)))
        return Choice(user, f"fewest open leads ({loads[user.id]})")
    routed = last_routed(session, workspace_id, [user.id for user in available])
    user = min(
        available,
        key=lambda u: (u.id in routed, routed.get(u.id, datetime.min), candidates.index(u)),
    )
    return Choice(user, "next in turn")
