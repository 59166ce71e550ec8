"""The checks of a diagnosis. Each returns what it measured: a loss between 0 (clean) and 1
(all bad) in one dimension, with the problem behind a loss."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd

from dealflow.crm.cleansing import normalise
from dealflow.crm.cleansing.countries import read_country
from dealflow.crm.cleansing.vocabulary import spelling_fix, variant_key
from dealflow.crm.quality.frames import WorkspaceFrames
from dealflow.crm.quality.problems import Problem
from dealflow.crm.quality.targets import QualityTargets
from dealflow.crm.values import DOMAIN_PATTERN

EXAMPLES = 5
CATEGORY_PROPERTIES = {"companies": ("industry", "city"), "contacts": ("source", "city")}
"""Free-text properties whose values are really categories, so a rare spelling stands out."""


@dataclass(frozen=True)
class Measure:
    """What one check found: its dimension, the loss, and the problem when there is one."""

    dimension: str
    loss: float
    problem: Problem | None = None


def _problem(
    code: str,
    dimension: str,
    object_type: str,
    prop: str | None,
    bad: pd.DataFrame,
    total: int,
    value_column: str | None = None,
    **params: Any,
) -> Problem:
    column = value_column or prop
    examples = [
        {"id": int(row["id"]), "value": _plain(row[column]) if column in row else None}
        for _, row in bad.head(EXAMPLES).iterrows()
    ]
    return Problem(code, dimension, object_type, prop, len(bad), total, 0.0, params, examples)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or (not isinstance(value, str | list | dict) and pd.isna(value)):
        return None
    return value if isinstance(value, str | int | float | bool) else str(value)


def _filled(series: pd.Series) -> pd.Series:
    return series.notna() & (series.astype(str).str.strip() != "")


def completeness(data: WorkspaceFrames, targets: QualityTargets) -> list[Measure]:
    """Each key property's fill rate against its target."""
    measures = []
    for object_type, names in targets.key_properties.items():
        frame = data.frames.get(object_type)
        if frame is None or frame.empty:
            continue
        for name in names:
            if name not in frame.columns:
                continue
            rate = float(_filled(frame[name]).mean())
            target = targets.target(object_type, name)
            loss = max(0.0, 1 - rate / target) if target else 0.0
            problem = None
            if rate < target:
                empty = frame[~_filled(frame[name])]
                problem = _problem(
                    "low_fill_rate",
                    "completeness",
                    object_type,
                    name,
                    empty,
                    len(frame),
                    target=target,
                    rate=rate,
                )
                problem = Problem(**{**problem.__dict__, "count": len(empty)})
            measures.append(Measure("completeness", loss, problem))
    return measures


def validity(data: WorkspaceFrames) -> list[Measure]:
    """Emails, phones, domains, countries, dates and amounts that do not read as one."""
    region = data.workspace.phone_region
    contacts, companies, deals = data.of("contacts"), data.of("companies"), data.of("deals")
    measures: list[Measure] = []
    if not contacts.empty:
        measures += _invalid(contacts, "contacts", "email", "invalid_email", _bad_email)
        countries = (
            contacts["country"].map(lambda v: _country_code(v)) if "country" in contacts else None
        )
        phones = pd.Series(
            [
                _e164(p, region or c)
                for p, c in zip(
                    contacts["phone"],
                    countries if countries is not None else [None] * len(contacts),
                    strict=True,
                )
            ],
            index=contacts.index,
            dtype=object,
        )
        filled = _filled(contacts["phone"])
        measures.append(
            _measure("invalid_phone", "contacts", "phone", contacts, filled & phones.isna())
        )
        measures.append(
            _measure(
                "phone_not_e164",
                "contacts",
                "phone",
                contacts,
                filled & phones.notna() & (phones != contacts["phone"]),
                weight=0.5,
            )
        )
    for object_type, frame in (("contacts", contacts), ("companies", companies)):
        if not frame.empty and "country" in frame:
            measures += _country_measures(object_type, frame)
    if not companies.empty:
        if "domain" in companies:
            measures += _invalid(
                companies,
                "companies",
                "domain",
                "invalid_domain",
                lambda v: not DOMAIN_PATTERN.match(str(v)),
            )
        this_year = datetime.now().year
        if "year_established" in companies:
            measures += _invalid(
                companies,
                "companies",
                "year_established",
                "date_out_of_range",
                lambda v: not 1800 <= int(v) <= this_year,
                dimension="validity",
            )
        for name in ("employees", "annual_revenue"):
            if name in companies:
                measures += _invalid(companies, "companies", name, "not_positive", lambda v: v <= 0)
    if not deals.empty:
        open_or_won = deals[deals["stage_kind"] != "lost"]
        measures += _invalid(open_or_won, "deals", "amount", "not_positive", lambda v: v <= 0)
        if "close_date" in deals:
            measures += _invalid(
                deals, "deals", "close_date", "date_out_of_range", _implausible_date
            )
    return measures


