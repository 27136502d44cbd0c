"""Settings, read from the environment with the DXPLAN_ prefix."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from dxplan.errors import DxplanError


class Environment(StrEnum):
    """Where dxplan runs; in production nothing may reset the database."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SettingsError(DxplanError):
    """A DXPLAN_ variable with a value dxplan cannot use."""


def default_data_dir() -> Path:
    """The data folder: ./data beside the working directory."""
    return Path.cwd() / "data"


class Settings(BaseSettings):
    """Runtime configuration. Every field can be set as DXPLAN_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="DXPLAN_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    echo_sql: bool = False
    environment: Environment = Environment.DEVELOPMENT

    def resolved_database_url(self) -> str:
        """The database URL; by default a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'dxplan.sqlite3'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once); a bad value is a SettingsError naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"DXPLAN_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}, found {e['input']!r}"
            for e in exc.errors()
        )
        raise SettingsError(problems) from exc
