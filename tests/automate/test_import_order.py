"""Every automate module can be the first one imported: no import cycle depends on order."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import dealflow.automate

SCRIPT = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m.startswith("dealflow.automate")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except ImportError as error:
        failed.append(f"{name}: {error}")
print("\\n".join(failed))
"""


def automate_modules() -> list[str]:
    """Every module and package under ``dealflow.automate``."""
    found = pkgutil.walk_packages(dealflow.automate.__path__, "dealflow.automate.")
    return sorted(module.name for module in found)


def test_each_automate_module_imports_first_in_a_fresh_interpreter() -> None:
    modules = automate_modules()
    assert "dealflow.automate.definitions" in modules
    assert "dealflow.automate.actions" in modules
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *modules],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == ""
