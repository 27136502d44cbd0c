"""People's verdicts on indicators (評価), kept beside the computed ones."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from dxplan.db import Base, ExactDecimal, Versioned


class IndicatorEvaluation(Versioned, Base):
    """A person's verdict on an indicator for a fiscal year (評価), overriding the computed one.

    Kept: the label computed when the verdict was given (None: a textual target that only a
    person judges) and its achievement rate, the final label, the reason, who and when. Labels
    are kept as words, as given then, so that the record survives a later change of the scale.
    """

    __tablename__ = "indicator_evaluation"
    __table_args__ = (UniqueConstraint("indicator_id", "fy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    fy: Mapped[int] = mapped_column(Integer)
    computed_label: Mapped[str | None] = mapped_column(String(100))
    computed_rate: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    label: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
