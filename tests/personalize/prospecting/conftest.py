"""Research fixtures: Northwind's website on loopback and a fetcher allowed to read it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dealflow.personalize.prospecting.addresses import AllowedTarget
from dealflow.personalize.prospecting.fetcher import SafeFetcher
from dealflow.personalize.prospecting.policy import FetchPolicy
from dealflow.personalize.prospecting.suite.server import LocalSite
from dealflow.personalize.prospecting.suite.sites import company_site


@pytest.fixture
def site() -> Iterator[LocalSite]:
    with LocalSite(company_site()) as served:
        yield served


def fetcher_for(site: LocalSite, **limits: object) -> SafeFetcher:
    """A fetcher that may reach ``site`` (and no other loopback port), without delays."""
    allowed = (AllowedTarget.parse(site.target),)
    return SafeFetcher(FetchPolicy(delay_s=0, allowed=allowed, **limits))  # type: ignore[arg-type]
