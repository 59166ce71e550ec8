"""The vendor's sales organisation: an admin, four regional teams, their managers and reps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from random import Random
from typing import Any

from dealflow.demo.locales import LOCALE_BY_LANGUAGE
from dealflow.demo.names import FAMILY_NAMES, GIVEN_NAMES, full_name

VENDOR_NAME = "Aster Systems"
VENDOR_DOMAIN = "astersystems.example"
DEMO_PASSWORD = "dealflow-demo"
"""Every demo user signs in with this password (printed by ``dealflow demo``)."""


@dataclass(frozen=True)
class TeamSpec:
    """A regional team: its name, region, language and number of reps."""

    name: str
    region: str
    language: str
    reps: int


TEAM_SPECS = (
    TeamSpec("Americas & Europe", "North America & Europe", "en", 9),
    TeamSpec("Japan", "Japan", "ja", 6),
    TeamSpec("Korea", "South Korea", "ko", 5),
    TeamSpec("Middle East", "Middle East", "fa", 5),
)


@dataclass(eq=False)
class TeamPlan:
    """A team to write; ``id`` is set once it is written."""

    name: str
    region: str
    id: int = 0


@dataclass(eq=False)
class UserPlan:
    """A user to write; ``id`` is set once it is written."""

    name: str
    email: str
    role: str
    language: str
    time_zone: str
    team: TeamPlan | None
    manager: UserPlan | None
    skill: float
    """Hidden: how much better than average this rep closes."""
    id: int = 0


@dataclass
class SalesTeam:
    """The whole sales organisation, with the reps who cover each language."""

    teams: list[TeamPlan]
    leaders: list[UserPlan]
    """The admin and the team managers (they report to no one in the CRM)."""
    reps: list[UserPlan]
    reps_by_language: dict[str, list[UserPlan]]

    @property
    def users(self) -> list[UserPlan]:
        return [*self.leaders, *self.reps]


def plan_sales_team(rng: Random) -> SalesTeam:
    """Thirty people: one admin (RevOps), and per team a manager and its reps."""
    emails: set[str] = set()
    admin = _user(rng, emails, "en", "admin", None, None)
    teams: list[TeamPlan] = []
    leaders = [admin]
    reps: list[UserPlan] = []
    by_language: dict[str, list[UserPlan]] = {}
    for spec in TEAM_SPECS:
        team = TeamPlan(spec.name, spec.region)
        teams.append(team)
        manager = _user(rng, emails, spec.language, "manager", team, None)
        leaders.append(manager)
        members = [
            _user(rng, emails, spec.language, "rep", team, manager) for _ in range(spec.reps)
        ]
        reps += members
        by_language[spec.language] = members
    return SalesTeam(teams, leaders, reps, by_language)


def team_rows(team: SalesTeam, created_at: datetime) -> list[dict[str, Any]]:
    """Rows for the ``teams`` table."""
    return [{"name": t.name, "region": t.region, "created_at": created_at} for t in team.teams]


def user_rows(
    users: list[UserPlan], created_at: datetime, password_hash: str | None = None
) -> list[dict[str, Any]]:
    """Rows for the ``users`` table (managers must be written before their reps)."""
    return [
        {
            "name": user.name,
            "email": user.email,
            "role": user.role,
            "team_id": user.team.id if user.team else None,
            "manager_id": user.manager.id if user.manager else None,
            "language": user.language,
            "time_zone": user.time_zone,
            "is_active": True,
            "password_hash": password_hash,
            "created_at": created_at,
            "updated_at": created_at,
        }
        for user in users
    ]


def sign_in_examples(team: SalesTeam) -> list[UserPlan]:
    """People to sign in as: the admin, the first team's manager, and a rep of each team that
    works in another language (their screens open in it)."""
    admin, first_manager = team.leaders[0], team.leaders[1]
    reps = [members[0] for language, members in team.reps_by_language.items() if language != "en"]
    return [admin, first_manager, *reps]


def _user(
    rng: Random,
    emails: set[str],
    language: str,
    role: str,
    team: TeamPlan | None,
    manager: UserPlan | None,
) -> UserPlan:
    given, given_latin = rng.choice(GIVEN_NAMES[language])
    family, family_latin = rng.choice(FAMILY_NAMES[language])
    local = f"{given_latin}.{family_latin}"
    email = f"{local}@{VENDOR_DOMAIN}"
    number = 1
    while email in emails:
        number += 1
        email = f"{local}{number}@{VENDOR_DOMAIN}"
    emails.add(email)
    city = LOCALE_BY_LANGUAGE[language].countries[0].draw_city(rng)
    return UserPlan(
        name=full_name(language, given, family),
        email=email,
        role=role,
        language=language,
        time_zone=city.time_zone,
        team=team,
        manager=manager,
        skill=rng.gauss(0.0, 0.5) if role == "rep" else 0.0,
    )
