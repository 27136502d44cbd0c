"""Settings, read from the environment with the DXPLAN_ prefix."""

from __future__ import annotations

import secrets
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


def default_assets_dir() -> Path:
    """Front-end packages installed from npm by `make setup` (node_modules of the checkout)."""
    return Path(__file__).resolve().parents[2] / "node_modules"


class Settings(BaseSettings):
    """Runtime configuration. Every field can be set as DXPLAN_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="DXPLAN_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    echo_sql: bool = False
    environment: Environment = Environment.DEVELOPMENT
    # Signs session cookies; by default a random key kept in the data folder (secret_key file).
    secret_key: str | None = None
    assets_dir: Path = Field(default_factory=default_assets_dir)
    # E-mail (reminders of reporting rounds): the SMTP server, unset = no e-mail is sent.
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "dxplan@localhost"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    # When reminders go out: days before the due date ("7,1"), then every N days overdue (0: none).
    remind_before: str = Field(default="7,1", pattern=r"^[0-9, ]*$")
    remind_overdue_every: int = Field(default=7, ge=0)
    # `dxplan serve` runs the reminders once a day at this time of Japan (HH:MM); unset: never.
    remind_daily_at: str | None = Field(default=None, pattern=r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$")
    # The address of the web application, for links in e-mails.
    base_url: str = "http://127.0.0.1:8000"

    def resolved_database_url(self) -> str:
        """The database URL; by default a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'dxplan.sqlite3'}"

    def resolved_secret_key(self) -> str:
        """DXPLAN_SECRET_KEY, else the data folder's secret_key file (created on first use)."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48))
        return path.read_text().strip()


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
