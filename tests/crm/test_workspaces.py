"""Workspaces and their pipelines."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.crm.workspaces import (
    DEFAULT_STAGES,
    create_pipeline,
    default_pipeline,
    ensure_workspace,
    get_workspace,
    stages_of,
)


class TestWorkspaces:
    def test_a_new_workspace_comes_with_the_default_sales_pipeline(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        workspace = ensure_workspace(session, "initech", "Initech")

        pipeline = default_pipeline(session, workspace.id)
        stages = stages_of(session, pipeline.id)
        assert (workspace.name, workspace.created_at) == ("Initech", frozen_clock.now())
        assert (pipeline.name, pipeline.is_default) == ("Sales", True)
        assert [(s.name, s.probability, s.kind) for s in stages] == list(DEFAULT_STAGES)
        assert [s.position for s in stages] == list(range(len(DEFAULT_STAGES)))

    def test_ensuring_an_existing_workspace_returns_it_unchanged(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        first = ensure_workspace(session, "initech", "Initech")

        again = ensure_workspace(session, "initech", "Another name")

        assert again.id == first.id
        assert again.name == "Initech"
        assert get_workspace(session, "initech").id == first.id

    def test_a_missing_workspace_says_how_to_create_it(self, session: Session) -> None:
        with pytest.raises(
            NotFoundError, match=r"'nowhere' does not exist \(create it with `dealflow init`\)"
        ):
            get_workspace(session, "nowhere")


class TestPipelines:
    def test_the_default_pipeline_wins_over_older_ones(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        workspace = ensure_workspace(session, "initech")
        sales = default_pipeline(session, workspace.id)

        create_pipeline(session, workspace.id, "Partners", [("Intro", 0.1, "open")])

        assert default_pipeline(session, workspace.id).id == sales.id

    @pytest.mark.parametrize(
        ("stages", "reason"),
        [
            ([], "needs at least one stage"),
            ([("Maybe", 0.5, "pending")], "'Maybe': kind must be one of"),
            ([("Sure", 1.5, "won")], "'Sure': probability must be within 0..1"),
        ],
    )
    def test_bad_stages_are_refused(
        self,
        session: Session,
        frozen_clock: FrozenClock,
        stages: list[tuple[str, float, str]],
        reason: str,
    ) -> None:
        workspace = ensure_workspace(session, "initech")

        with pytest.raises(InvalidInputError, match=reason):
            create_pipeline(session, workspace.id, "Broken", stages)
