"""``dealflow inquiries ...``: a workspace's inquiry labels, labelled inquiries and
corrections, training the classifier, and classifying a ticket, contact or text."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from dealflow.automate.classify import service
from dealflow.automate.classify.embedder import default_embedder
from dealflow.automate.classify.evaluation import read_labelled
from dealflow.cli.app import WorkspaceOption, app, console, unit_of_work, workspace, workspace_slug
from dealflow.core.errors import InvalidInputError

inquiries_app = typer.Typer(
    help="Inquiry classification: labels, labelled examples, training, corrections.",
    no_args_is_help=True,
)
app.add_typer(inquiries_app, name="inquiries")

TicketOption = typer.Option(None, "--ticket", help="A ticket id.")
ContactOption = typer.Option(None, "--contact", help="A contact id (their latest form message).")


@inquiries_app.command("labels")
def labels(workspace_option: str | None = WorkspaceOption) -> None:
    """The workspace's labels (the defaults until it defines its own)."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=True)
        table = Table("label", "sales", "description")
        for label in service.ensure_labels(session, space.id):
            table.add_row(label.name, "yes" if label.is_sales else "", label.description)
        console.print(table)


@inquiries_app.command("label")
def label(
    name: str = typer.Argument(..., help="The label's name.", show_default=False),
    description: str = typer.Option(..., "--description", help="What it means, in words."),
    sales: bool = typer.Option(False, "--sales", help="It is a sales opportunity."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Add a label or change its description."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=True)
        service.define_label(session, space.id, name, description, is_sales=sales)
        console.print(f"Label {name!r} saved.")


@inquiries_app.command("learn")
def learn(
    csv: Path = typer.Argument(..., help="A CSV of labelled inquiries.", show_default=False),
    text_col: str = typer.Option(..., "--text-col", help="The column holding the text."),
    label_col: str = typer.Option(..., "--label-col", help="The column holding the label."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Keep labelled inquiries from a CSV (learned from at the next `train`)."""
    texts, given = read_labelled(csv, text_col, label_col)
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=True)
        for text, name in zip(texts, given, strict=True):
            service.add_labelled(session, space.id, text, name)
        console.print(f"Kept {len(texts):,} labelled inquiries.")


@inquiries_app.command("train")
def train(workspace_option: str | None = WorkspaceOption) -> None:
    """Train a new classifier version from every labelled inquiry and correction."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        model = service.train(session, space.id, default_embedder())
        counts = ", ".join(f"{name} {n}" for name, n in sorted(model.labels.items()))
        console.print(f"Inquiry classifier v{model.version} trained on {counts}.")


@inquiries_app.command("classify")
def classify(
    ticket: int | None = TicketOption,
    contact: int | None = ContactOption,
    text: str | None = typer.Option(None, "--text", help="A text (nothing is kept)."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Classify a ticket's or contact's inquiry (kept with the record), or a text."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        if text is not None:
            verdict = service.classify_text(session, space.id, text, default_embedder())
            label, confidence, version = verdict.label, verdict.confidence, verdict.model_version
        else:
            object_type, record_id = _record(ticket, contact)
            row = service.classify_record(
                session, space.id, object_type, record_id, default_embedder()
            )
            if row is None:
                raise InvalidInputError(f"{object_type} #{record_id} has no inquiry text")
            label, confidence, version = row.label, row.confidence, row.model_version
        how = "zero-shot" if version is None else f"model v{version}"
        console.print(f"{label} (confidence {confidence:.2f}, {how})")


@inquiries_app.command("correct")
def correct(
    label_name: str = typer.Argument(..., metavar="LABEL", help="The right label."),
    ticket: int | None = TicketOption,
    contact: int | None = ContactOption,
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Give a record's inquiry its right label (kept, and learned at the next `train`)."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        object_type, record_id = _record(ticket, contact)
        service.correct(session, space.id, object_type, record_id, label_name)
        console.print(f"{object_type} #{record_id} is {label_name!r}; kept for the next training.")


def _record(ticket: int | None, contact: int | None) -> tuple[str, int]:
    if ticket is not None and contact is None:
        return "tickets", ticket
    if contact is not None and ticket is None:
        return "contacts", contact
    raise InvalidInputError("give one of --ticket ID or --contact ID")
