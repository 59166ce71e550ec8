"""Column roles read from headers and values, and the roles a user gives."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dealflow.core.errors import InvalidInputError
from dealflow.crm.linkage.roles import header_role, infer_roles
from dealflow.demo.person_records import person_records


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Email Address", "email"),
        ("given_name", "first_name"),
        ("surname", "last_name"),
        ("date_of_birth", "date"),
        ("Zip", "postcode"),
        ("address_1", "address"),
        ("street_number", "street_number"),
        ("suburb", "city"),
        ("soc_sec_id", "identifier"),
        ("Site name", "name"),
        ("phoneNumber", "phone"),
        ("Notes", "text"),
        ("favourite colour", None),
    ],
)
def test_a_header_names_its_role(header: str, role: str | None) -> None:
    assert header_role(header) == role


def test_a_generated_person_table_gets_the_roles_a_person_would_give() -> None:
    table = person_records(400, seed=3)

    roles = {r.column: r.role for r in infer_roles(table, skip=("record_id", "entity"))}

    assert roles == {
        "first_name": "first_name",
        "last_name": "last_name",
        "dob": "date",
        "email": "email",
        "city": "city",
        "postcode": "postcode",
    }


def test_values_win_over_a_header_that_slipped_onto_the_wrong_column() -> None:
    table = pd.DataFrame(
        {
            "Email Address": [f"0{m % 9 + 1}/1{m % 3}/14" for m in range(200)],
            "Service type": [f"person{i}@site{i % 7}.org" for i in range(200)],
        }
    )

    roles = {r.column: (r.role, r.why) for r in infer_roles(table)}

    assert roles["Email Address"] == ("date", "values look like dates, not emails")
    assert roles["Service type"][0] == "email"


@given(st.lists(st.sampled_from(["", " ", None]), min_size=50, max_size=80))
def test_a_column_that_is_almost_always_empty_is_ignored(blanks: list[str | None]) -> None:
    table = pd.DataFrame({"Fax": [*blanks, "312 555 0100"]})

    (role,) = infer_roles(table)

    assert role.role == "ignore"


CODES = [f"{a}{b}{c}" for a in "kmrst" for b in "aeiou" for c in "lnxz"]


@given(st.lists(st.sampled_from(CODES), min_size=60, max_size=120))
def test_a_given_role_wins_and_a_wrong_one_is_named(words: list[str]) -> None:
    table = pd.DataFrame({"code": words})

    assert infer_roles(table, {"code": "identifier"})[0].role == "identifier"
    with pytest.raises(InvalidInputError, match="'colour' is not one of"):
        infer_roles(table, {"code": "colour"})
    with pytest.raises(InvalidInputError, match="unknown column"):
        infer_roles(table, {"missing": "name"})
