"""Behaviour of contacts "as of" a time: how many events of a group fell in a window, and when
the last one was.

Two sources answer the same questions. ``EventBehaviour`` indexes every event and answers for
any (contact, time) pairs, as training needs. ``read_behaviour_at`` answers at one moment only,
as scoring now needs: it reads only the events the windows hold (as lean rows the database
has already placed in the windows) and lets the database find each contact's last event. Both
count with whole epoch seconds, so their answers are the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.orm import Session

from dealflow.core.aside import Aside
from dealflow.core.dialect import dialect_of
from dealflow.models import Activity, Contact, EngagementEvent
from dealflow.predict.facts import EventLog, per_distinct_value, read_columns
from dealflow.predict.timeline import DAY, EventTimes, Floats, Ints, Objects


@dataclass(frozen=True)
class EventGroup:
    """Which events a behaviour feature counts: some kinds (every kind when empty), and only
    those whose URL matches ``url_pattern`` (a regular expression, ignoring case) when given."""

    kinds: tuple[str, ...] = ()
    url_pattern: str | None = None

    def selects(self, log: EventLog) -> npt.NDArray[np.bool_]:
        """Which of the log's events belong to the group."""
        chosen = self.counts_kinds(log.kinds)
        if self.url_pattern is not None:
            chosen = chosen & matching_urls(log.urls, self.url_pattern)
        return chosen

    def counts_kinds(self, kinds: Objects) -> npt.NDArray[np.bool_]:
        """Which of the kinds the group counts (before any URL test)."""
        if not self.kinds:
            return np.ones(len(kinds), dtype=bool)
        return pd.Series(kinds, dtype=object, copy=False).isin(self.kinds).to_numpy()


def matching_urls(urls: npt.NDArray[Any], pattern: str) -> npt.NDArray[np.bool_]:
    """Which URLs match the regular expression (ignoring case), tested once per distinct URL
    (a site has far fewer pages than visits)."""
    expression = re.compile(pattern, re.IGNORECASE)
    return per_distinct_value(urls, lambda url: bool(url and expression.search(url))).astype(bool)


class Behaviour(Protocol):
    """Event counts and last times of named groups, per contact at its time."""

    def count(self, group: str, contact_ids: Ints, as_of: Ints, days: int | None) -> Ints:
        """Events of the group in the ``days`` before each time (up to it; all before it when
        ``days`` is None)."""
        ...

    def last(self, group: str, contact_ids: Ints, as_of: Ints) -> Floats:
        """The time of each contact's last event of the group up to its time; NaN if none."""
        ...


def index_events(log: EventLog, groups: Mapping[str, EventGroup]) -> dict[str, EventTimes]:
    """The times of each group's events in the log, by group name."""
    return {name: log.times_of(group.selects(log)) for name, group in groups.items()}


class EventBehaviour:
    """Every event of the groups, indexed (``index_events``): answers for any contacts at any
    times."""

    def __init__(self, times: Mapping[str, EventTimes]) -> None:
        self._times = times

    def count(self, group: str, contact_ids: Ints, as_of: Ints, days: int | None) -> Ints:
        times = self._times[group]
        if days is None:
            return times.count_until(contact_ids, as_of)
        return times.count_between(contact_ids, as_of - days * DAY, as_of)

    def last(self, group: str, contact_ids: Ints, as_of: Ints) -> Floats:
        return self._times[group].last_until(contact_ids, as_of)


@dataclass(frozen=True)
class Question:
    """One count or last time the database works out per contact."""

    group: str
    days: int | None = None
    last: bool = False


class BehaviourAt:
    """Answers worked out by the database for every contact at one moment (see
    ``read_behaviour_at``); asking for another moment or question is an error."""

    def __init__(self, moment: int, contacts: Ints, answers: dict[Question, Ints | Floats]):
        self.moment = moment
        self._contacts = contacts
        self._answers = answers
        self._asked: tuple[Ints, Ints, npt.NDArray[np.bool_]] | None = None

    def count(self, group: str, contact_ids: Ints, as_of: Ints, days: int | None) -> Ints:
        return self._lookup(Question(group, days), contact_ids, as_of).astype(np.int64)

    def last(self, group: str, contact_ids: Ints, as_of: Ints) -> Floats:
        return self._lookup(Question(group, last=True), contact_ids, as_of)

    def _lookup(self, question: Question, contact_ids: Ints, as_of: Ints) -> Ints | Floats:
        if len(as_of) and not (np.asarray(as_of) == self.moment).all():
            raise ValueError("behaviour read for one moment was asked about another")
        answers = self._answers[question]
        empty = np.nan if question.last else 0
        if not len(self._contacts):
            return np.full(len(contact_ids), empty, dtype=answers.dtype)
        position, found = self._positions(contact_ids)
        return np.where(found, answers[position], empty)

    def _positions(self, contact_ids: Ints) -> tuple[Ints, npt.NDArray[np.bool_]]:
        """Where each contact's answers are, and whether it has any; looked up once for the
        contacts question after question asks about."""
        if self._asked is None or self._asked[0] is not contact_ids:
            last = len(self._contacts) - 1
            position = np.minimum(np.searchsorted(self._contacts, contact_ids), last)
            self._asked = (contact_ids, position, self._contacts[position] == contact_ids)
        return self._asked[1], self._asked[2]


