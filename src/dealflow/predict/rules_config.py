"""A workspace's point rules: its own once it has set them, the defaults until then.

Rules are a document a person writes, in YAML or JSON::

    rules:
      - {feature: pricing_views_7d, op: gte, value: 2, points: 20,
         label: "Looked at pricing twice this week"}
      - {feature: seniority, op: in, value: [executive, director], points: 10,
         label: "Senior decision maker"}

Every rule is checked when saved against the features the target's scorer computes, so a typo
is refused with the rule's number and what is wrong instead of silently scoring nothing. The
rules score while data is too thin for a model, and are the baseline a model must beat.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import InvalidFieldsError, InvalidInputError
from dealflow.models import ScoringRules
from dealflow.predict.baselines import DEFAULT_DEAL_RULES, DEFAULT_LEAD_RULES, OPERATORS, PointRule
from dealflow.predict.phrases import DEAL_PHRASES, LEAD_PHRASES

DEFAULT_RULES = {"leads": DEFAULT_LEAD_RULES, "deals": DEFAULT_DEAL_RULES}
FEATURES = {"leads": frozenset(LEAD_PHRASES), "deals": frozenset(DEAL_PHRASES)}
"""What a rule may test: every feature the target's scorer computes has a phrase."""
FIELDS = ("feature", "op", "value", "points", "label")


def workspace_rules(session: Session, workspace_id: int, target: str) -> tuple[PointRule, ...]:
    """The rules that score ``target`` in the workspace."""
    saved = _saved(session, workspace_id, target)
    if saved is None:
        return DEFAULT_RULES[target]
    return tuple(PointRule(**rule) for rule in saved.rules)


def is_customised(session: Session, workspace_id: int, target: str) -> bool:
    """Whether the workspace has set its own rules for ``target``."""
    return _saved(session, workspace_id, target) is not None


def save_rules(
    session: Session,
    workspace_id: int,
    target: str,
    rules: Sequence[PointRule],
    *,
    actor_id: int | None = None,
) -> None:
    """Make ``rules`` the workspace's rules for ``target`` (they apply at the next training)."""
    documents = [asdict(rule) for rule in rules]
    saved = _saved(session, workspace_id, target)
    if saved is None:
        saved = ScoringRules(workspace_id=workspace_id, target=target)
        session.add(saved)
    saved.rules = documents
    saved.updated_at = clock.now()
    saved.updated_by = actor_id
    session.flush()


def reset_rules(session: Session, workspace_id: int, target: str) -> bool:
    """Go back to the default rules; returns whether there were the workspace's own."""
    result = session.execute(
        delete(ScoringRules).where(
            ScoringRules.workspace_id == workspace_id, ScoringRules.target == target
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def read_rules_file(path: Path, target: str | None) -> list[PointRule]:
    """The rules of a YAML or JSON file (a list, or a mapping with ``rules``), checked (their
    features too, against the target's; None for rules over a file's own columns)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInputError(f"cannot read {path}: {error.strerror}") from None
    try:
        document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        raise InvalidInputError(f"{path} is not valid {_kind(path)}: {error}") from None
    try:
        return parse_rules(document, target)
    except InvalidFieldsError as error:
        raise InvalidFieldsError([(f"{path}: {f}", m) for f, m in error.problems]) from None


def parse_rules(document: Any, target: str | None) -> list[PointRule]:
    """Rules from a parsed document; every problem is named by rule number and field."""
    if isinstance(document, dict):
        document = document.get("rules")
    if not isinstance(document, list) or not document:
        raise InvalidFieldsError([("rules", "give a non-empty list of rules")])
    problems: list[tuple[str, str]] = []
    rules = []
    for number, rule in enumerate(document, start=1):
        where = f"rules[{number}]"
        if not isinstance(rule, dict):
            problems.append((where, f"expected a mapping with {', '.join(FIELDS)}"))
            continue
        found = _problems(rule, target)
        problems += [(f"{where}.{field}", message) for field, message in found]
        if not found:
            rules.append(PointRule(**{name: rule[name] for name in FIELDS}))
    if problems:
        raise InvalidFieldsError(problems)
    return rules


def _problems(rule: dict[str, Any], target: str | None) -> list[tuple[str, str]]:
    problems = [(name, "missing") for name in FIELDS if name not in rule]
    problems += [(name, "not a rule field") for name in rule if name not in FIELDS]
    feature, op, value = rule.get("feature"), rule.get("op"), rule.get("value")
    if not isinstance(feature, str) or not feature:
        problems.append(("feature", "name the feature (or column) the rule tests"))
    elif target is not None and feature not in FEATURES[target]:
        close = difflib.get_close_matches(str(feature), FEATURES[target], n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        problems.append(("feature", f"{feature!r} is not a {target[:-1]} feature{hint}"))
    if "op" in rule and op not in OPERATORS:
        problems.append(("op", f"{op!r} is not one of {', '.join(OPERATORS)}"))
    if op in ("gte", "lte") and not _is_number(value):
        problems.append(("value", f"{op} compares with a number, not {value!r}"))
    if op == "in" and not isinstance(value, list):
        problems.append(("value", "in takes a list of values"))
    if "points" in rule and not _is_number(rule["points"]):
        problems.append(("points", f"expected a number, not {rule['points']!r}"))
    if "label" in rule and not (isinstance(rule["label"], str) and rule["label"].strip()):
        problems.append(("label", "say in words what the rule rewards, e.g. 'Replied this month'"))
    return problems


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _kind(path: Path) -> str:
    return "JSON" if path.suffix == ".json" else "YAML"


def _saved(session: Session, workspace_id: int, target: str) -> ScoringRules | None:
    return session.scalar(
        select(ScoringRules).where(
            ScoringRules.workspace_id == workspace_id, ScoringRules.target == target
        )
    )
