"""Every model, imported once so that the metadata is complete (Alembic, create_all)."""

from dxplan.accounts.models import ApiToken, LoginFailure, User, UserDepartment, UserRole
from dxplan.audit.models import AuditEntry
from dxplan.db import Base
from dxplan.plans.models import (
    Activity,
    ActivityYear,
    FiscalEffect,
    GlossaryEntry,
    Goal,
    Indicator,
    IndicatorValue,
    Initiative,
    InitiativeDepartment,
    InitiativeResult,
    Plan,
    PublishedFigure,
    Revision,
    RevisionChange,
    ScaleLabel,
    Section,
)
from dxplan.plans.rounds.models import EmailLog, ReportingRound, RoundSubmission
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
