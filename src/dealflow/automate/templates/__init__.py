"""Ready workflows for common sales patterns, one YAML document each, installed in one
command (``dealflow workflows template use NAME --enable``)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from dealflow.automate.definitions import load_document
from dealflow.core.errors import NotFoundError

SUFFIX = ".yml"


@dataclass(frozen=True)
class Template:
    key: str
    document: dict[str, Any]

    @property
    def description(self) -> str:
        return str(self.document.get("description") or self.document["name"])


def templates() -> list[Template]:
    """Every bundled template, by key (its file name)."""
    folder = resources.files(__package__)
    return [
        Template(
            entry.name.removesuffix(SUFFIX), load_document(entry.read_text("utf-8"), entry.name)
        )
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(SUFFIX)
    ]


def template(key: str) -> Template:
    """The template called ``key``; NotFoundError lists the others."""
    found = {item.key: item for item in templates()}
    if key not in found:
        raise NotFoundError(f"no template {key!r}; templates: {', '.join(found)}")
    return found[key]
