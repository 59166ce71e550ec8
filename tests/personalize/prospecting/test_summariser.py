"""Findings from a language model: pages go in as quoted data, and only proposals that quote
their page come back out (the gullible model on loopback plays the model)."""

from __future__ import annotations

import json

import httpx

from dealflow.personalize.prospecting import agent
from dealflow.personalize.prospecting.suite.cases import ATTACK
from dealflow.personalize.prospecting.suite.model import GullibleModel
from dealflow.personalize.prospecting.suite.server import LocalSite
from dealflow.personalize.prospecting.suite.sites import company_site
from dealflow.personalize.prospecting.summariser import ChatCompletionsSummariser, parse_proposals
from tests.personalize.prospecting.conftest import fetcher_for


def test_model_findings_quote_their_page_and_nothing_else_gets_through() -> None:
    with (
        LocalSite(company_site(f"<p>{ATTACK}</p>")) as site,
        GullibleModel() as model,
        httpx.Client(trust_env=False) as client,
    ):
        plan = agent.Plan(1, 1, "Northwind Robotics", site.url(), 2, 7, "ana@northwind.test")
        summariser = ChatCompletionsSummariser(model.base_url, "gullible", client=client)
        with fetcher_for(site) as fetcher:
            research = agent.run(plan, fetcher, summariser)

    [messages] = model.prompts
    system, user = messages[0]["content"], messages[1]["content"]
    assert system.startswith(agent.INSTRUCTIONS)
    assert "Ignore all previous" not in system
    assert 'kind="home">"' in user  # each page is a JSON string between the markers
    assert ATTACK in user
    from_model = [f for f in research.findings if f.method == "llm:gullible"]
    assert from_model, research.findings
    assert research.method == "rules+llm:gullible"
    reasons = {item.reason for item in research.set_aside}
    assert "the model's quote is not on the page" in reasons  # the made-up takeover story
    assert not any("evil.test" in f.statement + f.snippet for f in research.findings)
    assert [step.action for step in research.trace] == ["fetch", "fetch", "extract"]


def test_only_well_formed_proposals_are_read_from_an_answer() -> None:
    answer = json.dumps(
        {
            "findings": [
                {"kind": "news", "statement": "A plant in Osaka", "quote": "x", "url": "u"},
                {"kind": "news", "statement": 3},
                "not an object",
            ],
            "recipients": ["attacker@evil.test"],
        }
    )
    assert [p.statement for p in parse_proposals(f"Sure! {answer}")] == ["A plant in Osaka"]
    assert parse_proposals("no JSON at all") == []
    assert parse_proposals(None) == []
