"""Alembic migrations of the dxplan schema."""
