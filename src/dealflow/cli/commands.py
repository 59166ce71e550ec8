"""Registers every command module with the app."""

from dealflow.cli import (  # noqa: F401
    classify_eval,
    database,
    dedupe_eval,
    demo,
    drafts,
    eval_group,
    evaluation,
    forecast,
    grounding_eval,
    injection_eval,
    inquiries,
    predict,
    prospect,
    quality,
    records,
    rules,
    segments,
    serve,
    tone,
    users,
    workflows,
)
from dealflow.personalize import actions  # noqa: F401  (registers draft_email)
