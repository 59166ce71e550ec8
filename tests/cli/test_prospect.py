"""``dealflow prospect`` and ``dealflow eval injection`` as a user runs them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from dealflow.personalize.prospecting.suite.cases import ATTACK
from dealflow.personalize.prospecting.suite.server import LocalSite
from dealflow.personalize.prospecting.suite.sites import company_site
from dealflow.settings import get_settings
from tests.cli.conftest import Cli, one_line_error


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalSite]:
    with LocalSite(company_site(f"<p>{ATTACK}</p>")) as served:
        monkeypatch.setenv("DEALFLOW_RESEARCH_ALLOWED_TARGETS", json.dumps([served.target]))
        monkeypatch.setenv("DEALFLOW_RESEARCH_DELAY_SECONDS", "0")
        get_settings.cache_clear()
        yield served
    get_settings.cache_clear()


@pytest.fixture
def northwind(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "companies.csv").write_text("name,domain\nNorthwind Robotics,northwind.test\n")
    (tmp_path / "contacts.csv").write_text(
        "email,first_name,company\nana@northwind.test,Ana,Northwind Robotics\n"
    )
    assert cli("import", "companies", "companies.csv").exit_code == 0
    assert cli("import", "contacts", "contacts.csv").exit_code == 0


@pytest.mark.usefixtures("northwind")
def test_prospect_prints_findings_with_their_sources(cli: Cli, site: LocalSite) -> None:
    result = cli(
        "prospect", "Northwind Robotics", "--contact", "ana@northwind.test", "--url", site.url()
    )
    assert result.exit_code == 0, result.output
    assert "read 5 pages" in result.output
    assert "Rotterdam" in result.output
    assert "/about" in result.output
    assert "Set aside (asks to ignore instructions)" in result.output
    assert "ana@northwind.test" in result.output
    assert "drafts show 1" in result.output


@pytest.mark.usefixtures("northwind")
def test_prospect_json_names_each_finding_source_and_quote(cli: Cli, site: LocalSite) -> None:
    result = cli("prospect", "northwind.test", "--url", site.url(), "--json", "--max-pages", "2")
    document = json.loads(result.stdout)
    assert [page["kind"] for page in document["pages"]] == ["home", "about"]
    assert all(finding["source_url"].startswith(site.url()) for finding in document["findings"])
    assert {"kind", "statement", "snippet", "fetched_at"} <= set(document["findings"][0])
    assert "attacker@evil.test" not in json.dumps(document["findings"])
    assert document["set_aside"][0]["reason"] == "asks to ignore instructions"


@pytest.mark.usefixtures("northwind")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuch"], "no company 'nosuch'"),
        (["1", "--contact", "nobody@x.test"], "no contact with email 'nobody@x.test'"),
        (["1", "--url", "http://169.254.169.254/"], "link-local address"),
        (["1", "--url", "http://127.0.0.1:1/"], "a loopback address"),
        (["1", "--llm"], "set DEALFLOW_LLM_BASE_URL"),
    ],
)
def test_prospect_explains_what_it_cannot_do(cli: Cli, args: list[str], message: str) -> None:
    assert message in one_line_error(cli("prospect", *args))


def test_eval_injection_reports_each_site_as_json(cli: Cli) -> None:
    chosen = ["display-none", "redirect-to-metadata", "japanese"]
    result = cli("eval", "injection", "--json", *(f"--case={name}" for name in chosen))
    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert document["sites"] == 3
    assert document["runs"] == 6 == document["passed"]
    assert {row["name"] for row in document["results"]} == set(chosen)
    first = document["results"][0]
    assert {"actions_changed", "recipients_changed", "instructions_changed"} <= set(first)
    assert {"injected_fact", "internal_request", "crm_changed", "passed"} <= set(first)


def test_eval_injection_names_the_sites_when_one_is_unknown(cli: Cli) -> None:
    line = one_line_error(cli("eval", "injection", "--case", "nope"))
    assert "no site named nope; the sites are visible-instruction, display-none" in line
