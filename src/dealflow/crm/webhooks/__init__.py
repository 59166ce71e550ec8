"""Outgoing webhooks: subscriptions, the outbox dispatcher, signed deliveries.

``JOB_HANDLERS`` is what a worker registers to deliver; ``run_dispatcher_once`` is what its
loop calls to turn new outbox events into delivery jobs.
"""

from dealflow.core.jobs import JobHandler
from dealflow.crm.webhooks.delivery import deliver
from dealflow.crm.webhooks.dispatch import DELIVER, run_dispatcher_once

JOB_HANDLERS: dict[str, JobHandler] = {DELIVER: deliver}

__all__ = ["JOB_HANDLERS", "run_dispatcher_once"]
