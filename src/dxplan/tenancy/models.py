"""Municipalities and departments."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dxplan.db import Base, Versioned


class Municipality(Versioned, Base):
    """A municipality: the tenant. Identified by its 全国地方公共団体コード."""

    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    prefecture: Mapped[str] = mapped_column(String(10))

    departments: Mapped[list[Department]] = relationship(
        back_populates="municipality", cascade="all, delete-orphan", passive_deletes=True
    )


class Department(Versioned, Base):
    """A department (課) of a municipality, e.g. デジタル推進課."""

    __tablename__ = "department"
    __table_args__ = (
        UniqueConstraint("municipality_id", "name"),
        UniqueConstraint("id", "municipality_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))

    municipality: Mapped[Municipality] = relationship(back_populates="departments")
