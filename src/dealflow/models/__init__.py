"""Every ORM table, in one package so relationships never create import cycles."""

from dealflow.models.activity import Activity, EngagementEvent
from dealflow.models.base import Base
from dealflow.models.forecast import ForecastSnapshot, ForecastSubmission
from dealflow.models.inquiry import (
    InquiryClassification,
    InquiryFeedback,
    InquiryLabel,
    InquiryModel,
)
from dealflow.models.job import Job
from dealflow.models.outbox import OutboxCursor, OutboxEvent
from dealflow.models.people import Team, User
from dealflow.models.personalize import Draft, Segment, ToneGuide
from dealflow.models.prediction import Prediction, PredictiveModel, ScoringRules
from dealflow.models.properties import PropertyChange, PropertyDefinition
from dealflow.models.quality import Changeset, ChangesetItem, QualitySnapshot
from dealflow.models.records import (
    Company,
    Contact,
    Deal,
    DealCompany,
    DealContact,
    Pipeline,
    Product,
    Stage,
    Ticket,
)
from dealflow.models.research import ResearchFinding, ResearchRun
from dealflow.models.security import ApiToken, AuditEntry, LoginAttempt, RecordShare, UserSession
from dealflow.models.webhook import WebhookSubscription
from dealflow.models.workflow import (
    Enrolment,
    EnrolmentStep,
    TrailEntry,
    Workflow,
    WorkflowVersion,
)
from dealflow.models.workspace import Workspace

__all__ = [
    "Activity",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Changeset",
    "ChangesetItem",
    "Company",
    "Contact",
    "Deal",
    "DealCompany",
    "DealContact",
    "Draft",
    "EngagementEvent",
    "Enrolment",
    "EnrolmentStep",
    "ForecastSnapshot",
    "ForecastSubmission",
    "InquiryClassification",
    "InquiryFeedback",
    "InquiryLabel",
    "InquiryModel",
    "Job",
    "LoginAttempt",
    "OutboxCursor",
    "OutboxEvent",
    "Pipeline",
    "Prediction",
    "PredictiveModel",
    "Product",
    "PropertyChange",
    "PropertyDefinition",
    "QualitySnapshot",
    "RecordShare",
    "ResearchFinding",
    "ResearchRun",
    "ScoringRules",
    "Segment",
    "Stage",
    "Team",
    "Ticket",
    "ToneGuide",
    "TrailEntry",
    "User",
    "UserSession",
    "WebhookSubscription",
    "Workflow",
    "WorkflowVersion",
    "Workspace",
]
