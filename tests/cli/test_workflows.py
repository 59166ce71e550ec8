"""``dealflow workflows ...`` end to end on a real database: add from a file, list, show,
enable, enrol, dry-run, trail, retry; a bad file is a one-line error naming the field."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Cli, one_line_error
from tests.fixtures.importing import write_csv

FLOW = """
name: Call new leads
object: contacts
trigger: {type: manual}
enrol_when: {property: lifecycle_stage, op: eq, value: lead}
steps:
  - action: {type: set_property, property: lead_status, value: new}
  - action: {type: create_task, subject: "Call {{ first_name }}", due_in: 2d}
"""


def ok(cli: Cli, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_workflow_from_a_file_through_its_commands(cli: Cli, tmp_path: Path) -> None:
    write_csv(
        tmp_path / "leads.csv",
        ["first_name", "email", "lifecycle_stage"],
        [["Ada", "ada@example.com", "lead"], ["Bo", "bo@example.com", "customer"]],
    )
    ok(cli, "import", "contacts", "leads.csv")
    (tmp_path / "flow.yml").write_text(FLOW, encoding="utf-8")

    assert "Workflow #1 'Call new leads' saved as version 1 (disabled)." in ok(
        cli, "workflows", "add", "flow.yml"
    )
    assert "unchanged as version 1" in ok(cli, "workflows", "add", "flow.yml")
    assert "is enabled" in ok(cli, "workflows", "enable", "Call new leads")
    listing = ok(cli, "workflows", "list")
    assert "contacts" in listing and "enabled" in listing
    shown = ok(cli, "workflows", "show", "1")
    assert "step 2: create_task" in shown

    dry = ok(cli, "workflows", "dry-run", "1", "--record", "1", "--record", "2")
    assert "step 2 (create_task): would create task 'Call Ada'" in dry
    assert "would not enrol: it does not meet enrol_when" in dry

    assert "Record #1 enrolled (enrolment #1)." in ok(
        cli, "workflows", "enrol", "1", "--record", "1"
    )
    assert "Record #2 was not enrolled" in ok(cli, "workflows", "enrol", "1", "--record", "2")
    trail = ok(cli, "workflows", "trail", "--record", "1")
    assert "[Call new leads] enrolled in 'Call new leads' (version 1) by trigger manual" in trail
    assert "step 1 is due at" in trail
    assert "No workflow has touched contacts #2." in ok(cli, "workflows", "trail", "--record", "2")
    assert "Queued 0 dead step(s) again." in ok(cli, "workflows", "retry")
    assert "is disabled" in ok(cli, "workflows", "disable", "1")


def test_a_bad_definition_is_one_line_naming_the_field(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text(
        FLOW.replace("due_in: 2d", "due_in: someday"), encoding="utf-8"
    )

    line = one_line_error(cli("workflows", "add", "bad.yml"))

    assert line == 'error: steps[1].action.due_in: expected a duration like "3d" (s, m, h, d or w)'
    assert one_line_error(cli("workflows", "add", "missing.yml")) == (
        "error: missing.yml: No such file or directory"
    )
    assert one_line_error(cli("workflows", "show", "Nope")).startswith("error: ")


def test_a_template_is_enabled_in_one_command(cli: Cli) -> None:
    assert "inbound-lead-routing" in ok(cli, "workflows", "template", "list")

    out = ok(cli, "workflows", "template", "use", "deal-stage-actions", "--enable")

    assert "Workflow #1 'Proposal stage actions' saved as version 1 (enabled)." in out
