"""The engine on a generated person table with planted duplicates, and its self-check."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from dealflow.crm.linkage.baselines import exact_key_groups
from dealflow.crm.linkage.engine import Linkage, link_table
from dealflow.crm.linkage.metrics import pairwise_scores
from dealflow.crm.linkage.prepared import Field, PreparedTable, prepare
from dealflow.crm.linkage.roles import infer_roles
from dealflow.crm.linkage.training import SessionCheck, _combined, _problems
from dealflow.demo.person_records import SYLLABLES, person_records


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return person_records(1500, seed=11)


@pytest.fixture(scope="module")
def linkage(people: pd.DataFrame) -> Linkage:
    return link_table(people.drop(columns=["entity"]), "record_id")


def test_planted_duplicates_are_found_better_than_by_exact_keys(
    people: pd.DataFrame, linkage: Linkage
) -> None:
    truth = people.set_index("record_id")["entity"]
    unlabelled = people.drop(columns=["entity"])
    exact = exact_key_groups(
        prepare(unlabelled, "record_id", infer_roles(unlabelled, skip=("record_id",)))
    )

    ours = pairwise_scores(linkage.groups, truth)
    baseline = pairwise_scores(exact, truth)

    assert ours["f1"] >= 0.9
    assert ours["f1"] > baseline["f1"]
    assert ours["recall"] > baseline["recall"] + 0.05
    assert 0.2 <= linkage.threshold <= 0.99


def test_every_pair_says_why_and_every_record_has_a_group(
    people: pd.DataFrame, linkage: Linkage
) -> None:
    assert set(linkage.groups.index) == set(people["record_id"])
    strong = linkage.pairs[linkage.pairs["match_probability"] >= linkage.threshold]
    assert strong["reason"].str.startswith("agree: ").all()
    assert len(linkage.rules) >= 2
    assert {s.rule for s in linkage.sessions} <= {r.describe() for r in linkage.rules}


def _model(m_exact: float, m_other: float) -> dict[str, object]:
    levels = [
        {"is_null_level": True},
        {"m_probability": m_exact, "u_probability": 0.001},
        {"m_probability": m_other, "u_probability": 0.999},
    ]
    return {
        "probability_two_random_records_match": 0.001,
        "comparisons": [{"output_column_name": "date_0", "comparison_levels": levels}],
    }


def test_a_session_that_learned_birth_dates_barely_matter_is_set_aside_and_named() -> None:
    table = PreparedTable(pd.DataFrame(), (Field("date_0", "date", "dob"),))
    wrong, right = _model(0.04, 0.9), _model(0.9, 0.02)

    problems = _problems(table, wrong, ["date_0"])
    sessions = [
        SessionCheck("first_name & last_name", ("date_0",), problems),
        SessionCheck("postcode", ("date_0",), _problems(table, right, ["date_0"])),
    ]
    trained = _combined(right, table, sessions, list(zip(sessions, [wrong, right], strict=True)))

    assert problems == ("dob: exact agreement among matches (4%) is rarer than disagreement (90%)",)
    assert trained.warnings == [
        f"EM blocked on first_name & last_name was set aside: {problems[0]}"
    ]
    exact_level = trained.model["comparisons"][0]["comparison_levels"][1]  # type: ignore[index]
    assert exact_level["m_probability"] == 0.9


def _sites(seed: int) -> pd.DataFrame:
    """Sites of agencies: each agency's sites share its phone, director and most of its
    name, each has its own street; some sites are listed twice, written differently."""
    chance = random.Random(seed)
    streets = [f"{chance.choice(SYLLABLES)}{chance.choice(SYLLABLES)}" for _ in range(300)]
    rows = []
    for agency in range(120):
        name = f"{chance.choice(SYLLABLES)}{chance.choice(SYLLABLES)} {chance.choice(SYLLABLES)}"
        phone = f"312{chance.randint(1000000, 9999999)}"
        director = f"{chance.choice(SYLLABLES)}{chance.choice(SYLLABLES)} {name.split()[0]}"
        for site in range(3):
            rows.append(
                {
                    "name": f"{name} house site {chance.choice(SYLLABLES)}".title(),
                    "director": director.title(),
                    "address": f"{chance.randint(1, 9999)} W {chance.choice(streets)} Street",
                    "phone": phone,
                    "entity": f"{agency}-{site}",
                }
            )
    for row in chance.sample(rows, 60):
        copy = dict(row, name=row["name"].upper() + ", Inc.")
        copy["address"] = row["address"].replace("Street", "St.").replace(" W ", " West ")
        rows.append(copy)
    table = pd.DataFrame(rows)
    table.insert(0, "site_id", range(len(table)))
    return table


def test_sites_that_share_a_phone_but_not_a_street_stay_apart() -> None:
    sites = _sites(seed=4)
    truth = sites.set_index("site_id")["entity"]

    linkage = link_table(sites.drop(columns=["entity"]), "site_id")

    scores = pairwise_scores(linkage.groups, truth)
    assert scores["precision"] >= 0.95  # sharing a phone alone joins no two sites
    assert scores["recall"] >= 0.8


def test_colleagues_with_different_mailboxes_at_one_domain_do_not_agree_on_email(
    people: pd.DataFrame,
) -> None:
    chance = random.Random(3)
    mailbox = {e: f"{chance.choice(SYLLABLES)}.{e}" for e in people["entity"].unique()}
    staff = people.assign(email=[f"{mailbox[e]}@acme.com" for e in people["entity"]])
    entity = staff.set_index("record_id")["entity"]

    linkage = link_table(staff.drop(columns=["entity"]), "record_id")

    pairs = linkage.pairs
    colleagues = pairs[entity[pairs["id_l"]].to_numpy() != entity[pairs["id_r"]].to_numpy()]
    assert not colleagues["reason"].str.contains("email").any()
    assert pairwise_scores(linkage.groups, entity)["precision"] >= 0.9