_Part = tuple[Ints, dict[Question, Ints | Floats]]
"""Answers of some questions: the owners they are about, and each question's answers."""


def read_behaviour_at(
    session: Session,
    workspace_id: int,
    moment: int,
    *,
    engagement: Mapping[str, EventGroup],
    activities: Mapping[str, EventGroup],
    questions: Sequence[Question],
    aside: Aside | None = None,
) -> Behaviour:
    """Counts and last times of the groups (engagement and activity groups by name) for every
    contact at ``moment`` (epoch seconds).

    Counts come from one lean read per table of the events they need (owner, kind, URL when a
    group asks for one, and how many of the windows hold the event), tallied with numpy; last
    times are worked out by the database per contact.

    An event counts as of ``moment`` when its whole second is at most ``moment``, and within
    ``days`` when its whole second is after ``moment - days``: ``occurred_at < moment + 1`` and
    ``occurred_at >= moment - days * DAY + 1``, exact and index-friendly.

    With ``aside`` the reads (one or two per table) run aside (``dealflow.core.aside``) and
    the answers come when first asked for, so the caller works on while they are read.
    """
    tables = (
        (EngagementEvent, EngagementEvent.contact_id, engagement),
        (Activity, Activity.contact_id, activities),
    )
    reads: list[Callable[[Session], _Part]] = []
    for model, owner, groups in tables:
        events = _Events(model, owner, groups, workspace_id, moment)
        asked = [question for question in questions if question.group in groups]
        counted = [question for question in asked if not question.last]
        if counted:
            reads.append(partial(events.counts, questions=counted))
        for kinds in (True, False):
            lasts = [q for q in asked if q.last and bool(groups[q.group].kinds) == kinds]
            if lasts:
                reads.append(partial(events.last_times, questions=lasts, per_contact=not kinds))
    if aside is None:
        return _gathered(moment, [read(session) for read in reads])
    # independent reads: they overlap, each on a connection of its own
    return _Pending(moment, [aside.start(read) for read in reads])


class _Pending:
    """The answers of reads still running aside, gathered when first asked for."""

    def __init__(self, moment: int, parts: list[Future[_Part]]) -> None:
        self._moment = moment
        self._parts = parts
        self._answers: BehaviourAt | None = None

    def count(self, group: str, contact_ids: Ints, as_of: Ints, days: int | None) -> Ints:
        return self._gathered().count(group, contact_ids, as_of, days)

    def last(self, group: str, contact_ids: Ints, as_of: Ints) -> Floats:
        return self._gathered().last(group, contact_ids, as_of)

    def _gathered(self) -> BehaviourAt:
        if self._answers is None:
            self._answers = _gathered(self._moment, [part.result() for part in self._parts])
        return self._answers


def _gathered(moment: int, parts: list[_Part]) -> BehaviourAt:
    """The reads' answers for every contact any of them is about."""
    everyone = np.unique(np.concatenate([ids for ids, _ in parts] or [np.zeros(0, np.int64)]))
    answers: dict[Question, Ints | Floats] = {}
    for ids, part in parts:
        position = np.searchsorted(everyone, ids)
        for question, values in part.items():
            spread = np.full(len(everyone), np.nan if question.last else 0, dtype=values.dtype)
            spread[position] = values
            answers[question] = spread
    return BehaviourAt(moment, everyone, answers)