def _measure(
    code: str,
    object_type: str,
    prop: str,
    frame: pd.DataFrame,
    bad: pd.Series,
    weight: float = 1.0,
    **params: Any,
) -> Measure:
    filled = int(_filled(frame[prop]).sum())
    count = int(bad.sum())
    loss = weight * count / filled if filled else 0.0
    problem = (
        _problem(code, "validity", object_type, prop, frame[bad], filled, **params)
        if count
        else None
    )
    return Measure("validity", loss, problem)


def _invalid(
    frame: pd.DataFrame,
    object_type: str,
    prop: str,
    code: str,
    is_bad: Any,
    dimension: str = "validity",
) -> list[Measure]:
    if prop not in frame or frame.empty:
        return []
    filled = _filled(frame[prop])
    bad = pd.Series(False, index=frame.index)
    bad[filled] = frame.loc[filled, prop].map(lambda v: bool(_safe(is_bad, v)))
    return [_measure(code, object_type, prop, frame, bad)]


def _safe(check: Any, value: Any) -> bool:
    try:
        return bool(check(value))
    except (TypeError, ValueError, ArithmeticError):
        return True


def _bad_email(value: Any) -> bool:
    return normalise.email(str(value)) is None


def _country_code(value: Any) -> str | None:
    return normalise.country(value) if isinstance(value, str) else None


def _e164(value: Any, region: str | None) -> str | None:
    return normalise.phone(value, region) if isinstance(value, str) else None


def _implausible_date(value: Any) -> bool:
    today = datetime.now().date()
    return not today - timedelta(days=365 * 15) <= value <= today + timedelta(days=365 * 5)


def _country_measures(object_type: str, frame: pd.DataFrame) -> list[Measure]:
    filled = _filled(frame["country"])
    matches = frame["country"].map(lambda v: read_country(v) if isinstance(v, str) else None)
    unread = filled & matches.isna()
    not_iso = (
        filled
        & matches.notna()
        & (matches.map(lambda m: m.code if m else None) != frame["country"])
    )
    measures = [_measure("invalid_country", object_type, "country", frame, unread)]
    measures.append(_measure("country_not_iso", object_type, "country", frame, not_iso, weight=0.3))
    misspelt = filled & matches.map(lambda m: m is not None and m.confidence < 1)
    for value, count in frame.loc[misspelt, "country"].value_counts().items():
        loss = int(count) / len(frame)
        match = read_country(str(value))
        rows = frame[frame["country"] == value]
        problem = _problem(
            "misspelt_value",
            "validity",
            object_type,
            "country",
            rows,
            len(frame),
            value=value,
            suggestion=match.code if match else None,
        )
        measures.append(Measure("validity", loss, problem))
    return measures


def spelling(data: WorkspaceFrames) -> list[Measure]:
    """Category values that are a known word misspelt (``technolgy``), and one category
    spelt several ways (``GTXPro`` and ``GTX Pro``)."""
    measures: list[Measure] = []
    for object_type, names in CATEGORY_PROPERTIES.items():
        frame = data.of(object_type)
        for name in names:
            if frame.empty or name not in frame:
                continue
            measures += _spelling_measures(object_type, name, frame)
    return measures


def _spelling_measures(object_type: str, name: str, frame: pd.DataFrame) -> list[Measure]:
    values = frame[name][_filled(frame[name])].astype(str)
    counts = Counter(values)
    measures: list[Measure] = []
    for value, count in counts.items():
        fix = spelling_fix(name, value)
        if fix is not None and fix != value:
            rows = frame[frame[name] == value]
            problem = _problem(
                "misspelt_value",
                "validity",
                object_type,
                name,
                rows,
                len(frame),
                value=value,
                suggestion=fix,
            )
            measures.append(Measure("validity", count / len(frame), problem))
    groups: dict[str, list[str]] = {}
    for value in counts:
        groups.setdefault(variant_key(value), []).append(value)
    for spellings in groups.values():
        if len(spellings) < 2:
            continue
        common = max(spellings, key=lambda v: (counts[v], v))
        for value in spellings:
            if value == common:
                continue
            rows = frame[frame[name] == value]
            problem = _problem(
                "variant_spelling",
                "consistency",
                object_type,
                name,
                rows,
                len(frame),
                value=value,
                suggestion=common,
            )
            measures.append(Measure("consistency", counts[value] / len(frame), problem))
    return measures


_FRESHNESS_EXAMPLE = {"contacts": "email", "companies": "name", "deals": "name"}
"""The column a stale record is shown by."""


