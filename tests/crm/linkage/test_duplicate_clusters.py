"""duplicate_clusters over a workspace's contacts and companies, on the run's database."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from dealflow.core.errors import InvalidInputError
from dealflow.crm.linkage import DuplicateCluster, duplicate_clusters
from dealflow.crm.properties import define_property
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Workspace
from tests.factories import make_company, make_contact


def test_contacts_whose_addresses_reach_one_mailbox_are_one_cluster(
    session: Session, workspace: Workspace
) -> None:
    first = make_contact(session, workspace, email="ada.lovelace@gmail.com")
    tagged = make_contact(session, workspace, email="adalovelace+crm@gmail.com")
    make_contact(session, workspace, email="ada@lovelace.example")
    make_contact(session, workspace, email=None)

    clusters = duplicate_clusters(session, workspace.id, "contacts")

    assert [cluster.record_ids for cluster in clusters] == [(first.id, tagged.id)]
    (pair,) = clusters[0].pairs
    assert (pair.id_a, pair.id_b, pair.match_probability) == (first.id, tagged.id, 1.0)
    assert "adalovelace@gmail.com" in pair.reason
    assert clusters[0].confidence == 1.0


def test_a_company_whose_website_is_another_companys_domain_is_its_duplicate(
    session: Session, workspace: Workspace
) -> None:
    define_property(session, workspace.id, "companies", "website", "text")
    acme = make_company(session, workspace, name="Acme", domain="acme.com")
    copy = make_company(
        session,
        workspace,
        name="ACME Inc.",
        domain=None,
        properties={"website": "https://www.Acme.com/about"},
    )
    make_company(session, workspace, name="Acme Anvils", domain="acme-anvils.com")

    clusters = duplicate_clusters(session, workspace.id, "companies")

    assert clusters == [
        DuplicateCluster(
            record_ids=(acme.id, copy.id),
            pairs=clusters[0].pairs,
            confidence=1.0,
        )
    ]
    assert clusters[0].pairs[0].reason == "same domain (acme.com)"


def test_another_workspaces_records_are_never_in_a_cluster(
    session: Session, workspace: Workspace
) -> None:
    other = ensure_workspace(session, "other")
    make_contact(session, other, email="grace@navy.example")
    mine = make_contact(session, workspace, email="grace+1@navy.example")

    assert duplicate_clusters(session, workspace.id, "contacts") == []
    assert duplicate_clusters(session, other.id, "contacts") == []
    assert mine.id


def test_three_records_of_one_person_are_one_cluster_not_three_pairs(
    session: Session, workspace: Workspace
) -> None:
    ids = [
        make_contact(session, workspace, email=email).id
        for email in ("kim@corp.example", "kim+news@corp.example", "kim+events@corp.example")
    ]

    (cluster,) = duplicate_clusters(session, workspace.id, "contacts")

    assert cluster.record_ids == tuple(ids)
    assert {(pair.id_a, pair.id_b) for pair in cluster.pairs} == {
        (ids[0], ids[1]),
        (ids[0], ids[2]),
    }


def test_an_unknown_object_type_is_named_in_the_error(
    session: Session, workspace: Workspace
) -> None:
    with pytest.raises(InvalidInputError, match="contacts or companies, not 'deals'"):
        duplicate_clusters(session, workspace.id, "deals")
