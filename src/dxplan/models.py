"""Every model, imported once so that the metadata is complete (Alembic, create_all)."""

from dxplan.accounts.models import ApiToken, LoginFailure, User, UserDepartment, UserRole
from dxplan.audit.models import AuditEntry
from dxplan.db import Base
from dxplan.evaluation.models import IndicatorEvaluation
from dxplan.plans.models import (
    GlossaryEntry,
    Initiative,
    Plan,
    PublishedFigure,
    Revision,
    RevisionChange,
    Section,
)
from dxplan.plans.parts import (
    Activity,
    ActivityYear,
    FiscalEffect,
    Goal,
    Indicator,
    IndicatorValue,
    InitiativeDepartment,
    InitiativeResult,
    ScaleLabel,
)
from dxplan.reporting.models import EmailLog, ReportingRound, RoundSubmission
from dxplan.tenancy.models import Department, Municipality

__all__ = [
    "Activity",
    "ActivityYear",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Department",
    "EmailLog",
    "FiscalEffect",
    "GlossaryEntry",
    "Goal",
    "Indicator",
    "IndicatorEvaluation",
    "IndicatorValue",
    "Initiative",
    "InitiativeDepartment",
    "InitiativeResult",
    "LoginFailure",
    "Municipality",
    "Plan",
    "PublishedFigure",
    "ReportingRound",
    "Revision",
    "RevisionChange",
    "RoundSubmission",
    "ScaleLabel",
    "Section",
    "User",
    "UserDepartment",
    "UserRole",
]
