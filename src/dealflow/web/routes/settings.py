"""Settings: users, teams, API tokens, pipelines and custom properties."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dealflow.core.errors import InvalidInputError
from dealflow.crm import audit, tokens, users
from dealflow.crm.access import ensure_admin
from dealflow.crm.objects import OBJECTS, PROPERTY_VALUE_TYPES, USER_ROLES
from dealflow.crm.properties import define_property, definitions
from dealflow.crm.workspaces import list_pipelines, stages_of
from dealflow.web.deps import CurrentViewer, DbSession
from dealflow.web.security import verify_csrf
from dealflow.web.templating import render

router = APIRouter(prefix="/settings", dependencies=[Depends(verify_csrf)])

CUSTOMISABLE = [spec.name for spec in OBJECTS.values() if spec.has_custom_properties]


@router.get("")
def settings_home(viewer: CurrentViewer) -> Response:
    target = "/settings/users" if viewer.principal.is_admin else "/settings/tokens"
    return RedirectResponse(target, status_code=303)


@router.get("/users")
def user_list(request: Request, session: DbSession, viewer: CurrentViewer) -> Response:
    ensure_admin(viewer.principal, "manage users")
    workspace_id = viewer.principal.workspace_id
    context = {
        "users": users.list_users(session, workspace_id),
        "teams": users.list_teams(session, workspace_id),
        "roles": USER_ROLES,
    }
    return render(request, "settings/users.html", context, viewer=viewer)


@router.post("/users")
def add_user(
    session: DbSession,
    viewer: CurrentViewer,
    email: Annotated[str, Form(max_length=320)],
    name: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=20)],
    password: Annotated[str, Form(max_length=1000)],
    team: Annotated[str, Form()] = "",
) -> Response:
    ensure_admin(viewer.principal, "add users")
    users.add_user(
        session,
        viewer.principal.workspace_id,
        email,
        name=name,
        role=role,
        team_id=int(team) if team.isdigit() else None,
        password=password,
        actor_id=viewer.principal.user_id,
    )
    return RedirectResponse("/settings/users", status_code=303)


@router.post("/users/{user_id}")
def change_user(
    session: DbSession,
    viewer: CurrentViewer,
    user_id: int,
    role: Annotated[str, Form(max_length=20)],
    team: Annotated[str, Form()] = "",
) -> Response:
    users.change_role(
        session,
        viewer.principal,
        user_id,
        role=role,
        team_id=int(team) if team.isdigit() else None,
    )
    return RedirectResponse("/settings/users", status_code=303)


@router.get("/teams")
def team_list(request: Request, session: DbSession, viewer: CurrentViewer) -> Response:
    ensure_admin(viewer.principal, "manage teams")
    context = {"teams": users.list_teams(session, viewer.principal.workspace_id)}
    return render(request, "settings/teams.html", context, viewer=viewer)


@router.post("/teams")
def add_team(
    session: DbSession,
    viewer: CurrentViewer,
    name: Annotated[str, Form(max_length=200)],
    region: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    users.add_team(session, viewer.principal, name, region)
    return RedirectResponse("/settings/teams", status_code=303)


@router.get("/tokens")
def token_list(request: Request, session: DbSession, viewer: CurrentViewer) -> Response:
    context = {"tokens": tokens.list_tokens(session, viewer.principal), "new_token": None}
    return render(request, "settings/tokens.html", context, viewer=viewer)


@router.post("/tokens")
def create_token(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    name: Annotated[str, Form(max_length=200)],
) -> Response:
    made = tokens.create_token(session, viewer.principal, name)
    context = {"tokens": tokens.list_tokens(session, viewer.principal), "new_token": made}
    return render(request, "settings/tokens.html", context, viewer=viewer, status_code=201)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(session: DbSession, viewer: CurrentViewer, token_id: int) -> Response:
    tokens.revoke_token(session, viewer.principal, token_id)
    return RedirectResponse("/settings/tokens", status_code=303)


@router.get("/pipelines")
def pipeline_list(request: Request, session: DbSession, viewer: CurrentViewer) -> Response:
    ensure_admin(viewer.principal, "see pipeline settings")
    pipelines = list_pipelines(session, viewer.principal.workspace_id)
    context = {"pipelines": [(p, stages_of(session, p.id)) for p in pipelines]}
    return render(request, "settings/pipelines.html", context, viewer=viewer)


@router.get("/properties")
def property_list(request: Request, session: DbSession, viewer: CurrentViewer) -> Response:
    ensure_admin(viewer.principal, "manage custom properties")
    workspace_id = viewer.principal.workspace_id
    context = {
        "by_object": [(name, definitions(session, workspace_id, name)) for name in CUSTOMISABLE],
        "object_types": CUSTOMISABLE,
        "value_types": PROPERTY_VALUE_TYPES,
    }
    return render(request, "settings/properties.html", context, viewer=viewer)


@router.post("/properties")
def add_property(
    session: DbSession,
    viewer: CurrentViewer,
    object_type: Annotated[str, Form(max_length=30)],
    name: Annotated[str, Form(max_length=100, pattern=r"^[a-z][a-z0-9_]*$")],
    value_type: Annotated[str, Form(max_length=10)],
    label: Annotated[str, Form(max_length=200)] = "",
    options: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    ensure_admin(viewer.principal, "add custom properties")
    if object_type not in CUSTOMISABLE:
        raise InvalidInputError(f"object type {object_type!r} has no custom properties")
    define_property(
        session,
        viewer.principal.workspace_id,
        object_type,
        name,
        value_type,
        label=label.strip() or None,
        options=[o.strip() for o in options.split(",") if o.strip()] or None,
    )
    return RedirectResponse("/settings/properties", status_code=303)


@router.get("/audit")
def audit_log(request: Request, session: DbSession, viewer: CurrentViewer) -> Response:
    ensure_admin(viewer.principal, "read the audit log")
    context = {
        "entries": audit.recent(session, viewer.principal.workspace_id),
        "names": {u.id: u.name for u in users.list_users(session, viewer.principal.workspace_id)},
    }
    return render(request, "settings/audit.html", context, viewer=viewer)
