"""Custom properties: typed definitions per object type, and the values they accept."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.core.errors import InvalidInputError
from dealflow.crm import service
from dealflow.crm.properties import define_property, definitions, validate_custom
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Workspace
from tests.factories import make_company, make_contact


class TestDefine:
    def test_a_property_gets_its_type_label_and_options(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        tier = define_property(
            session, workspace.id, "contact", "customer_tier", "enum", options=["gold", "silver"]
        )

        assert (tier.object_type, tier.label, tier.value_type, tier.options) == (
            "contacts",
            "Customer tier",
            "enum",
            ["gold", "silver"],
        )
        assert tier.created_at == frozen_clock.now()
        assert definitions(session, workspace.id, "contacts") == {"customer_tier": tier}

    @pytest.mark.parametrize(
        ("object_type", "name"),
        [
            ("contacts", "email"),
            ("contacts", "company"),
            ("contacts", "company_id"),
            ("deals", "stage"),
            ("deals", "pipeline_id"),
            ("companies", "owner_id"),
            ("companies", "properties"),
            ("companies", "id"),
        ],
    )
    def test_a_standard_field_name_is_refused(
        self, session: Session, workspace: Workspace, object_type: str, name: str
    ) -> None:
        with pytest.raises(InvalidInputError, match=f"{name!r} is a standard field"):
            define_property(session, workspace.id, object_type, name, "text")

    @pytest.mark.parametrize("object_type", ["users", "teams"])
    def test_objects_without_custom_properties_refuse_them(
        self, session: Session, workspace: Workspace, object_type: str
    ) -> None:
        with pytest.raises(InvalidInputError, match=f"{object_type} have no custom properties"):
            define_property(session, workspace.id, object_type, "shirt_size", "text")

    def test_redefining_with_the_same_type_returns_the_existing_property(
        self, session: Session, workspace: Workspace
    ) -> None:
        first = define_property(session, workspace.id, "deals", "region", "text")

        assert define_property(session, workspace.id, "deals", "region", "text") is first

    def test_redefining_with_another_type_is_refused(
        self, session: Session, workspace: Workspace
    ) -> None:
        define_property(session, workspace.id, "deals", "region", "text")

        with pytest.raises(InvalidInputError, match="'region' of deals already exists as text"):
            define_property(session, workspace.id, "deals", "region", "number")

    def test_redefining_an_enum_adds_new_options(
        self, session: Session, workspace: Workspace
    ) -> None:
        define_property(session, workspace.id, "deals", "tier", "enum", options=["gold"])

        tier = define_property(
            session, workspace.id, "deals", "tier", "enum", options=["silver", "gold"]
        )

        assert tier.options == ["gold", "silver"]

    def test_an_enum_needs_options(self, session: Session, workspace: Workspace) -> None:
        with pytest.raises(InvalidInputError, match="enum property 'tier' needs a list of options"):
            define_property(session, workspace.id, "deals", "tier", "enum", options=[])

    def test_an_unknown_type_is_refused(self, session: Session, workspace: Workspace) -> None:
        with pytest.raises(InvalidInputError, match="type 'json' is not one of text, number"):
            define_property(session, workspace.id, "deals", "blob", "json")

    def test_definitions_belong_to_one_object_type_and_workspace(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        define_property(session, workspace.id, "companies", "segment", "text")
        other = ensure_workspace(session, "globex")

        assert definitions(session, workspace.id, "contacts") == {}
        assert definitions(session, other.id, "companies") == {}
        with pytest.raises(InvalidInputError, match="unknown property 'segment'"):
            make_contact(session, workspace, properties={"segment": "smb"})


class TestValues:
    @pytest.fixture
    def defined(self, session: Session, workspace: Workspace) -> dict:
        for name, value_type, options in [
            ("nickname", "text", None),
            ("seats", "number", None),
            ("renewal", "date", None),
            ("tier", "enum", ["gold", "silver"]),
            ("vip", "bool", None),
        ]:
            define_property(session, workspace.id, "companies", name, value_type, options=options)
        return definitions(session, workspace.id, "companies")

    def test_values_are_stored_typed_in_json_form(self, defined: dict) -> None:
        typed = validate_custom(
            defined,
            {
                "nickname": "  Big A ",
                "seats": "1,200",
                "renewal": "2026-09-30",
                "tier": "GOLD",
                "vip": "yes",
            },
        )

        assert typed == {
            "nickname": "Big A",
            "seats": 1200.0,
            "renewal": "2026-09-30",
            "tier": "gold",
            "vip": True,
        }

    def test_blank_values_clear_the_property(self, defined: dict) -> None:
        assert validate_custom(defined, {"seats": " ", "tier": None}) == {
            "seats": None,
            "tier": None,
        }

    @pytest.mark.parametrize(
        ("name", "raw", "reason"),
        [
            ("seats", "many", "'many' is not a number"),
            ("renewal", "someday", "'someday' is not a date"),
            ("tier", "bronze", "'bronze' is not one of: gold, silver"),
            ("vip", "perhaps", "'perhaps' is not yes/no"),
        ],
    )
    def test_a_bad_value_is_refused_naming_the_property_and_value(
        self, defined: dict, name: str, raw: str, reason: str
    ) -> None:
        with pytest.raises(InvalidInputError, match=f"property '{name}': {reason}"):
            validate_custom(defined, {name: raw})

    def test_an_unknown_property_is_refused_by_name(self, defined: dict) -> None:
        with pytest.raises(InvalidInputError, match="unknown property 'color': define it first"):
            validate_custom(defined, {"color": "red"})

    def test_records_keep_their_custom_values_through_the_service(
        self, session: Session, workspace: Workspace, defined: dict, frozen_clock: FrozenClock
    ) -> None:
        company = make_company(session, workspace, properties={"seats": "40", "tier": "Silver"})

        service.update_record(
            session, workspace.id, "companies", company.id, {"properties": {"vip": "no"}}
        )

        assert company.properties == {"seats": 40.0, "tier": "silver", "vip": False}
        with pytest.raises(InvalidInputError, match="property 'seats'"):
            service.update_record(
                session, workspace.id, "companies", company.id, {"properties": {"seats": "x"}}
            )
        assert company.properties["seats"] == 40.0
