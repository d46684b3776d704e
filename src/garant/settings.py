"""Workspace settings: a pydantic-settings class read from ``garant.toml`` and ``GARANT_*``.

Priority, highest first: values passed in code, environment variables (``GARANT_LANGUAGE``,
``GARANT_DATABASE_URL``, nested with ``__`` as in ``GARANT_MODELS__MISTRAL__TIMEOUT_S``), then the
workspace's ``garant.toml``. Relative SQLite paths are resolved against the workspace folder.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

__all__ = [
    "OFFLINE_MODEL_ALIAS",
    "GarantSettings",
    "ModelAlias",
    "OrganisationKind",
    "TuiSettings",
    "default_model_aliases",
    "load_settings",
]

OrganisationKind = Literal["collectivite", "agence", "enquete"]

OFFLINE_MODEL_ALIAS = "hors-ligne"

_toml_file: ContextVar[Path | None] = ContextVar("garant_toml_file", default=None)


class ModelAlias(BaseModel):
    """A named model configuration the gateway resolves (e.g. ``mistral-small``)."""

    model: str
    """litellm model string, e.g. ``mistral/mistral-small-latest``, ``openai/albert-large``,
    ``ollama/llama3.1``; ``offline/<name>`` selects garant's offline provider."""

    provider_label: str = ""
    """Human-readable provider shown in disclosure labels (e.g. "Mistral AI (Paris)")."""

    api_base: str | None = None
    """Endpoint for OpenAI-compatible or self-hosted servers (Albert, Ollama, speaches…)."""

    api_key_env: str | None = None
    """Name of the environment variable holding the API key; keys never go in garant.toml."""

    timeout_s: float = 60.0
    """Per-call timeout in seconds."""

    max_retries: int = 2
    """Retries on transient errors (rate limit, timeout, 5xx)."""

    temperature: float = 0.0
    """Default sampling temperature; 0 for reproducibility."""

    hosted: bool = True
    """True when text sent to this model leaves the machine (False for offline and local)."""

    hosting_region: str = "EU"
    """Where the model runs (e.g. "EU", "FR", "US", "local"); used by the policy gate."""

    ecologits_provider: str | None = None
    """Provider name in EcoLogits' model table, for the environmental estimate (explicit)."""

    ecologits_model: str | None = None
    """Model name in EcoLogits' model table; no fuzzy matching is ever done."""


def default_model_aliases() -> dict[str, ModelAlias]:
    """Aliases written into a new workspace: offline by default, hosted ones ready to configure."""
    return {
        OFFLINE_MODEL_ALIAS: ModelAlias(
            model="offline/extractive-fr",
            provider_label="garant (hors ligne, sans modèle génératif)",
            hosted=False,
            hosting_region="local",
        ),
        "mistral-small": ModelAlias(
            model="mistral/mistral-small-latest",
            provider_label="Mistral AI (UE)",
            api_key_env="MISTRAL_API_KEY",
            hosting_region="EU",
            ecologits_provider="mistralai",
            ecologits_model="mistral-small-latest",
        ),
        "albert": ModelAlias(
            model="openai/albert-large",
            provider_label="Albert (DINUM, État français)",
            api_base="https://albert.api.etalab.gouv.fr/v1",
            api_key_env="ALBERT_API_KEY",
            hosting_region="FR",
        ),
        "ollama-local": ModelAlias(
            model="ollama/llama3.1",
            provider_label="Ollama (poste local)",
            api_base="http://127.0.0.1:11434",
            hosted=False,
            hosting_region="local",
        ),
    }


class TuiSettings(BaseModel):
    """Settings of the terminal interface (``[tui]`` in garant.toml)."""

    keymap: dict[str, str] = Field(default_factory=dict)
    """Binding id → keys, e.g. ``open-registry = "ctrl+r"`` (ids are listed in the TUI's help)."""

    plain: bool = False
    """Plain mode for screen readers and simple terminals: the terminal's own colours, ASCII
    borders, no animation (``garant tui --plain`` for one session)."""


class GarantSettings(BaseSettings):
    """Settings of one garant workspace."""

    model_config = SettingsConfigDict(
        env_prefix="GARANT_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    organisation_name: str = "Organisation"
    """Name of the organisation the workspace belongs to (shown in documents)."""

    organisation_kind: OrganisationKind = "collectivite"
    """collectivite (local authority), agence (participation agency) or enquete (public inquiry)."""

    language: Literal["fr", "en"] = "fr"
    """Language of messages and documents: fr (default) or en."""

    timezone: str = "Europe/Paris"
    """Time zone of dates and times in documents and messages (IANA name, e.g. Europe/Paris)."""

    @field_validator("timezone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"fuseau horaire inconnu : {value!r} (ex. Europe/Paris)") from None
        return value

    database_url: str = "sqlite:///garant.db"
    """SQLAlchemy URL of the store; SQLite by default, e.g. postgresql+psycopg://… for PostgreSQL."""

    mlflow_tracking_uri: str = "sqlite:///mlflow/mlflow.db"
    """MLflow tracking store: local SQLite by default, or an http(s):// tracking server."""

    mlflow_artifacts_dir: str = "mlflow/artifacts"
    """Where a local MLflow store keeps artifacts (relative to the workspace)."""

    mlflow_experiment: str = "garant"
    """MLflow experiment that holds this workspace's audited runs."""

    default_model: str = OFFLINE_MODEL_ALIAS
    """Model alias used when a command does not name one."""

    models: dict[str, ModelAlias] = Field(default_factory=default_model_aliases)
    """Model aliases: name → litellm model and its options."""

    whisper_models_dir: str = "models/whisper"
    """Folder of local faster-whisper models (relative to the workspace), e.g. large-v3."""

    electricity_mix_zone: str = "FRA"
    """Electricity mix (EcoLogits zone code) for environmental estimates; FRA for France."""

    actor: str = ""
    """Who acts, recorded as author of every change (defaults to the system user)."""

    tui: TuiSettings = Field(default_factory=TuiSettings)
    """Terminal interface: key bindings remapped by id in ``[tui.keymap]``."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = _toml_file.get()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)


def load_settings(toml_file: Path | None, **overrides: object) -> GarantSettings:
    """Read settings from ``toml_file`` (if any), the environment and ``overrides``."""
    token = _toml_file.set(toml_file)
    try:
        return GarantSettings(**overrides)  # type: ignore[arg-type]
    finally:
        _toml_file.reset(token)
