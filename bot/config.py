"""Settings from the environment and `.env`, checked once at start-up."""

from __future__ import annotations

import os
import socket
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from telegram.constants import FloodLimit

from bot.telegram_ids import USER_ID_LIMIT

TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
TELEGRAM_FILE_BASE_URL = "https://api.telegram.org/file/bot"


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one sentence for the operator."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    bot_token: str | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    owner_ids: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(), alias="ROUNDWATCH_ADMIN_IDS"
    )
    database_url: str = Field(default="sqlite:///roundwatch.sqlite3", alias="DATABASE_URL")
    sandbox_database_url: str = Field(
        default="sqlite:///roundwatch-sandbox.sqlite3", alias="ROUNDWATCH_SANDBOX_DATABASE_URL"
    )
    api_base_url: str = Field(default=TELEGRAM_API_BASE_URL, alias="TELEGRAM_API_BASE_URL")
    file_base_url: str | None = Field(default=None, alias="TELEGRAM_FILE_BASE_URL")
    check_interval: float = Field(default=10.0, gt=0, le=3600, alias="ROUNDWATCH_CHECK_INTERVAL")
    send_rate: float = Field(
        default=FloodLimit.MESSAGES_PER_SECOND, gt=0, le=1000, alias="ROUNDWATCH_SEND_RATE"
    )
    private_chat_rate: float = Field(
        default=FloodLimit.MESSAGES_PER_SECOND_PER_CHAT,
        gt=0,
        le=30,
        alias="ROUNDWATCH_PRIVATE_RATE",
    )
    group_rate_per_minute: float = Field(
        default=FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
        gt=0,
        le=600,
        alias="ROUNDWATCH_GROUP_RATE_PER_MINUTE",
    )
    paid_broadcast: bool = Field(default=False, alias="ROUNDWATCH_PAID_BROADCAST")
    paid_broadcast_rate: float = Field(
        default=FloodLimit.PAID_MESSAGES_PER_SECOND,
        gt=0,
        le=1000,
        alias="ROUNDWATCH_PAID_BROADCAST_RATE",
    )
    send_concurrency: int = Field(default=16, ge=1, le=256, alias="ROUNDWATCH_SEND_CONCURRENCY")
    retry_delay: float = Field(default=5.0, gt=0, le=3600, alias="ROUNDWATCH_RETRY_DELAY")
    draft_lifetime_hours: float = Field(
        default=24.0, gt=0, le=24 * 365, alias="ROUNDWATCH_DRAFT_LIFETIME_HOURS"
    )
    retry_backoff_cap: float = Field(
        default=300.0, gt=0, le=86400, alias="ROUNDWATCH_RETRY_BACKOFF_CAP"
    )
    retry_for: float = Field(default=3600.0, ge=0, le=7 * 86400, alias="ROUNDWATCH_RETRY_FOR")
    lease_duration: float = Field(default=60.0, gt=0, le=3600, alias="ROUNDWATCH_LEASE_DURATION")
    request_timeout: float = Field(default=15.0, gt=0, le=300, alias="ROUNDWATCH_REQUEST_TIMEOUT")
    # An alert's send has no idempotency key: one that times out after Telegram took it goes
    # out twice, so its answer is waited for longer than other requests'.
    send_read_timeout: float = Field(
        default=60.0, gt=0, le=300, alias="ROUNDWATCH_SEND_READ_TIMEOUT"
    )
    feed_interval: float = Field(default=900.0, gt=0, le=86400, alias="ROUNDWATCH_FEED_INTERVAL")
    feed_drafts_per_hour: int = Field(
        default=10, ge=1, le=1000, alias="ROUNDWATCH_FEED_DRAFTS_PER_HOUR"
    )
    feed_max_bytes: int = Field(
        default=5_000_000, ge=10_000, le=100_000_000, alias="ROUNDWATCH_FEED_MAX_BYTES"
    )
    progress_interval: float = Field(
        default=5.0, ge=1, le=600, alias="ROUNDWATCH_PROGRESS_INTERVAL"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", alias="ROUNDWATCH_LOG_LEVEL"
    )
    log_format: Literal["text", "json"] = Field(default="text", alias="ROUNDWATCH_LOG_FORMAT")
    worker_id: str | None = Field(default=None, max_length=64, alias="ROUNDWATCH_WORKER_ID")
    webhook_url: str | None = Field(default=None, alias="ROUNDWATCH_WEBHOOK_URL")
    webhook_listen: str = Field(default="127.0.0.1", alias="ROUNDWATCH_WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8443, ge=1, le=65535, alias="ROUNDWATCH_WEBHOOK_PORT")
    webhook_secret: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_-]{1,256}$", alias="ROUNDWATCH_WEBHOOK_SECRET"
    )
    health_port: int | None = Field(default=None, ge=0, le=65535, alias="ROUNDWATCH_HEALTH_PORT")
    health_listen: str = Field(default="127.0.0.1", alias="ROUNDWATCH_HEALTH_LISTEN")
    prune_after_days: float = Field(default=90.0, gt=0, le=36500, alias="ROUNDWATCH_PRUNE_AFTER")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("webhook_url", "webhook_secret", "health_port", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_address(cls, value: str | None) -> str | None:
        if value is not None and not _is_http_url(value):
            raise ValueError(
                "it must be the https:// address Telegram posts updates to, such as "
                "https://bot.example.org/telegram"
            )
        return value

    @field_validator("api_base_url", "file_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not _is_http_url(value):
            raise ValueError(
                "it must be an http:// or https:// URL such as https://api.telegram.org/bot"
            )
        return value

    @field_validator("owner_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",")]
            return tuple(part for part in parts if part)
        return value

    @field_validator("owner_ids")
    @classmethod
    def _telegram_user_ids(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(not 0 < user_id < USER_ID_LIMIT for user_id in value):
            raise ValueError("each id must be a Telegram user id, a positive number of 1–16 digits")
        return value

    @property
    def global_send_rate(self) -> float:
        return self.paid_broadcast_rate if self.paid_broadcast else self.send_rate

    @property
    def resolved_worker_id(self) -> str:
        """Names this process in logs and metrics: the host (a container's own) and the pid."""
        return self.worker_id or f"{socket.gethostname()}-{os.getpid()}"

    @property
    def resolved_file_base_url(self) -> str:
        if self.file_base_url:
            return self.file_base_url
        if self.api_base_url.rstrip("/").endswith("/bot"):
            return self.api_base_url.rstrip("/")[: -len("bot")] + "file/bot"
        return TELEGRAM_FILE_BASE_URL


def _is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def describe_validation_error(error: ValidationError) -> str:
    first = error.errors()[0]
    field_name = str(first["loc"][0]) if first["loc"] else "a setting"
    alias = Settings.model_fields[field_name].alias if field_name in Settings.model_fields else None
    name = alias or field_name
    value = first.get("input")
    shown = f" (got {value!r})" if isinstance(value, str | int | float) else ""
    message = first["msg"].removeprefix("Value error, ")
    return f"{name} is malformed: {message[:1].lower()}{message[1:]}{shown}."


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise ConfigError(describe_validation_error(error)) from None


def require_token(settings: Settings) -> str:
    if not settings.bot_token or not settings.bot_token.strip():
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in the environment "
            "or in .env (or try `roundwatch sandbox`, which needs none)."
        )
    return settings.bot_token.strip()
