"""A workspace's own point rules: checked when saved, used by training and scoring, and kept
apart from other workspaces'."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.core.errors import InvalidFieldsError, InvalidInputError
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Contact, Workspace
from dealflow.predict.baselines import OPERATORS
from dealflow.predict.rules_config import (
    DEFAULT_RULES,
    FEATURES,
    FIELDS,
    parse_rules,
    read_rules_file,
    reset_rules,
    save_rules,
    workspace_rules,
)
from dealflow.predict.scoring import score
from dealflow.predict.training import train
from tests.factories import make_contact

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CORPORATE = {
    "feature": "email_domain_kind",
    "op": "eq",
    "value": "corporate",
    "points": 40,
    "label": "Writes from a company address",
}

values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)
)
rule_like = st.dictionaries(
    st.sampled_from([*FIELDS, "weight"]),
    st.one_of(values, st.sampled_from(sorted(FEATURES["leads"])), st.sampled_from(OPERATORS)),
)


@given(st.lists(rule_like, max_size=4))
def test_any_document_gives_rules_or_names_each_problem(document: list[dict[str, Any]]) -> None:
    try:
        rules = parse_rules(document, "leads")
    except InvalidFieldsError as error:
        assert error.problems
        assert all(field.startswith("rules") for field, _ in error.problems)
    else:
        assert [asdict(rule) for rule in rules] == document


def test_a_typo_is_refused_with_the_rule_number_and_a_suggestion() -> None:
    document = {"rules": [CORPORATE, {**CORPORATE, "feature": "pricing_view_7d", "op": "gte"}]}

    with pytest.raises(InvalidFieldsError) as refused:
        parse_rules(document, "leads")

    problems = dict(refused.value.problems)
    assert "did you mean pricing_views_7d?" in problems["rules[2].feature"]
    assert "compares with a number" in problems["rules[2].value"]
    assert not any(field.startswith("rules[1]") for field in problems)


def test_a_file_that_is_not_yaml_says_so(tmp_path: Path) -> None:
    broken = tmp_path / "rules.yml"
    broken.write_text("rules: [feature: {", encoding="utf-8")

    with pytest.raises(InvalidInputError, match=r"rules\.yml is not valid YAML"):
        read_rules_file(broken, "leads")


def test_training_and_scoring_use_the_workspaces_own_rules(
    session: Session, workspace: Workspace, frozen_clock: FrozenClock
) -> None:
    corporate = make_contact(session, workspace, email="ana@acme-industries.com")
    free = make_contact(session, workspace, email="bo@gmail.com")
    other = ensure_workspace(session, "other", "Other")
    save_rules(session, workspace.id, "leads", parse_rules([CORPORATE], "leads"))

    train(session, workspace.id, "leads", now=NOW)
    score(session, workspace.id, "leads", now=NOW)

    scored = {c.id: c for c in session.query(Contact).filter(Contact.workspace_id == workspace.id)}
    assert scored[corporate.id].score > scored[free.id].score
    assert [r["text"] for r in scored[corporate.id].score_reasons] == [CORPORATE["label"]]
    assert scored[free.id].score_reasons == []
    assert workspace_rules(session, other.id, "leads") == DEFAULT_RULES["leads"]
    assert reset_rules(session, workspace.id, "leads")
    assert workspace_rules(session, workspace.id, "leads") == DEFAULT_RULES["leads"]
