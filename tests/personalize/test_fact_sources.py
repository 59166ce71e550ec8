"""Every process that builds a context (a lone ``dealflow worker`` too) knows every source."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_builder_alone_registers_the_crm_and_research_sources() -> None:
    script = (
        "from dealflow.personalize import builder\n"
        "from dealflow.personalize.context import FACT_SOURCES\n"
        "print(' '.join(FACT_SOURCES))\n"
    )
    names = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()

    assert {"contact", "company", "score", "questions", "research"} <= set(names)
