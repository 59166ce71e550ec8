"""The filter language: parsing (property-based), checking against the workspace's
properties, and evaluation on records and their associated records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from dealflow.automate.filters import (
    OPS,
    Condition,
    FilterError,
    check_filter,
    filter_document,
    matches,
    parse_filter,
)
from dealflow.automate.records import RecordSubject
from dealflow.automate.schema import PropertySchema
from dealflow.core.clock import FrozenClock
from dealflow.crm import service
from dealflow.crm.properties import define_property
from dealflow.models import DealContact, Workspace
from tests.factories import make_company, make_contact, make_deal

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
names = st.from_regex(r"[a-z][a-z_]{0,10}(\.[a-z][a-z_]{0,10})?", fullmatch=True)
scalars = st.one_of(st.text(min_size=1, max_size=8), st.integers(-1000, 1000), st.booleans())
ordered = st.one_of(st.integers(-1000, 1000), st.dates().map(lambda d: d.isoformat()))


@st.composite
def conditions(draw: st.DrawFn) -> dict[str, Any]:
    op = draw(st.sampled_from(OPS))
    document: dict[str, Any] = {"property": draw(names), "op": op}
    if op in ("eq", "neq"):
        document["value"] = draw(scalars)
    elif op == "in":
        document["value"] = draw(st.lists(scalars, min_size=1, max_size=4))
    elif op == "contains":
        document["value"] = draw(st.text(min_size=1, max_size=8))
    elif op in ("gt", "lt"):
        document["value"] = draw(ordered)
    elif op == "between":
        low, high = sorted(draw(st.lists(st.integers(-1000, 1000), min_size=2, max_size=2)))
        document["value"] = [low, high]
    elif op == "changed_within":
        document["value"] = draw(st.integers(1, 365))
    return document


filters = st.recursive(
    conditions(),
    lambda inner: st.builds(
        lambda mode, items: {mode: items},
        st.sampled_from(["all", "any"]),
        st.lists(inner, min_size=1, max_size=4),
    ),
    max_leaves=12,
)


class FixedSubject:
    """A record whose every property has one value (for evaluating logic alone)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.data = values

    def values(self, prop: str) -> Sequence[Any]:
        return [self.data.get(prop)]

    def changed_since(self, prop: str, since: datetime) -> bool:
        return False


class TestParsing:
    @given(filters)
    def test_a_valid_document_round_trips_through_the_tree(self, document: dict[str, Any]) -> None:
        assert filter_document(parse_filter(document)) == document

    @given(filters, st.sampled_from(["op", "value", "property"]))
    def test_breaking_one_condition_names_its_path(
        self, document: dict[str, Any], key: str
    ) -> None:
        path, condition = "", document
        while "property" not in condition:
            mode = next(iter(condition))
            path = f"{path}.{mode}[0]" if path else f"{mode}[0]"
            condition = condition[mode][0]
        if key == "value" and condition["op"] in ("is_known", "is_unknown"):
            condition["value"] = "surprise"
        else:
            condition[key] = {"not": "valid"}

        with pytest.raises(FilterError) as caught:
            parse_filter(document)

        assert caught.value.path == (f"{path}.{key}" if path else key)

    @given(st.one_of(st.none(), st.integers(), st.text(), st.lists(st.integers())))
    def test_anything_but_a_mapping_is_refused(self, document: Any) -> None:
        with pytest.raises(FilterError, match="expected a condition"):
            parse_filter(document, "goal")

    @pytest.mark.parametrize(
        ("document", "path", "message"),
        [
            ({"all": []}, "all", "expected a non-empty list"),
            ({"all": [], "any": []}, "", "exactly one key"),
            ({"property": "x", "op": "between", "value": [5, 1]}, "value", "low value is above"),
            ({"property": "x", "op": "gt", "value": "soon"}, "value", "number or a date"),
            (
                {"property": "x", "op": "changed_within", "value": 0},
                "value",
                "whole number of days",
            ),
            ({"property": "x", "op": "eq"}, "value", "eq needs a value"),
            ({"property": "x", "op": "eq", "value": 1, "extra": 2}, "extra", "unknown key"),
        ],
    )
    def test_bad_documents_say_what_is_wrong_where(
        self, document: dict[str, Any], path: str, message: str
    ) -> None:
        with pytest.raises(FilterError) as caught:
            parse_filter(document)
        assert caught.value.path == path
        assert message in caught.value.message


