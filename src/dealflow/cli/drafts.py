"""``dealflow draft CONTACT`` and ``dealflow drafts ...``: draft emails from the CRM record,
and review the queue (approve, edit then approve, reject with a reason, report)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.cli.app import WorkspaceOption, app, console, unit_of_work, workspace, workspace_slug
from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.crm.access import ADMIN, Principal, principal_for
from dealflow.crm.users import find_user
from dealflow.models import Contact, Draft, User
from dealflow.personalize.context import Fact
from dealflow.personalize.drafting import Checked, Drafter
from dealflow.personalize.review import (
    STATUSES,
    do_approve,
    do_edit_and_approve,
    do_reject,
    get_draft,
    list_drafts,
    review_report,
    unsupported_of,
)
from dealflow.personalize.segments import get_segment

drafts_app = typer.Typer(
    help="The review queue of drafted emails: list, show, approve, edit, reject, report.",
    no_args_is_help=True,
)
app.add_typer(drafts_app, name="drafts")

AsOption = typer.Option(
    None,
    "--as",
    help="Reviewer's email (default: the workspace's first admin).",
    show_default=False,
)
DraftArgument = typer.Argument(..., help="Draft id.", show_default=False)


@app.command()
def draft(
    contact: str = typer.Argument(..., help="Contact id or email.", show_default=False),
    generator: str = typer.Option("offline", "--generator", "-g", help="offline or llm."),
    segment: str | None = typer.Option(None, "--segment", help="Use this segment's template."),
    deal: int | None = typer.Option(None, "--deal", help="Deal id (default: the latest)."),
    queue: bool = typer.Option(False, "--queue", help="Also put it in the review queue."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Draft an email for a contact: the draft, the facts it may state (with their
    sources) and the tone and grounding report."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        contact_id = _contact_id(session, space.id, contact)
        chosen = get_segment(session, space.id, segment) if segment else None
        drafter = Drafter(session, space.id, generator)
        checked = drafter.compose(contact_id, chosen, deal)
        queued = drafter.queue(contact_id, chosen, deal, source="cli") if queue else None
        if as_json:
            print(json.dumps(_checked_json(checked, queued), ensure_ascii=False, indent=2))
            return
        _print_checked(checked)
        if queued is not None:
            console.print(f"\nQueued as draft #{queued.id} for review.")


def _contact_id(session: Session, workspace_id: int, ref: str) -> int:
    column = Contact.id if ref.isdigit() else Contact.email
    value: int | str = int(ref) if ref.isdigit() else ref
    found = session.scalar(
        select(Contact.id).where(Contact.workspace_id == workspace_id, column == value)
    )
    if found is None:
        raise NotFoundError(f"no contact {ref!r} in this workspace")
    return found


def _print_checked(checked: Checked) -> None:
    generated = checked.draft
    console.rule(f"Draft ({generated.generator}, {generated.language})")
    console.print(f"Subject: {generated.subject}\n", markup=False, highlight=False)
    console.print(generated.body, markup=False, highlight=False)
    console.rule("Facts (the only things it may state)")
    _print_facts(checked.context.facts)
    _print_report(
        [v.as_dict() for v in checked.tone], [c.as_dict() for c in checked.grounding.claims]
    )
    if generated.prompt_tokens or generated.completion_tokens:
        console.print(
            f"Tokens: {generated.prompt_tokens} prompt + {generated.completion_tokens} "
            f"completion; cost {generated.cost:.6f}"
        )


def _print_facts(facts: list[Fact]) -> None:
    table = Table("fact", "value", "source", box=None)
    for fact in facts:
        value = f"{fact.value} ({fact.detail})" if fact.detail else fact.value
        table.add_row(fact.key, value, fact.source())
    console.print(table)


def _print_report(tone: list[dict[str, str]], claims: list[dict[str, object]]) -> None:
    console.rule("Checks")
    if tone:
        for violation in tone:
            console.print(f"tone: {violation['rule']}: {violation['message']}", markup=False)
    else:
        console.print("tone: follows the guidelines")
    unsupported = [c for c in claims if not c["supported"]]
    console.print(
        f"grounding: {len(claims) - len(unsupported)} of {len(claims)} statements traced to facts"
    )
    for claim in unsupported:
        console.print(
            f"  UNSUPPORTED {claim['kind']} {claim['text']!r} in: {claim['sentence']}",
            markup=False,
            highlight=False,
        )
    if unsupported:
        console.print("It cannot be approved as it is: edit it first.")


def _checked_json(checked: Checked, queued: Draft | None) -> dict[str, object]:
    generated = checked.draft
    return {
        "draft_id": queued.id if queued else None,
        "generator": generated.generator,
        "model": generated.model,
        "language": generated.language,
        "subject": generated.subject,
        "body": generated.body,
        "facts": [{**f.as_dict(), "source": f.source()} for f in checked.context.facts],
        "tone": [v.as_dict() for v in checked.tone],
        "grounding": [c.as_dict() for c in checked.grounding.claims],
        "passes": checked.passes,
        "prompt_tokens": generated.prompt_tokens,
        "completion_tokens": generated.completion_tokens,
        "cost": generated.cost,
    }


def reviewer(session: Session, workspace_id: int, email: str | None) -> Principal:
    """The person acting: ``--as EMAIL``, else the workspace's first admin."""
    if email:
        user = find_user(session, workspace_id, email)
        if user is None:
            raise NotFoundError(f"no user with email {email} in this workspace")
    else:
        user = session.scalars(
            select(User)
            .where(User.workspace_id == workspace_id, User.role == ADMIN, User.is_active)
            .order_by(User.id)
        ).first()
        if user is None:
            raise InvalidInputError("this workspace has no admin: say who reviews with --as EMAIL")
    return principal_for(user)


