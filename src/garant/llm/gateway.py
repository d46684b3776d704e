"""The model gateway: every model call garant makes goes through ``Gateway``.

Aliases (``garant.toml`` ``[models.<name>]``) name a litellm model string and its options.
``offline/<name>`` models are answered by garant's offline provider (no network, no litellm
import); every other model goes through litellm, imported on the first such call (it costs
~3 s), with ``LITELLM_LOCAL_MODEL_COST_MAP=True`` set first so that importing it never fetches
prices from the network.

Secrets: an API key is read, at call time, only from the environment variable the alias names
in ``api_key_env``; it is passed to litellm and nowhere else — never in ``Completion.parameters``,
never in an error message (any echo of it in a provider's error is replaced by ``***``).

Retries are garant's, not litellm's (litellm is called with ``max_retries=0``): only transient
failures are retried (rate limit, timeout, connection error, 5xx), ``max_retries`` times, with
exponential back-off from ``retry_backoff_s``; the same rule for completion and transcription,
whatever the provider.
"""

from __future__ import annotations

import importlib
import math
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from garant.errors import GarantError, InputError, NotFoundError
from garant.i18n import tr
from garant.llm.impact import estimate_completion_impact, transcription_impact
from garant.llm.offline import is_offline_model, offline_complete
from garant.llm.types import (
    ChatMessage,
    Completion,
    TranscriptionResult,
    TranscriptionSegment,
)

if TYPE_CHECKING:
    from garant.settings import GarantSettings, ModelAlias

__all__ = [
    "NO_KEY_PLACEHOLDER",
    "Gateway",
    "MissingApiKeyError",
    "ModelCallError",
    "UnknownAliasError",
    "load_litellm",
]

T = TypeVar("T")

NO_KEY_PLACEHOLDER = "garant-sans-cle"
"""Sent when an alias names no ``api_key_env`` (local servers), so that client libraries do not
go looking for a key in other variables (``OPENAI_API_KEY``…)."""

_RESERVED_PARAMETERS = frozenset(
    {
        "api_key",
        "api_base",
        "base_url",
        "model",
        "messages",
        "timeout",
        "max_retries",
        "num_retries",
        "custom_llm_provider",
        "mock_response",
    }
)
_MAX_BACKOFF_S = 30.0


class ModelCallError(GarantError):
    """A model call failed (after retries where the failure was transient)."""

    def __init__(
        self,
        message: str,
        hint: str = "",
        *,
        alias: str,
        error_type: str,
        attempts: int,
    ) -> None:
        super().__init__(message, hint)
        self.alias = alias
        self.error_type = error_type
        self.attempts = attempts


def load_litellm() -> Any:
    """Import litellm (once per process) with garant's offline-safe settings."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    litellm: Any = importlib.import_module("litellm")
    litellm.suppress_debug_info = True  # no "Give Feedback / Get Help" banners on stdout
    return litellm


def _public_url(url: str) -> str:
    """``url`` without user:password nor query string (either may carry a secret)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def public_url(url: str) -> str:
    """An endpoint as it may be logged: without user:password nor query string."""
    return _public_url(url)


def _redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if hasattr(value, "model_dump"):
        dumped = value.model_dump()
        return dumped if isinstance(dumped, dict) else {}
    return dict(vars(value)) if hasattr(value, "__dict__") else {}


def _is_transient(exc: BaseException) -> bool:
    """Worth retrying: rate limit, timeout, lost connection, 5xx (litellm maps most errors to
    openai's classes; transcription errors sometimes come through as openai's own)."""
    status = getattr(exc, "status_code", None)
    if isinstance(status, int) and (status in {408, 409, 429} or status >= 500):
        return True
    openai: Any = importlib.import_module("openai")
    return isinstance(exc, openai.APIConnectionError | openai.RateLimitError)


def _optional_int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