class TestEvaluation:
    @given(
        st.recursive(
            st.booleans(),
            lambda inner: st.tuples(
                st.sampled_from(["all", "any"]), st.lists(inner, min_size=1, max_size=4)
            ),
            max_leaves=10,
        )
    )
    def test_groups_are_and_and_or(self, shape: Any) -> None:
        def build(node: Any) -> tuple[dict[str, Any], bool]:
            if isinstance(node, bool):
                return {"property": "flag", "op": "eq", "value": node}, node
            mode, items = node
            built = [build(item) for item in items]
            truth = all(t for _, t in built) if mode == "all" else any(t for _, t in built)
            return {mode: [d for d, _ in built]}, truth

        document, expected = build(shape)
        assert matches(parse_filter(document), FixedSubject({"flag": True}), NOW) is expected

    @pytest.mark.parametrize(
        ("condition", "value", "expected"),
        [
            (Condition("x", "eq", "Japan"), "japan", True),
            (Condition("x", "eq", 5), 5.0, True),
            (Condition("x", "neq", "a"), None, True),
            (Condition("x", "in", ("a", "b")), "B", True),
            (Condition("x", "contains", "acme"), "The ACME Corp", True),
            (Condition("x", "gt", 10), 11, True),
            (Condition("x", "gt", 10), None, False),
            (Condition("x", "lt", "2026-03-01"), datetime(2026, 2, 1, tzinfo=UTC), True),
            (Condition("x", "between", (1, 5)), 5, True),
            (Condition("x", "between", (1, 5)), 6, False),
            (Condition("x", "gt", 3), "not a number", False),
            (Condition("x", "is_known"), "", False),
            (Condition("x", "is_unknown"), None, True),
        ],
    )
    def test_operators(self, condition: Condition, value: Any, expected: bool) -> None:
        assert matches(condition, FixedSubject({"x": value}), NOW) is expected


class TestOnRecords:
    def test_a_contact_is_filtered_on_its_company_and_custom_properties(
        self, session: Session, workspace: Workspace
    ) -> None:
        define_property(session, workspace.id, "contacts", "budget", "number")
        company = make_company(session, workspace, country="Japan", employees=500)
        contact = make_contact(
            session, workspace, company_id=company.id, properties={"budget": 900}
        )
        tree = parse_filter(
            {
                "all": [
                    {"property": "company.country", "op": "eq", "value": "Japan"},
                    {"property": "company.employees", "op": "between", "value": [100, 1000]},
                    {"property": "budget", "op": "gt", "value": 500},
                ]
            }
        )
        check_filter(tree, PropertySchema(session, workspace.id, "contacts"))

        assert matches(tree, RecordSubject(session, workspace.id, "contacts", contact.id), NOW)

    def test_a_deal_matches_when_any_of_its_contacts_does(
        self, session: Session, workspace: Workspace
    ) -> None:
        deal = make_deal(session, workspace)
        for language in ("en", "ja"):
            contact = make_contact(session, workspace, language=language)
            session.add(
                DealContact(deal_id=deal.id, contact_id=contact.id, workspace_id=workspace.id)
            )
        session.flush()
        subject = RecordSubject(session, workspace.id, "deals", deal.id)

        assert matches(
            parse_filter({"property": "contacts.language", "op": "eq", "value": "ja"}), subject, NOW
        )
        assert not matches(
            parse_filter({"property": "contacts.language", "op": "eq", "value": "ko"}), subject, NOW
        )

    def test_changed_within_reads_the_property_history(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace)
        service.update_record(
            session, workspace.id, "contacts", contact.id, {"lead_status": "open"}
        )
        recent = parse_filter({"property": "lead_status", "op": "changed_within", "value": 7})

        subject = RecordSubject(session, workspace.id, "contacts", contact.id)
        assert matches(recent, subject, frozen_clock.now())
        assert not matches(recent, subject, frozen_clock.now() + timedelta(days=8))

    def test_unknown_properties_and_associations_are_named(
        self, session: Session, workspace: Workspace
    ) -> None:
        schema = PropertySchema(session, workspace.id, "contacts")
        cases = {
            "shoe_size": "contacts have no property 'shoe_size'",
            "spouse.name": "contacts have no association 'spouse' (associations: company, owner)",
            "company.owner.name": (
                "'company.owner.name': follow one association at most (like company.country)"
            ),
        }
        for prop, message in cases.items():
            with pytest.raises(FilterError) as caught:
                check_filter(parse_filter({"any": [{"property": prop, "op": "is_known"}]}), schema)
            assert (caught.value.path, caught.value.message) == ("any[0].property", message)
