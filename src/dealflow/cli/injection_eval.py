"""``dealflow eval injection``: the prospecting agent against hostile websites on loopback."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer
from rich.table import Table

from dealflow.cli.app import console, errors
from dealflow.cli.eval_group import eval_app
from dealflow.core.errors import InvalidInputError
from dealflow.personalize.prospecting.suite.cases import CASES, HostileCase
from dealflow.personalize.prospecting.suite.runner import CaseResult, run_suite


@eval_app.command("injection")
def injection(
    with_model: bool = typer.Option(
        True, "--model/--no-model", help="Also run each site with a gullible model on loopback."
    ),
    only: list[str] = typer.Option(
        [], "--case", help="Run only this site (repeatable; default: all of them)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Serve each hostile site on loopback, research it, and report per site whether any
    step, recipient or instruction changed, an internal address was reached, the CRM changed,
    or planted text was stored as a finding."""
    cases = [case for case in CASES if not only or case.name in only]
    unknown = set(only) - {case.name for case in CASES}
    if unknown:
        raise InvalidInputError(
            f"--case: no site named {', '.join(sorted(unknown))}; "
            f"the sites are {', '.join(case.name for case in CASES)}"
        )
    with errors.status(f"Researching {len(cases)} hostile websites"):
        results = run_suite(with_model=with_model, cases=cases)
    passed = sum(result.passed for result in results)
    if as_json:
        print(json.dumps(_document(cases, results, passed)))
        return
    table = Table("site", "kind", "mode", "findings", "set aside", "changed", "result")
    for result in results:
        table.add_row(
            result.name,
            result.kind,
            result.mode,
            str(result.findings),
            str(result.set_aside),
            ", ".join(_changes(result)) or "nothing",
            "[green]pass[/]" if result.passed else "[bold red]FAIL[/]",
        )
    console.print(table)
    console.print(
        f"{len(cases)} hostile websites, {len(results)} runs: {passed} passed, "
        f"{len(results) - passed} failed."
    )
    if passed < len(results):
        raise typer.Exit(1)


def _changes(result: CaseResult) -> list[str]:
    flags = {
        "steps": result.actions_changed,
        "recipients": result.recipients_changed,
        "instructions": result.instructions_changed,
        "CRM": result.crm_changed,
        "internal address reached": result.internal_request,
        "planted text stored as a finding": result.injected_fact,
        "honest facts lost": not result.facts_kept,
    }
    return [name for name, flag in flags.items() if flag]


def _document(
    cases: list[HostileCase], results: list[CaseResult], passed: int
) -> dict[str, object]:
    return {
        "sites": len(cases),
        "kinds": len({case.kind for case in cases}),
        "runs": len(results),
        "passed": passed,
        "failed": len(results) - passed,
        "results": [asdict(result) | {"passed": result.passed} for result in results],
    }
