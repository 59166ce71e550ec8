"""``dealflow eval grounding``: the grounding check on a generated, labelled set of drafts
with planted unsupported claims, in English, Japanese, Korean and Persian."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from dealflow.cli.app import console
from dealflow.cli.eval_group import eval_app
from dealflow.personalize.grounding_eval import evaluate, make_cases


@eval_app.command("grounding")
def eval_grounding(
    cases: int = typer.Option(400, min=8, max=20_000, help="Drafts in the generated set."),
    seed: int = typer.Option(8, help="Random seed of the set."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Precision and recall of the grounding check, sentence by sentence (goal: recall
    >= 0.95 at precision >= 0.9)."""
    result = evaluate(make_cases(cases, seed))
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    table = Table("group", "precision", "recall", "flagged planted", "false flags", "missed")
    for group, score in result.items():
        if not isinstance(score, dict):
            continue
        table.add_row(
            group,
            f"{score['precision']:.3f}",
            f"{score['recall']:.3f}",
            str(score["tp"]),
            str(score["fp"]),
            str(score["fn"]),
        )
    console.print(table)
    console.print(f"{result['cases']} drafts, {result['planted']} with a planted claim.")
    mistakes = result["mistakes"]
    assert isinstance(mistakes, list)
    for mistake in mistakes:
        console.print(
            f"{mistake['outcome']} ({mistake['language']}): {mistake['sentence']}",
            markup=False,
            highlight=False,
        )