def _company_activity(data: WorkspaceFrames) -> pd.Series:
    """Each company's latest sign of life: its contacts' activity and its deals' updates."""
    contacts, deals = data.of("contacts"), data.of("deals")
    moments = pd.concat(
        [
            pd.DataFrame(
                {"company": contacts["company_id"], "at": contacts["id"].map(data.last_activity)}
            ),
            pd.DataFrame({"company": deals["company_id"], "at": deals["updated_at"]}),
        ]
    ).dropna()
    if moments.empty:
        return pd.Series(dtype=object)
    moments["at"] = moments["at"].map(_utc)
    return moments.groupby(moments["company"].astype(int))["at"].max()


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def freshness(data: WorkspaceFrames, targets: QualityTargets, now: datetime) -> list[Measure]:
    """Contacts with no activity, and companies and deals not updated, in ``stale_after_days``."""
    cutoff = now - timedelta(days=targets.stale_after_days)
    measures = []
    for object_type in ("contacts", "companies", "deals"):
        frame = data.of(object_type)
        if frame.empty:
            continue
        if object_type == "deals":
            frame = frame[frame["stage_kind"] == "open"]
            if frame.empty:
                continue
        changed = frame["id"].map(data.last_change[object_type])
        activity = None
        if object_type == "contacts":
            activity = frame["id"].map(data.last_activity)
        elif object_type == "companies":
            activity = frame["id"].map(_company_activity(data))
        last = pd.Series(
            [
                max(t for t in (created, change, active) if isinstance(t, datetime))
                for created, change, active in zip(
                    frame["created_at"],
                    changed,
                    activity if activity is not None else [None] * len(frame),
                    strict=True,
                )
            ],
            index=frame.index,
        )
        stale = last.map(lambda t: t < cutoff)
        share = float(stale.mean())
        problem = None
        if share > 0:
            problem = _problem(
                "stale",
                "freshness",
                object_type,
                None,
                frame[stale],
                len(frame),
                value_column=_FRESHNESS_EXAMPLE.get(object_type),
                days=targets.stale_after_days,
            )
        measures.append(Measure("freshness", share, problem))
    return measures


def consistency(data: WorkspaceFrames, now: datetime) -> list[Measure]:
    """Records whose facts contradict each other."""
    deals, contacts = data.of("deals"), data.of("contacts")
    measures: list[Measure] = []
    if not deals.empty:
        won = deals[deals["stage_kind"] == "won"]
        opened = deals[deals["stage_kind"] == "open"]
        amount = won["amount"]
        no_amount = won[amount.isna() | (amount.fillna(0) == 0)]
        measures.append(_consistency("won_deal_without_amount", "deals", "amount", no_amount, won))
        without = opened[opened["company_id"].isna()]
        measures.append(
            _consistency("open_deal_without_company", "deals", "company_id", without, opened)
        )
        today = now.date()
        past = opened[
            opened["close_date"].map(lambda d: d is not None and not pd.isna(d) and d < today)
        ]
        measures.append(
            _consistency("open_deal_past_close_date", "deals", "close_date", past, opened)
        )
    if not contacts.empty:
        customers = contacts[contacts["lifecycle_stage"] == "customer"]
        lonely = customers[
            ~customers["id"].isin(data.won_contacts)
            & ~customers["company_id"].isin(data.won_companies)
        ]
        measures.append(
            _consistency(
                "customer_without_won_deal", "contacts", "lifecycle_stage", lonely, customers
            )
        )
    return measures


def _consistency(
    code: str, object_type: str, prop: str, bad: pd.DataFrame, among: pd.DataFrame
) -> Measure:
    if among.empty:
        return Measure("consistency", 0.0)
    value_column = "name" if "name" in bad else prop
    problem = (
        _problem(code, "consistency", object_type, prop, bad, len(among), value_column=value_column)
        if len(bad)
        else None
    )
    return Measure("consistency", len(bad) / len(among), problem)


def readiness(data: WorkspaceFrames, targets: QualityTargets) -> list[Measure]:
    """Outcomes to learn from, against what learned scoring needs."""
    contacts, deals = data.of("contacts"), data.of("deals")
    converted = (
        int(contacts["lifecycle_stage"].isin(["opportunity", "customer"]).sum())
        if not contacts.empty
        else 0
    )
    outcomes = {
        "leads": (converted, len(contacts) - converted),
        "deals": (
            int((deals["stage_kind"] == "won").sum()) if not deals.empty else 0,
            int((deals["stage_kind"] == "lost").sum()) if not deals.empty else 0,
        ),
    }
    measures = []
    for target, need in targets.outcome_needs.items():
        positives, negatives = outcomes.get(target, (0, 0))
        if not positives + negatives:
            continue  # the workspace keeps no such records: nothing to score
        enough = min(1.0, positives / need.min_positives) * min(1.0, negatives / need.min_negatives)
        problem = None
        if enough < 1:
            problem = Problem(
                "few_outcomes",
                "readiness",
                "contacts" if target == "leads" else "deals",
                None,
                positives + negatives,
                positives + negatives,
                0.0,
                {
                    "target": target,
                    "positives": positives,
                    "negatives": negatives,
                    "min_positives": need.min_positives,
                    "min_negatives": need.min_negatives,
                    "positive_label": need.positive_label,
                    "negative_label": need.negative_label,
                },
            )
        measures.append(Measure("readiness", 1 - enough, problem))
    return measures
