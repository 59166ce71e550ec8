"""``dealflow rules``: a workspace's point rules from a file, shown and reset."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Cli

CORPORATE = {
    "feature": "email_domain_kind",
    "op": "eq",
    "value": "corporate",
    "points": 40,
    "label": "Writes from a company address",
}


def test_the_rules_commands_set_show_and_reset(cli: Cli, tmp_path: Path) -> None:
    assert cli("init").exit_code == 0
    good, bad = tmp_path / "rules.json", tmp_path / "bad.yml"
    good.write_text(json.dumps({"rules": [CORPORATE]}), encoding="utf-8")
    bad.write_text("rules:\n  - {feature: stage, op: gte, value: 2, points: 5}\n", "utf-8")

    refused = cli("rules", "set", "deals", str(bad))
    saved = cli("rules", "set", "leads", str(good))
    shown = cli("rules", "show", "leads", "--json")
    reset = cli("rules", "reset", "leads")

    assert refused.exit_code == 1
    assert "bad.yml: rules[1].label: missing" in refused.output
    assert saved.exit_code == 0, saved.output
    assert json.loads(shown.output) == {"rules": [CORPORATE]}
    assert "Back to the default leads rules" in reset.output
    assert "the defaults" in cli("rules", "show", "leads").output
