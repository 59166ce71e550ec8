"""``dealflow tone show|set``: the workspace's tone guidelines, checked on every draft."""

from __future__ import annotations

import typer

from dealflow.cli.app import WorkspaceOption, app, console, unit_of_work, workspace, workspace_slug
from dealflow.personalize.tone import (
    FORMALITIES,
    REQUIREMENTS,
    ToneRules,
    save_tone_rules,
    tone_rules,
)

tone_app = typer.Typer(help="Tone guidelines every draft is checked against.", no_args_is_help=True)
app.add_typer(tone_app, name="tone")


def _print(rules: ToneRules) -> None:
    console.print(f"formality: {rules.formality}", markup=False)
    console.print(f"banned phrases: {', '.join(rules.banned_phrases) or 'none'}", markup=False)
    console.print(f"required: {', '.join(rules.required) or 'nothing'}", markup=False)
    console.print(f"max words: {rules.max_words}", markup=False)
    console.print(f"sign-off: {rules.sign_off or '(the language default)'}", markup=False)


@tone_app.command("show")
def show(workspace_option: str | None = WorkspaceOption) -> None:
    """The workspace's tone guidelines (the defaults until set)."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        _print(tone_rules(session, space.id))


@tone_app.command("set")
def set_command(
    formality: str | None = typer.Option(None, help=f"One of: {', '.join(FORMALITIES)}."),
    ban: list[str] | None = typer.Option(None, "--ban", help="A banned phrase (repeat)."),
    require: list[str] | None = typer.Option(
        None, "--require", help=f"A required element (repeat): {', '.join(REQUIREMENTS)}."
    ),
    max_words: int | None = typer.Option(None, "--max-words", help="Longest body in words."),
    sign_off: str | None = typer.Option(None, "--sign-off", help="The closing line to use."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Change the tone guidelines (options not given stay as they are)."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        current = tone_rules(session, space.id)
        rules = ToneRules(
            formality=formality or current.formality,
            banned_phrases=tuple(ban) if ban is not None else current.banned_phrases,
            required=tuple(require) if require is not None else current.required,
            max_words=max_words if max_words is not None else current.max_words,
            sign_off=sign_off if sign_off is not None else current.sign_off,
        )
        _print(save_tone_rules(session, space.id, rules))