@drafts_app.command("list")
def list_command(
    status: str = typer.Option("pending", "--status", help=f"{', '.join(STATUSES)} or all."),
    limit: int = typer.Option(50, min=1, max=500),
    by: str | None = AsOption,
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """The drafts waiting for review (or of another status), newest first."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        principal = reviewer(session, space.id, by)
        rows = list_drafts(session, principal, None if status == "all" else status, limit=limit)
        table = Table("id", "contact", "language", "generator", "status", "checks", "subject")
        for row in rows:
            flagged = len(unsupported_of(row)) + len(row.tone_report)
            table.add_row(
                str(row.id),
                str(row.contact_id),
                row.language,
                row.generator,
                row.status + (" (edited)" if row.edited else ""),
                "pass" if not flagged else f"{flagged} flagged",
                row.subject,
            )
        console.print(table)


@drafts_app.command("show")
def show(
    draft_id: int = DraftArgument,
    by: str | None = AsOption,
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """A draft with its facts, checks and review."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        row = get_draft(session, reviewer(session, space.id, by), draft_id)
        console.rule(f"Draft #{row.id} for contact #{row.contact_id}: {row.status}")
        console.print(f"Subject: {row.subject}\n", markup=False, highlight=False)
        console.print(row.body, markup=False, highlight=False)
        console.rule("Facts")
        _print_facts([Fact.from_dict(item) for item in row.facts])
        _print_report(row.tone_report, row.grounding_report)
        if row.edit_diff:
            console.rule("Edit")
            console.print(row.edit_diff, markup=False, highlight=False)
        if row.reject_reason:
            console.print(f"Rejected: {row.reject_reason}", markup=False, highlight=False)


@drafts_app.command("approve")
def approve(
    draft_id: int = DraftArgument,
    by: str | None = AsOption,
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Approve a draft as written (refused while it has unsupported statements)."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        row = do_approve(session, reviewer(session, space.id, by), draft_id)
        console.print(f"Draft #{row.id} approved; it waits for sending.")


@drafts_app.command("edit")
def edit(
    draft_id: int = DraftArgument,
    subject: str | None = typer.Option(None, "--subject", help="New subject (default: kept)."),
    body_file: Path | None = typer.Option(None, "--body-file", help="File with the edited body."),
    body_text: str | None = typer.Option(None, "--body", help="The edited body itself."),
    by: str | None = AsOption,
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Edit a draft, then approve it (the diff is kept as feedback)."""
    body = edited_body(body_text, body_file)
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        principal = reviewer(session, space.id, by)
        current = get_draft(session, principal, draft_id)
        row = do_edit_and_approve(
            session, principal, draft_id, subject if subject is not None else current.subject, body
        )
        flagged = len(unsupported_of(row))
        note = f" ({flagged} statement(s) still untraced; you vouched for them)" if flagged else ""
        console.print(f"Draft #{row.id} edited and approved{note}.")


def edited_body(text: str | None, path: Path | None) -> str:
    """The edited body from exactly one of ``--body`` and ``--body-file`` (not blank)."""
    if (text is None) == (path is None):
        raise InvalidInputError(
            "drafts edit: give the new body with exactly one of --body TEXT or --body-file FILE"
        )
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise InvalidInputError(f"{path}: {error.strerror}") from None
    if text is None or not text.strip():
        raise InvalidInputError(f"drafts edit: the new body is empty ({path or '--body'})")
    return text


@drafts_app.command("reject")
def reject(
    draft_id: int = DraftArgument,
    reason: str = typer.Option(..., "--reason", help="Why (kept as feedback)."),
    by: str | None = AsOption,
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Reject a draft with a reason."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        row = do_reject(session, reviewer(session, space.id, by), draft_id, reason)
        console.print(f"Draft #{row.id} rejected.")


@drafts_app.command("report")
def report(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    by: str | None = AsOption,
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Acceptance, edit and reject rates per generator, template (segment) and rep."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        groups = review_report(session, reviewer(session, space.id, by))
        data = {g: {k: r.as_dict() for k, r in rows.items()} for g, rows in groups.items()}
        if as_json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for group, rows in data.items():
            table = Table(
                group, "drafts", "pending", "accepted", "edited", "rejected", title=f"By {group}"
            )
            for key, rates in sorted(rows.items()):
                table.add_row(
                    key,
                    str(rates["drafts"]),
                    str(rates["pending"]),
                    _share(rates["accepted_as_is"]),
                    _share(rates["edited_then_approved"]),
                    _share(rates["rejected"]),
                )
            console.print(table)


def _share(value: object) -> str:
    return "—" if value is None else f"{float(str(value)):.0%}"