@dataclass(frozen=True)
class _Events:
    """One table's events of a workspace's contacts up to a moment, and the reads of them."""

    model: Any
    owner: Any
    groups: Mapping[str, EventGroup]
    workspace_id: int
    moment: int

    def counts(self, session: Session, questions: list[Question]) -> _Part:
        """The count questions answered from one lean read of the events they need, each
        event one whole number worked out by the database (``_packed_event``), gathered into
        one array and tallied per owner with ``bincount`` (owners in no particular order)."""
        windows = sorted({q.days for q in questions if q.days is not None})
        scope = [
            *self._scope(),
            self.model.workspace_id == self.workspace_id,
            self.owner.is_not(None),
        ]
        kinds = sorted({kind for q in questions for kind in self._kinds(q)})
        if all(self._kinds(q) for q in questions):
            scope.append(self.model.kind.in_(kinds))
        if windows and all(q.days is not None for q in questions):
            scope.append(self.model.occurred_at >= self._start(windows[-1]))
        names = list(dict.fromkeys(q.group for q in questions))
        patterned = [name for name in names if self.groups[name].url_pattern is not None]
        url_tests = [_condition(session, self.model, self.groups[n], scope) for n in patterned]
        packed = self._packed_event(kinds, url_tests, windows)
        [values] = read_columns(session, select(packed).where(*scope))
        rest, windows_held = np.divmod(np.array(values, dtype=np.int64), len(windows) + 1)
        rest, url_bits = np.divmod(rest, 2 ** len(patterned))
        owners, kind_codes = np.divmod(rest, len(kinds) + 1)
        owner_of, ids = pd.factorize(owners)  # hashing: no sort of 100,000s of owners
        coded_kinds = np.array([*kinds, None], dtype=object)  # the last code: any other kind
        chosen = {name: self.groups[name].counts_kinds(coded_kinds)[kind_codes] for name in names}
        for bit, name in enumerate(patterned):
            chosen[name] &= (url_bits >> bit & 1).astype(bool)
        answers: dict[Question, Ints | Floats] = {}
        for question in questions:
            mine = chosen[question.group]
            if question.days is not None:  # held by this window and every longer one
                mine = mine & (windows_held >= len(windows) - windows.index(question.days))
            answers[question] = np.bincount(owner_of[mine], minlength=len(ids)).astype(np.int64)
        return ids, answers

    def _packed_event(
        self, kinds: list[str], url_tests: list[ColumnElement[bool]], windows: list[int]
    ) -> ColumnElement[int]:
        """An event as one whole number: its owner, the position of its kind among ``kinds``
        (``len(kinds)`` for any other), a bit per URL test it passes, and how many of the
        windows hold it (the shortest window holding it tells), mixed radix in that order.
        One number per event is what makes reading 100,000s of events cheap."""
        kind_code: ColumnElement[int] = (
            case(
                {kind: code for code, kind in enumerate(kinds)},
                value=self.model.kind,
                else_=len(kinds),
            )
            if kinds
            else literal(0)
        )
        packed = cast(self.owner, BigInteger) * (len(kinds) + 1) + kind_code
        packed = packed * 2 ** len(url_tests)
        for bit, passes in enumerate(url_tests):
            packed = packed + case((passes, 2**bit), else_=0)
        held_by = [
            (self.model.occurred_at >= self._start(d), len(windows) - i)
            for i, d in enumerate(windows)
        ]
        held = case(*held_by, else_=0) if windows else literal(0)
        return (packed * (len(windows) + 1) + held).label("packed_event")

    def last_times(
        self, session: Session, questions: list[Question], *, per_contact: bool
    ) -> _Part:
        """The last-time questions answered in one query: grouped by contact over the events
        of the questions' kinds, or with ``per_contact`` one look-up per contact, which the
        (contact, time) index answers without reading every event."""
        scope = self._scope()
        kinds = sorted({kind for q in questions for kind in self._kinds(q)})
        if kinds:
            scope.append(self.model.kind.in_(kinds))
        if per_contact:
            mine = [self.owner == Contact.id, *scope]
            statement = select(
                Contact.id, *self._last_values(session, questions, mine, grouped=False)
            ).where(Contact.workspace_id == self.workspace_id)
        else:
            scope += [self.model.workspace_id == self.workspace_id, self.owner.is_not(None)]
            columns = self._last_values(session, questions, scope, grouped=True)
            statement = select(self.owner, *columns).where(*scope).group_by(self.owner)
        ids, *values = read_columns(session, statement)
        return np.array(ids, dtype=np.int64), {
            question: np.array(times, dtype=np.float64)  # NULL (no event) becomes NaN
            for question, times in zip(questions, values, strict=True)
        }

    def _scope(self) -> list[ColumnElement[bool]]:
        """Events up to the moment (activities: tasks aside)."""
        scope = [self.model.occurred_at < _moment(self.moment + 1)]
        if self.model is Activity:
            scope.append(Activity.kind != "task")  # a plan is not an activity
        return scope

    def _kinds(self, question: Question) -> tuple[str, ...]:
        return self.groups[question.group].kinds

    def _start(self, days: int) -> datetime:
        """The first moment inside the window of ``days`` (its first whole second)."""
        return _moment(self.moment - days * DAY + 1)

    def _last_values(
        self,
        session: Session,
        questions: list[Question],
        scope: list[ColumnElement[bool]],
        *,
        grouped: bool,
    ) -> list[ColumnElement[Any]]:
        occurred = self.model.occurred_at
        epoch = dialect_of(session).epoch_seconds
        values: list[ColumnElement[Any]] = []
        for question in questions:
            chosen = _condition(session, self.model, self.groups[question.group], scope)
            if not grouped:  # one look-up per contact
                value = select(epoch(func.max(occurred))).where(*scope, chosen)
                values.append(value.scalar_subquery())
            else:
                values.append(epoch(func.max(case((chosen, occurred)))))
        return values


def _condition(
    session: Session, model: Any, group: EventGroup, scope: list[ColumnElement[bool]]
) -> ColumnElement[bool]:
    """The group's events as a SQL condition; a URL pattern becomes the list of the matching
    URLs among the events in scope (Python's regular expressions, read once per URL)."""
    chosen: ColumnElement[bool] = model.kind.in_(group.kinds) if group.kinds else true()
    if group.url_pattern is None:
        return chosen
    statement = select(model.url).distinct().where(*scope, chosen, model.url.is_not(None))
    urls = np.array(session.connection().scalars(statement).all(), dtype=object)
    matching = urls[matching_urls(urls, group.url_pattern)].tolist()
    if not matching:
        return false()
    return and_(chosen, dialect_of(session).one_of(model.url, matching))


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)
