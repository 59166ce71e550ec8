"""Workflow actions: the core actions, registered (``automate.action_interface``) when this
package is imported."""

from dealflow.automate.action_interface import ACTIONS, Action, ActionParams, Outcome, StepContext
from dealflow.automate.action_interface import register_action as register_action
from dealflow.automate.actions.ai_branch import AiBranch
from dealflow.automate.actions.flow import Branch, Delay, EnrolInWorkflow, Stop
from dealflow.automate.actions.records import AssignOwner, CreateTask, CreateTicket, SetProperty
from dealflow.automate.actions.routing import Route
from dealflow.automate.actions.webhooks import Notify, Webhook

CORE_ACTIONS: tuple[Action, ...] = (
    SetProperty(),
    CreateTask(),
    CreateTicket(),
    AssignOwner(),
    Route(),
    Notify(),
    Webhook(),
    Delay(),
    Branch(),
    AiBranch(),
    EnrolInWorkflow(),
    Stop(),
)

for _action in CORE_ACTIONS:
    register_action(_action)

__all__ = ["ACTIONS", "CORE_ACTIONS", "Action", "ActionParams", "Outcome", "StepContext"]
