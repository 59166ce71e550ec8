"""The generator interface: a context, a message template and tone rules in, a draft out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from dealflow.personalize.context import Context
from dealflow.personalize.tone import ToneRules


@dataclass(frozen=True)
class MessageTemplate:
    """A segment's subject and body in one language, merge fields already checked."""

    subject: str | None
    body: str | None


@dataclass(frozen=True)
class DraftRequest:
    context: Context
    tone: ToneRules
    template: MessageTemplate | None = None


@dataclass(frozen=True)
class GeneratedDraft:
    """What a generator wrote, in which language, and what it cost."""

    subject: str
    body: str
    language: str
    generator: str
    model: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0


class Generator(Protocol):
    """Writes one draft from a request (raises DealflowError when it cannot)."""

    @property
    def name(self) -> str: ...

    def generate(self, request: DraftRequest) -> GeneratedDraft: ...
