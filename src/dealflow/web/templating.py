"""Rendering pages: one Jinja2 environment, and the helpers every template can use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dealflow.predict.phrases import say
from dealflow.web.deps import Viewer
from dealflow.web.i18n import LANGUAGE_NAMES, Formatter
from dealflow.web.labels import LABELS
from dealflow.web.security import csrf_token, remember_visitor

TEMPLATES_DIR = Path(__file__).parent / "templates"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    viewer: Viewer | None = None,
    formatter: Formatter | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render ``template`` in the viewer's language (or ``formatter``'s, before sign-in)."""
    fmt = viewer.formatter if viewer is not None else formatter or Formatter("en")

    def label(value: str | None) -> str:
        if value is None:
            return ""
        return fmt.gettext(LABELS[value]) if value in LABELS else value

    def reason(object_type: str, stored: dict[str, Any] | str) -> str:
        """A stored score reason in the viewer's language (from its feature and value)."""
        return stored if isinstance(stored, str) else say(object_type, stored, fmt)

    page = environment.get_template(template).render(
        request=request,
        viewer=viewer,
        fmt=fmt,
        _=fmt.gettext,
        label=label,
        reason=reason,
        locale=fmt.locale,
        direction=fmt.direction,
        languages=LANGUAGE_NAMES,
        csrf_token=csrf_token(request),
        path=request.url.path,
        full_path=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
        **(context or {}),
    )
    response = HTMLResponse(page, status_code=status_code, headers=headers)
    remember_visitor(request, response)
    return response


def is_htmx(request: Request) -> bool:
    """Whether HTMX asked for a fragment (and not a whole page after a history restore)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