class Gateway:
    """The real ``ModelGateway``: resolves aliases and calls the offline provider or litellm.

    ``environ`` is where API keys are read (``os.environ`` at call time by default);
    ``retry_backoff_s`` is the first wait before a retry (doubled each time, at most 30 s).
    """

    def __init__(
        self,
        aliases: Mapping[str, ModelAlias],
        *,
        electricity_mix_zone: str = "FRA",
        retry_backoff_s: float = 1.0,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._aliases = dict(aliases)
        self.electricity_mix_zone = electricity_mix_zone
        self.retry_backoff_s = retry_backoff_s
        self._environ = environ

    @classmethod
    def from_settings(cls, settings: GarantSettings, **options: Any) -> Gateway:
        """A gateway over the workspace's model aliases and electricity mix."""
        return cls(
            settings.models,
            electricity_mix_zone=settings.electricity_mix_zone,
            **options,
        )

    @property
    def aliases(self) -> Mapping[str, ModelAlias]:
        """The configured aliases (read-only view)."""
        return MappingProxyType(self._aliases)

    def resolve(self, alias: str) -> ModelAlias:
        """The configuration behind ``alias``; ``NotFoundError`` (an input error) if unknown."""
        try:
            return self._aliases[alias]
        except KeyError:
            known = ", ".join(sorted(self._aliases)) or tr("aucun", "none")
            raise UnknownAliasError(
                tr(
                    "Alias de modèle inconnu : « {alias} ».",
                    "Unknown model alias: '{alias}'.",
                    alias=alias,
                ),
                tr(
                    "Alias configurés : {known}. Ajoutez-le dans garant.toml sous "
                    "[models.{alias}] ou choisissez-en un.",
                    "Configured aliases: {known}. Add it to garant.toml under "
                    "[models.{alias}] or pick one of them.",
                    known=known,
                    alias=alias,
                ),
            ) from None

    def is_offline(self, alias: str) -> bool:
        """True when ``alias`` is served by garant's offline provider."""
        return is_offline_model(self.resolve(alias).model)

    # -- completion ---------------------------------------------------------------------------

    def complete(self, alias: str, messages: list[ChatMessage], **parameters: Any) -> Completion:
        """Send ``messages`` to the model behind ``alias`` and return its answer with its costs.

        ``parameters`` are passed to the model (``temperature`` overrides the alias's,
        ``max_tokens``, ``response_format``, ``seed``…); connection settings (key, endpoint,
        timeout, retries) come from the alias only.
        """
        config = self.resolve(alias)
        self._check_parameters(alias, parameters)
        if not messages:
            raise InputError(
                tr(
                    "Aucun message à envoyer au modèle « {alias} ».",
                    "No message to send to model '{alias}'.",
                    alias=alias,
                ),
                tr("Passez au moins un message.", "Pass at least one message."),
            )
        if is_offline_model(config.model):
            params = {"temperature": config.temperature, **parameters}
            return offline_complete(alias, config.model, config.provider_label, messages, params)

        started = time.perf_counter()
        api_key = self._api_key(alias, config)
        litellm = load_litellm()
        call_params: dict[str, Any] = {"temperature": config.temperature, **parameters}
        kwargs: dict[str, Any] = {
            "model": config.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "timeout": config.timeout_s,
            "max_retries": 0,
            "api_key": api_key,
            **call_params,
        }
        if config.api_base:
            kwargs["api_base"] = config.api_base
        response, request_latency = self._with_retries(
            alias, config, api_key, lambda: litellm.completion(**kwargs)
        )
        choice = response.choices[0]
        text = getattr(choice.message, "content", None) or ""
        usage = getattr(response, "usage", None)
        prompt_tokens = _optional_int(getattr(usage, "prompt_tokens", None))
        completion_tokens = _optional_int(getattr(usage, "completion_tokens", None))
        cost = self._cost(litellm, completion_response=response)
        impact = estimate_completion_impact(
            config, completion_tokens, request_latency, self.electricity_mix_zone
        )
        return Completion(
            text=text,
            alias=alias,
            model=config.model,
            provider=self._provider(config),
            offline=False,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cost_usd=cost,
            latency_s=time.perf_counter() - started,
            impact=impact,
            parameters=self._recorded_parameters(config, call_params),
        )

    # -- transcription ------------------------------------------------------------------------

    def transcribe(
        self,
        alias: str,
        audio: Path,
        language: str | None = None,
        **parameters: Any,
    ) -> TranscriptionResult:
        """Transcribe ``audio`` with the speech model behind ``alias`` (through litellm).

        The answer is requested as ``verbose_json`` so that timed segments come back;
        ``parameters`` may add ``prompt``, ``temperature``, ``timestamp_granularities``.
        """
        config = self.resolve(alias)
        self._check_parameters(alias, {**parameters}, extra_reserved={"response_format", "file"})
        if is_offline_model(config.model):
            raise InputError(
                tr(
                    "Le modèle hors ligne « {alias} » ne sait pas transcrire de l'audio.",
                    "Offline model '{alias}' cannot transcribe audio.",
                    alias=alias,
                ),
                tr(
                    "Configurez un alias de transcription (par ex. openai/whisper-1 avec "
                    "api_base vers un serveur speaches local, ou mistral/voxtral-mini-latest).",
                    "Configure a transcription alias (e.g. openai/whisper-1 with api_base to a "
                    "local speaches server, or mistral/voxtral-mini-latest).",
                ),
            )
        audio = Path(audio)
        if not audio.is_file():
            raise InputError(
                tr(
                    "Fichier audio introuvable : {path}",
                    "Audio file not found: {path}",
                    path=audio,
                ),
                tr("Vérifiez le chemin du fichier.", "Check the file path."),
            )
        started = time.perf_counter()
        api_key = self._api_key(alias, config)
        litellm = load_litellm()
        kwargs: dict[str, Any] = {
            "model": config.model,
            "language": language,
            "response_format": "verbose_json",
            "timeout": config.timeout_s,
            "max_retries": 0,
            "api_key": api_key,
            **parameters,
        }
        if config.api_base:
            kwargs["api_base"] = config.api_base

        def call() -> Any:
            with audio.open("rb") as handle:  # reopened on each attempt
                return litellm.transcription(file=handle, **kwargs)

        response, _ = self._with_retries(alias, config, api_key, call)
        segments = tuple(
            self._segment(_as_dict(s)) for s in (getattr(response, "segments", None) or [])
        )
        duration = getattr(response, "duration", None)
        return TranscriptionResult(
            text=(getattr(response, "text", None) or "").strip(),
            alias=alias,
            model=config.model,
            provider=self._provider(config),
            language=getattr(response, "language", None) or language,
            segments=segments,
            duration_s=float(duration) if isinstance(duration, int | float) else None,
            cost_usd=self._cost(
                litellm,
                completion_response=response,
                model=config.model,
                call_type="transcription",
            ),
            latency_s=time.perf_counter() - started,
            impact=transcription_impact(),
            parameters=self._recorded_parameters(
                config,
                {"language": language, "response_format": "verbose_json", **parameters},
            ),
        )

    @staticmethod
    def _segment(raw: dict[str, Any]) -> TranscriptionSegment:
        """A Whisper-style segment; confidence = exp(avg_logprob), the mean token probability."""
        avg_logprob = raw.get("avg_logprob")
        confidence = (
            min(1.0, max(0.0, math.exp(avg_logprob)))
            if isinstance(avg_logprob, int | float)
            else None
        )
        speaker = raw.get("speaker")
        return TranscriptionSegment(
            start_s=float(raw.get("start") or 0.0),
            end_s=float(raw.get("end") or 0.0),
            text=str(raw.get("text") or "").strip(),
            speaker=str(speaker) if speaker is not None else None,
            confidence=confidence,
        )

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _check_parameters(
        alias: str,
        parameters: Mapping[str, Any],
        extra_reserved: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        reserved = sorted(set(parameters) & (_RESERVED_PARAMETERS | extra_reserved))
        if reserved:
            raise InputError(
                tr(
                    "Paramètre(s) réservé(s) à la configuration de l'alias « {alias} » : {names}.",
                    "Parameter(s) reserved to the configuration of alias '{alias}': {names}.",
                    alias=alias,
                    names=", ".join(reserved),
                ),
                tr(
                    "La clé vient de la variable d'environnement nommée par api_key_env ; le "
                    "point d'accès, le délai et les reprises se règlent dans garant.toml.",
                    "The key comes from the environment variable named by api_key_env; the "
                    "endpoint, timeout and retries are set in garant.toml.",
                ),
            )

    def _api_key(self, alias: str, config: ModelAlias) -> str:
        if not config.api_key_env:
            return NO_KEY_PLACEHOLDER
        environ = os.environ if self._environ is None else self._environ
        key = environ.get(config.api_key_env, "").strip()
        if not key:
            raise MissingApiKeyError(
                tr(
                    "Clé d'API absente : la variable d'environnement {var} (alias « {alias} ») "
                    "n'est pas définie.",
                    "Missing API key: environment variable {var} (alias '{alias}') is not set.",
                    var=config.api_key_env,
                    alias=alias,
                ),
                tr(
                    "Définissez-la avant de lancer garant (export {var}=…) ; une clé ne "
                    "s'écrit jamais dans garant.toml.",
                    "Set it before running garant (export {var}=…); a key never goes in "
                    "garant.toml.",
                    var=config.api_key_env,
                ),
                variable=config.api_key_env,
            )
        return key

    @staticmethod
    def _provider(config: ModelAlias) -> str:
        return config.provider_label or config.model.split("/", 1)[0]

    @staticmethod
    def _recorded_parameters(config: ModelAlias, call_params: dict[str, Any]) -> dict[str, Any]:
        recorded: dict[str, Any] = {
            **call_params,
            "timeout_s": config.timeout_s,
            "max_retries": config.max_retries,
        }
        if config.api_base:
            recorded["api_base"] = _public_url(config.api_base)
        return recorded

    @staticmethod
    def _cost(litellm: Any, **kwargs: Any) -> float | None:
        """litellm's price for the call, or None when its price table does not know the model."""
        try:
            cost = litellm.completion_cost(**kwargs)
        except Exception:  # litellm raises for models missing from its table
            return None
        return float(cost) if isinstance(cost, int | float) else None

    def _with_retries(
        self,
        alias: str,
        config: ModelAlias,
        api_key: str,
        call: Callable[[], T],
    ) -> tuple[T, float]:
        """Run ``call``; retry transient failures; return its result and last-attempt latency."""
        attempts = max(0, config.max_retries) + 1
        for attempt in range(1, attempts + 1):
            started = time.perf_counter()
            try:
                return call(), time.perf_counter() - started
            except Exception as exc:
                if not _is_transient(exc) or attempt == attempts:
                    raise self._call_error(alias, config, api_key, exc, attempt) from None
                time.sleep(min(_MAX_BACKOFF_S, self.retry_backoff_s * 2 ** (attempt - 1)))
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _call_error(
        alias: str,
        config: ModelAlias,
        api_key: str,
        exc: BaseException,
        attempts: int,
    ) -> ModelCallError:
        kind = type(exc).__name__
        detail = _redact(str(exc), [api_key])
        hints = {
            "AuthenticationError": tr(
                "Vérifiez la clé dans la variable {var}.",
                "Check the key in variable {var}.",
                var=config.api_key_env or "—",
            ),
            "PermissionDeniedError": tr(
                "La clé n'a pas accès à ce modèle : vérifiez les droits du compte.",
                "The key has no access to this model: check the account's rights.",
            ),
            "NotFoundError": tr(
                "Vérifiez le nom du modèle ({model}) et api_base dans garant.toml.",
                "Check the model name ({model}) and api_base in garant.toml.",
                model=config.model,
            ),
            "Timeout": tr(
                "Le modèle n'a pas répondu en {t} s : augmentez timeout_s de l'alias ou "
                "réessayez plus tard.",
                "The model did not answer within {t} s: raise the alias's timeout_s or try "
                "again later.",
                t=config.timeout_s,
            ),
            "RateLimitError": tr(
                "Quota du fournisseur atteint : réessayez plus tard ou augmentez max_retries.",
                "Provider quota reached: try again later or raise max_retries.",
            ),
            "APIConnectionError": tr(
                "Connexion impossible : vérifiez api_base ({base}) et le réseau.",
                "Cannot connect: check api_base ({base}) and the network.",
                base=_public_url(config.api_base) if config.api_base else "—",
            ),
        }
        hint = hints.get(
            kind,
            tr(
                "Réessayez plus tard ; si l'erreur persiste, vérifiez la configuration de "
                "l'alias dans garant.toml.",
                "Try again later; if it persists, check the alias's configuration in garant.toml.",
            ),
        )
        return ModelCallError(
            tr(
                "Échec de l'appel au modèle « {alias} » ({model}) après {n} tentative(s) : "
                "{kind} — {detail}",
                "Call to model '{alias}' ({model}) failed after {n} attempt(s): {kind} — {detail}",
                alias=alias,
                model=config.model,
                n=attempts,
                kind=kind,
                detail=detail,
            ),
            hint,
            alias=alias,
            error_type=kind,
            attempts=attempts,
        )


class UnknownAliasError(NotFoundError, InputError):
    """The alias is not configured (both a not-found and an input error)."""


class MissingApiKeyError(InputError):
    """The environment variable named by ``api_key_env`` is not set."""

    def __init__(self, message: str, hint: str = "", *, variable: str) -> None:
        super().__init__(message, hint)
        self.variable = variable
