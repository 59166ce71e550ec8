"""Workflow definitions: invalid documents are refused with the path of each bad field;
editing a workflow versions it and running enrolments stay on their version."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.definitions import load_document, parse_definition
from dealflow.automate.service import save_workflow
from dealflow.core.clock import FrozenClock
from dealflow.core.errors import InvalidFieldsError, InvalidInputError
from dealflow.crm.properties import define_property
from dealflow.models import Activity, Enrolment, Workspace
from tests.automate.conftest import drain, save
from tests.factories import make_contact

TASK = {"action": {"type": "create_task", "subject": "Call"}}


def document(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Follow up",
        "object": "contacts",
        "trigger": {"type": "record_created"},
        "steps": [TASK],
        **overrides,
    }


def problems(session: Session, workspace: Workspace, doc: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(InvalidFieldsError) as caught:
        save_workflow(session, workspace.id, doc)
    return caught.value.problems


class TestInvalidDefinitionsNameThePath:
    def test_a_bad_duration_in_a_step(self, session: Session, workspace: Workspace) -> None:
        steps = [TASK, TASK, {"action": {"type": "create_task", "subject": "x", "due_in": "soon"}}]

        assert problems(session, workspace, document(steps=steps)) == [
            ("steps[2].action.due_in", 'expected a duration like "3d" (s, m, h, d or w)')
        ]

    def test_every_problem_is_listed_at_once(self, session: Session, workspace: Workspace) -> None:
        doc = document(
            trigger={"type": "property_changed", "property": "favourite_colour"},
            enrol_when={"all": [{"property": "country", "op": "gt", "value": 3}]},
            steps=[{"action": {"type": "launch_rocket"}}, {"action": {"type": "stop", "why": 1}}],
        )

        found = problems(session, workspace, doc)

        assert found[:2] == [
            ("trigger.property", "contacts have no property 'favourite_colour'"),
            ("enrol_when.all[0].op", "gt needs a number or date property; country is text"),
        ]
        assert found[2][0] == "steps[0].action.type"
        assert found[2][1].startswith("expected one of: set_property, create_task")
        assert found[3:] == [("steps[1].action.why", "unknown field")]

    def test_missing_and_unknown_top_level_fields(
        self, session: Session, workspace: Workspace
    ) -> None:
        doc = {"name": "x", "object": "planets", "trigger": {"type": "record_created"}, "stepz": []}

        found = dict(problems(session, workspace, doc))

        assert set(found) == {"object", "steps", "stepz"}
        assert found["steps"] == "required"
        assert found["stepz"] == "unknown field"

    def test_nested_branch_steps_and_filters_are_checked_with_their_path(
        self, session: Session, workspace: Workspace
    ) -> None:
        branch = {
            "action": {
                "type": "branch",
                "if": {"any": [{"property": "company.size", "op": "is_known"}]},
                "then": [TASK, {"action": {"type": "delay", "for": "3 days"}}],
            }
        }

        assert problems(session, workspace, document(steps=[TASK, branch])) == [
            ("steps[1].action.if.any[0].property", "companies have no property 'size'"),
            (
                "steps[1].action.then[1].action.for",
                'expected a duration like "3d" (s, m, h, d or w)',
            ),
        ]

    def test_values_are_checked_against_options_and_custom_properties(
        self, session: Session, workspace: Workspace
    ) -> None:
        define_property(
            session, workspace.id, "contacts", "tier", "enum", options=["gold", "silver"]
        )
        doc = document(
            enrol_when={
                "all": [
                    {"property": "tier", "op": "eq", "value": "platinum"},
                    {"property": "lifecycle_stage", "op": "in", "value": ["lead", "sqlx"]},
                ]
            }
        )

        assert problems(session, workspace, doc) == [
            ("enrol_when.all[0].value", "'platinum' is not an option of tier: gold, silver"),
        ]

    def test_triggers_that_need_another_object_type_are_refused(
        self, session: Session, workspace: Workspace
    ) -> None:
        doc = document(trigger={"type": "deal_stage_entered", "stage": "Closed won"})

        assert problems(session, workspace, doc) == [
            ("trigger.type", "deal_stage_entered triggers work on deals only")
        ]

    def test_an_unknown_stage_lists_the_known_ones(
        self, session: Session, workspace: Workspace
    ) -> None:
        doc = document(object="deals", trigger={"type": "deal_stage_entered", "stage": "Won-ish"})

        [(path, message)] = problems(session, workspace, doc)

        assert path == "trigger.stage"
        assert message.startswith("no stage is called 'Won-ish'; stages: ")
        assert "Closed won" in message

    def test_text_that_is_not_a_mapping_is_refused_with_the_file_named(self) -> None:
        with pytest.raises(InvalidInputError, match=r"^flow.yml: expected a mapping"):
            load_document("- just\n- a list\n", "flow.yml")
        with pytest.raises(InvalidInputError, match=r"^flow.yml: not valid YAML or JSON"):
            load_document("name: [unclosed", "flow.yml")

    def test_a_yaml_document_parses_like_its_json_twin(self) -> None:
        text = """
name: Follow up
object: contacts
trigger: {type: record_created}
steps:
  - action: {type: create_task, subject: Call, due_in: 3d}
"""
        assert (
            parse_definition(load_document(text)).document
            == parse_definition(
                document(
                    steps=[{"action": {"type": "create_task", "subject": "Call", "due_in": "3d"}}]
                )
            ).document
        )


class TestVersions:
    def test_saving_the_same_document_again_changes_nothing(
        self, session: Session, workspace: Workspace
    ) -> None:
        first = save_workflow(session, workspace.id, document())
        again = save_workflow(session, workspace.id, document())

        assert (first.changed, again.changed) == (True, False)
        assert again.workflow.current_version == 1

    def test_editing_a_live_workflow_keeps_running_enrolments_on_their_version(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        two_steps = document(
            steps=[
                {"action": {"type": "delay", "for": "1d"}},
                {"action": {"type": "create_task", "subject": "Old"}},
            ]
        )
        workflow = save(session, workspace, two_steps)
        early = make_contact(session, workspace)
        drain(session)

        edited = document(steps=[{"action": {"type": "create_task", "subject": "New"}}])
        assert save_workflow(session, workspace.id, edited).workflow.current_version == 2
        late = make_contact(session, workspace)
        frozen_clock.advance(timedelta(days=1))
        drain(session)

        subjects = dict(
            session.execute(
                select(Activity.contact_id, Activity.subject).where(Activity.kind == "task")
            ).all()
        )
        assert subjects == {early.id: "Old", late.id: "New"}
        versions = dict(
            session.execute(
                select(Enrolment.record_id, Enrolment.version).where(
                    Enrolment.workflow_id == workflow.id
                )
            ).all()
        )
        assert versions == {early.id: 1, late.id: 2}

    def test_a_workflow_keeps_its_object_type(self, session: Session, workspace: Workspace) -> None:
        save_workflow(session, workspace.id, document())

        with pytest.raises(
            InvalidInputError, match="enrols contacts; give the new one another name"
        ):
            save_workflow(session, workspace.id, document(object="companies"))


def test_the_example_workflow_saves(session: Session, workspace: Workspace) -> None:
    example = Path(__file__).parents[2] / "examples" / "workflows" / "follow-up-new-leads.yml"

    saved = save_workflow(session, workspace.id, load_document(example.read_text("utf-8")))

    assert [step.label for step in saved.definition.walk()] == [
        "step 1",
        "step 2",
        "step 2 > then 1",
        "step 2 > else 1",
        "step 3",
        "step 4",
    ]
