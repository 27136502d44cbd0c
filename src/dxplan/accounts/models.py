"""Local accounts of a municipality: users with roles, the departments an editor is bound to,
and API tokens. Passwords and tokens are stored hashed only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dxplan.accounts.rules import Role
from dxplan.audit.models import utcnow
from dxplan.db import Base, Versioned, value_enum
from dxplan.tenancy.models import Department, Municipality


class User(Versioned, Base):
    """A person who logs in: one municipality's, with roles there."""

    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("id", "municipality_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    login: Mapped[str] = mapped_column(String(100), unique=True)
    # Where reminders of reporting rounds go (optional).
    email: Mapped[str | None] = mapped_column(String(320))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    municipality: Mapped[Municipality] = relationship()
    roles: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="UserRole.role"
    )
    departments: Mapped[list[UserDepartment]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class UserRole(Base):
    """One role of a user in the user's municipality."""

    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(value_enum(Role, "user_role"))


class UserDepartment(Base):
    """A department a (department editor) user is bound to, of the user's own municipality."""

    __tablename__ = "user_department"
    __table_args__ = (
        UniqueConstraint("user_id", "department_id"),
        ForeignKeyConstraint(
            ["user_id", "municipality_id"],
            ["user_account.id", "user_account.municipality_id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["department_id", "municipality_id"],
            ["department.id", "department.municipality_id"],
            deferrable=True,
            initially="DEFERRED",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    department_id: Mapped[int] = mapped_column(Integer, index=True)

    department: Mapped[Department] = relationship(
        primaryjoin="foreign(UserDepartment.department_id) == Department.id"
    )


class ApiToken(Base):
    """A bearer token for the API, stored as its SHA-256 (the token itself is shown once)."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginFailure(Base):
    """A failed login attempt, kept for throttling (the password tried is never stored)."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_login_at", "login", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100))
    remote: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
