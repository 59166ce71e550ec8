"""How two records are compared on each field: levels of agreement, surest first.

Every comparison starts with "one side is empty" and ends with "anything else"; the levels
between go from exact agreement to looser ones (close spellings, shared words, swapped day
and month). Exact agreement on names, cities and categories is weighed by how common the
value is (term frequencies): two "Smith"s say less than two "Featherstonehaugh"s.
"""

from __future__ import annotations

from collections.abc import Callable

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from dealflow.crm.linkage.prepared import Field

Levels = list[ComparisonLevelCreator]
SAME_ADDRESS_FROM_NAME = "same address, made of the name"
SAME_MAILBOX_FROM_NAME = "same mailbox name, made of the name"
SIMILAR_MAILBOX_FROM_NAME = "similar mailbox names, made of the name"
EMAIL_JARO_WINKLER = 0.88


def comparison_for(field: Field, last_name: Field | None = None) -> ComparisonCreator:
    """The comparison of ``field`` between two records; a first name is also compared
    with the other record's ``last_name`` (names entered the wrong way round)."""
    levels = LEVELS[field.role](field.name)
    if field.role == "email" and last_name is not None:
        levels = _email_built_from(field.name, last_name.name) + levels
    if field.role == "first_name" and last_name is not None:
        left, right = f"{field.name}_l", f"{last_name.name}_r"
        swapped = f"jaro_winkler_similarity({left}, {right}) >= 0.9"
        levels.append(cll.CustomLevel(swapped, "swapped with last name", "duckdb"))
    return cl.CustomComparison(
        comparison_levels=[cll.NullLevel(field.name), *levels, cll.ElseLevel()],
        output_column_name=field.name,
        comparison_description=f"{field.role} ({field.source})",
    )


COMPARED_SUFFIXES = {
    "first_name": ("_ph",),
    "last_name": ("_ph",),
    "name": ("_sorted", "_tokens", "_rare"),
    "address": ("_sorted", "_tokens", "_rare", "_num"),
    "email": ("_user",),
    "phone": ("_local",),
    "text": ("_tokens", "_rare"),
}


def compared_columns(field: Field, last_name: Field | None = None) -> frozenset[str]:
    """The columns ``comparison_for`` reads: EM cannot learn it inside a block on any."""
    columns = {field.name, *(field.name + s for s in COMPARED_SUFFIXES.get(field.role, ()))}
    if field.role == "first_name" and last_name is not None:
        columns.add(last_name.name)
    if field.role == "email" and last_name is not None:
        columns.add(last_name.name)
    return frozenset(columns)


def _person_name(name: str) -> Levels:
    return [
        cll.ExactMatchLevel(name, term_frequency_adjustments=True),
        cll.JaroWinklerLevel(name, 0.92),
        cll.Or(cll.JaroWinklerLevel(name, 0.8), cll.ExactMatchLevel(f"{name}_ph")),
    ]


def _entity_name(name: str) -> Levels:
    return [
        cll.ExactMatchLevel(name, term_frequency_adjustments=True),
        cll.Or(cll.ExactMatchLevel(f"{name}_sorted"), cll.JaroWinklerLevel(name, 0.94)),
        cll.Or(cll.ArrayIntersectLevel(f"{name}_tokens", 2), cll.JaroWinklerLevel(name, 0.85)),
        cll.ArrayIntersectLevel(f"{name}_rare", 1),
    ]


def _address(name: str) -> Levels:
    same_number = cll.ExactMatchLevel(f"{name}_num")
    return [
        cll.ExactMatchLevel(name),
        cll.Or(cll.ExactMatchLevel(f"{name}_sorted"), cll.JaroWinklerLevel(name, 0.92)),
        cll.And(same_number, cll.ArrayIntersectLevel(f"{name}_tokens", 1)),
        cll.ArrayIntersectLevel(f"{name}_rare", 1),
    ]


def _date(name: str) -> Levels:
    left, right = f"{name}_l", f"{name}_r"
    swapped = (
        f"substr({left}, 1, 4) = substr({right}, 1, 4) "
        f"and substr({left}, 5, 2) = substr({right}, 7, 2) "
        f"and substr({left}, 7, 2) = substr({right}, 5, 2)"
    )
    return [
        cll.ExactMatchLevel(name),
        cll.CustomLevel(swapped, "day and month swapped", base_dialect_str="duckdb"),
        cll.DamerauLevenshteinLevel(name, 1),
        cll.DamerauLevenshteinLevel(name, 2),
    ]


def _email(name: str) -> Levels:
    """Addresses compared by their mailbox: colleagues' different mailboxes at one company
    domain are not agreement, however alike the whole addresses look."""
    return [
        cll.ExactMatchLevel(name),
        cll.ExactMatchLevel(f"{name}_user", term_frequency_adjustments=True),
        cll.JaroWinklerLevel(f"{name}_user", EMAIL_JARO_WINKLER),
    ]


def _email_built_from(name: str, last_name: str) -> Levels:
    """Agreement on an address made of the person's name: two John Smiths share
    john.smith@ as often as they share a name, so it says less than a mailbox like kx93@."""
    from_name = (
        f"{last_name}_l is not null and length({last_name}_l) > 1 "
        f"and strpos({name}_user_l, {last_name}_l) > 0"
    )
    same_user = f"{name}_user_l = {name}_user_r"
    similar = f"jaro_winkler_similarity({name}_user_l, {name}_user_r) >= {EMAIL_JARO_WINKLER}"
    return [
        cll.CustomLevel(f"{name}_l = {name}_r and {from_name}", SAME_ADDRESS_FROM_NAME),
        cll.CustomLevel(f"{same_user} and {from_name}", SAME_MAILBOX_FROM_NAME),
        cll.CustomLevel(f"{similar} and {from_name}", SIMILAR_MAILBOX_FROM_NAME),
    ]


def _phone(name: str) -> Levels:
    return [
        cll.ExactMatchLevel(name),
        cll.ExactMatchLevel(f"{name}_local"),
        cll.DamerauLevenshteinLevel(name, 1),
    ]


def _place(name: str) -> Levels:
    return [
        cll.ExactMatchLevel(name, term_frequency_adjustments=True),
        cll.JaroWinklerLevel(name, 0.9),
    ]


def _code(name: str) -> Levels:
    return [cll.ExactMatchLevel(name), cll.DamerauLevenshteinLevel(name, 1)]


def _exact(name: str) -> Levels:
    return [cll.ExactMatchLevel(name, term_frequency_adjustments=True)]


def _text(name: str) -> Levels:
    return [
        cll.ExactMatchLevel(name),
        cll.ArrayIntersectLevel(f"{name}_tokens", 4),
        cll.ArrayIntersectLevel(f"{name}_rare", 1),
    ]


LEVELS: dict[str, Callable[[str], Levels]] = {
    "first_name": _person_name,
    "last_name": _person_name,
    "name": _entity_name,
    "date": _date,
    "email": _email,
    "phone": _phone,
    "website": _exact,
    "address": _address,
    "street_number": _exact,
    "city": _place,
    "postcode": _code,
    "category": _exact,
    "identifier": _code,
    "text": _text,
    "string": _place,
}
