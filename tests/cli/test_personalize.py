"""The personalize commands as a user runs them: segments from a file, a draft with its
facts and checks, the review queue from list to report, the tone guidelines, and the
grounding evaluation."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session

from dealflow import db
from dealflow.crm import service
from dealflow.crm.workspaces import ensure_workspace
from tests.cli.conftest import Cli, one_line_error

SEGMENT = """
name: Japanese leads
filter:
  all:
    - {property: language, op: eq, value: ja}
    - {property: lifecycle_stage, op: in, value: [lead, mql]}
templates:
  ja:
    subject: "{{ company.name }}様へのご案内"
"""


def _seed(database_url: str) -> dict[str, int]:
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    with db.unit_of_work(engine) as session:
        ids = _records(session)
    engine.dispose()
    return ids


def _records(session: Session) -> dict[str, int]:
    space = ensure_workspace(session, "default")
    admin = service.create_record(
        session, space.id, "users", {"name": "Aiko Admin", "email": "a@x.test", "role": "admin"}
    )
    company = service.create_record(session, space.id, "companies", {"name": "株式会社湘南食品"})
    contact = service.create_record(
        session,
        space.id,
        "contacts",
        {
            "first_name": "隆",
            "last_name": "藤井",
            "email": "fujii@example.jp",
            "language": "ja",
            "company_id": company.id,
            "owner_id": admin.id,
        },
    )
    service.create_record(
        session, space.id, "tickets", {"subject": "設置期間について", "contact_id": contact.id}
    )
    return {"contact": contact.id}


def test_segments_drafts_and_the_review_queue(cli: Cli, database_url: str, tmp_path: Path) -> None:
    ids = _seed(database_url)
    (tmp_path / "segment.yml").write_text(SEGMENT, encoding="utf-8")
    added = cli("segments", "add", "segment.yml")
    assert added.exit_code == 0, added.output
    assert "1 contacts now" in added.output
    assert "fujii@example.jp" in cli("segments", "members", "Japanese leads").output

    shown = cli("draft", "fujii@example.jp", "--segment", "Japanese leads", "--queue")
    assert shown.exit_code == 0, shown.output
    assert "Subject: 株式会社湘南食品様へのご案内" in shown.output
    assert "「設置期間について」" in shown.output
    assert "tickets #" in shown.output and f"contacts #{ids['contact']} last_name" in shown.output
    assert "tone: follows the guidelines" in shown.output
    assert "Queued as draft #1" in shown.output

    listed = cli("drafts", "list")
    assert "pending" in listed.output and "pass" in listed.output
    (tmp_path / "edited.txt").write_text(
        "藤井 隆 様\n\nご検討のほど、よろしくお願い申し上げます。", "utf-8"
    )
    assert cli("drafts", "edit", "1", "--body-file", "edited.txt").exit_code == 0
    assert "edited" in cli("drafts", "show", "1").output
    assert "already approved" in one_line_error(cli("drafts", "approve", "1"))
    report = json.loads(cli("drafts", "report", "--json").output)
    assert report["generator"]["offline"]["edited_then_approved"] == 1.0
    assert report["template"]["Japanese leads"]["drafts"] == 1


def test_wrong_input_gets_one_line_errors(cli: Cli, database_url: str, tmp_path: Path) -> None:
    _seed(database_url)
    (tmp_path / "bad.yml").write_text(
        "name: Bad\nfilter: {property: language, op: eq, value: en}\n"
        "templates:\n  en: {body: 'Hi {{ nick }}'}\n",
        encoding="utf-8",
    )
    assert "unknown merge field {{ nick }}" in one_line_error(cli("segments", "add", "bad.yml"))
    assert "no contact 'nobody@x.test'" in one_line_error(cli("draft", "nobody@x.test"))
    assert "DEALFLOW_LLM_BASE_URL" in one_line_error(cli("draft", "fujii@example.jp", "-g", "llm"))
    assert "expected one of" in one_line_error(cli("tone", "set", "--formality", "rude"))
    assert "draft #9 not found" in one_line_error(cli("drafts", "approve", "9"))


def test_tone_guidelines_are_set_and_shown(cli: Cli, database_url: str) -> None:
    _seed(database_url)
    changed = cli("tone", "set", "--ban", "synergy", "--sign-off", "敬具", "--max-words", "120")
    assert changed.exit_code == 0, changed.output
    shown = cli("tone", "show").output
    assert "banned phrases: synergy" in shown and "sign-off: 敬具" in shown
    assert "敬具" in cli("draft", "fujii@example.jp").output


def test_the_grounding_evaluation_reports_precision_and_recall(cli: Cli) -> None:
    result = cli("eval", "grounding", "--cases", "80", "--json")
    assert result.exit_code == 0, result.output
    overall = json.loads(result.output)["all"]
    assert overall["recall"] >= 0.95 and overall["precision"] >= 0.9


def test_a_draft_is_edited_with_body_text(cli: Cli, database_url: str, tmp_path: Path) -> None:
    _seed(database_url)
    assert cli("draft", "fujii@example.jp", "--queue").exit_code == 0
    (tmp_path / "edited.txt").write_text("藤井 隆 様\n\nよろしくお願い申し上げます。", "utf-8")
    both = cli("drafts", "edit", "1", "--body", "x", "--body-file", "edited.txt")
    assert "exactly one of --body TEXT or --body-file FILE" in one_line_error(both)
    assert "exactly one of" in one_line_error(cli("drafts", "edit", "1"))
    assert "the new body is empty" in one_line_error(cli("drafts", "edit", "1", "--body", " "))
    assert "pending" in cli("drafts", "list").output
    edited = cli(
        "drafts", "edit", "1", "--body", "藤井 隆 様\n\nご検討のほど、お願い申し上げます。"
    )
    assert edited.exit_code == 0, edited.output
    assert "edited and approved" in edited.output
    assert "ご検討のほど、お願い申し上げます。" in cli("drafts", "show", "1").output
