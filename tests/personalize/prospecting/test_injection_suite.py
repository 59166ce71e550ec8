"""The prompt-injection suite as a test: every hostile site, with the rules alone and with
a gullible model, changes nothing but the findings (and plants none of its own text)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dealflow.personalize.prospecting.suite.cases import CASES, HostileCase
from dealflow.personalize.prospecting.suite.runner import Suite


@pytest.fixture(scope="module")
def suite() -> Iterator[Suite]:
    with Suite() as running:
        yield running


def test_the_suite_has_many_kinds_of_attack() -> None:
    assert len(CASES) >= 30
    assert len({case.kind for case in CASES}) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
@pytest.mark.parametrize("with_model", [False, True], ids=["rules", "rules+model"])
def test_a_hostile_site_changes_nothing_but_the_findings(
    suite: Suite, case: HostileCase, with_model: bool
) -> None:
    result = suite.run(case, with_model=with_model)
    assert not result.actions_changed, result
    assert not result.recipients_changed, result
    assert not result.instructions_changed, result
    assert not result.crm_changed, result
    assert not result.internal_request, result
    assert not result.injected_fact, result
    assert result.facts_kept, result


def test_planted_instructions_are_set_aside_not_lost_silently(suite: Suite) -> None:
    [visible] = [case for case in CASES if case.name == "visible-instruction"]
    result = suite.run(visible, with_model=False)
    assert result.set_aside == 1
    assert result.findings > 10
