"""Generators by name: ``offline`` (built in) and ``llm`` (from the DEALFLOW_LLM_* settings)."""

from __future__ import annotations

from dealflow.core.errors import InvalidInputError
from dealflow.personalize.generators.base import Generator
from dealflow.personalize.generators.offline import OfflineComposer

GENERATORS = ("offline", "llm")


def generator_named(name: str) -> Generator:
    """The generator called ``name``; InvalidInputError for another name."""
    if name == "offline":
        return OfflineComposer()
    if name == "llm":
        from dealflow.personalize.generators.llm import ChatCompletionsGenerator

        return ChatCompletionsGenerator.from_settings()
    raise InvalidInputError(f"generator: expected one of {', '.join(GENERATORS)}, not {name!r}")
