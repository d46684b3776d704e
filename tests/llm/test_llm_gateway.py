"""The gateway's hosted path, exercised for real through litellm against a local HTTP server."""

from __future__ import annotations

import json
import math
import time
import wave
from pathlib import Path

import pytest
from fake_openai import FakeOpenAIServer

from garant.errors import InputError
from garant.llm import (
    ChatMessage,
    Gateway,
    MissingApiKeyError,
    ModelCallError,
    UnknownAliasError,
)
from garant.settings import ModelAlias, default_model_aliases, load_settings

MESSAGES = [
    ChatMessage("system", "Tu es un assistant de synthèse."),
    ChatMessage("user", "Résume : les habitants veulent plus de pistes cyclables."),
]


def _alias(
    server: FakeOpenAIServer, model: str = "openai/petit-modele", **options: object
) -> ModelAlias:
    values: dict[str, object] = {
        "model": model,
        "provider_label": "Serveur de test",
        "api_base": server.base_url,
        "api_key_env": "GARANT_TEST_LLM_KEY",
        "timeout_s": 5.0,
        "max_retries": 0,
    }
    values.update(options)
    return ModelAlias.model_validate(values)


def _gateway(**aliases: ModelAlias) -> Gateway:
    return Gateway(aliases, retry_backoff_s=0.01)


def _wav(path: Path, seconds: float = 1.0) -> Path:
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(8000)
        handle.writeframes(b"\x00\x00" * int(8000 * seconds))
    return path


# -- aliases and keys -------------------------------------------------------------------------


def test_unknown_alias_is_an_input_error_naming_it_and_listing_configured_ones() -> None:
    gateway = Gateway(default_model_aliases())
    with pytest.raises(InputError) as caught:
        gateway.complete("gpt-magique", MESSAGES)
    assert isinstance(caught.value, UnknownAliasError)
    assert "gpt-magique" in caught.value.message
    for name in ("albert", "hors-ligne", "mistral-small", "ollama-local"):
        assert name in caught.value.hint


def test_unknown_alias_for_transcription_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="whisper"):
        Gateway({}).transcribe("whisper", _wav(tmp_path / "a.wav"))


def test_missing_api_key_names_the_variable_and_sends_nothing(
    openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GARANT_TEST_LLM_KEY", raising=False)
    gateway = _gateway(distant=_alias(openai_server))
    with pytest.raises(MissingApiKeyError) as caught:
        gateway.complete("distant", MESSAGES)
    assert "GARANT_TEST_LLM_KEY" in caught.value.message
    assert "distant" in caught.value.message
    assert caught.value.variable == "GARANT_TEST_LLM_KEY"
    assert openai_server.requests == []


def test_api_key_is_read_from_the_given_environment_mapping(
    openai_server: FakeOpenAIServer,
) -> None:
    gateway = Gateway(
        {"distant": _alias(openai_server)}, environ={"GARANT_TEST_LLM_KEY": "sk-injecte-1234"}
    )
    gateway.complete("distant", MESSAGES)
    assert openai_server.requests[0].headers["Authorization"] == "Bearer sk-injecte-1234"


@pytest.mark.parametrize("name", ["api_key", "api_base", "timeout", "max_retries", "model"])
def test_connection_settings_cannot_be_passed_as_call_parameters(name: str) -> None:
    gateway = Gateway(default_model_aliases())
    with pytest.raises(InputError, match=name):
        gateway.complete("hors-ligne", MESSAGES, **{name: "x"})


def test_alias_without_key_variable_never_uses_other_provider_variables(
    openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-ne-pas-utiliser-9999")
    gateway = _gateway(local=_alias(openai_server, api_key_env=None))
    gateway.complete("local", MESSAGES)
    assert openai_server.requests[0].headers["Authorization"] == "Bearer garant-sans-cle"


def test_gateway_from_settings_uses_workspace_aliases_and_mix(tmp_path: Path) -> None:
    toml = tmp_path / "garant.toml"
    toml.write_text(
        'electricity_mix_zone = "DEU"\n[models.demo]\nmodel = "offline/extractive-fr"\n',
        encoding="utf-8",
    )
    gateway = Gateway.from_settings(load_settings(toml))
    assert list(gateway.aliases) == ["demo"]
    assert gateway.electricity_mix_zone == "DEU"
    assert gateway.is_offline("demo")


# -- completion through litellm ---------------------------------------------------------------


def test_hosted_completion_goes_through_litellm_with_alias_settings(
    openai_server: FakeOpenAIServer, fake_key: str
) -> None:
    openai_server.script.reply_text = "Les habitants demandent des pistes cyclables."
    gateway = _gateway(distant=_alias(openai_server, temperature=0.2))
    completion = gateway.complete("distant", MESSAGES, max_tokens=50)

    request = openai_server.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == f"Bearer {fake_key}"
    assert request.json_body is not None
    assert request.json_body["model"] == "petit-modele"
    assert request.json_body["temperature"] == 0.2
    assert request.json_body["max_tokens"] == 50
    assert request.json_body["messages"][1]["content"] == MESSAGES[1].content

    assert completion.text == "Les habitants demandent des pistes cyclables."
    assert completion.model == "openai/petit-modele"
    assert completion.provider == "Serveur de test"
    assert completion.offline is False
    assert (completion.prompt_tokens, completion.completion_tokens) == (17, 9)
    assert completion.cost_usd is None  # not in litellm's price table: unknown, not 0
    assert completion.latency_s > 0
    assert completion.parameters == {
        "temperature": 0.2,
        "max_tokens": 50,
        "timeout_s": 5.0,
        "max_retries": 0,
        "api_base": openai_server.base_url,
    }


def test_call_parameters_override_the_alias_temperature(
    openai_server: FakeOpenAIServer, fake_key: str
) -> None:
    _gateway(distant=_alias(openai_server, temperature=0.2)).complete(
        "distant", MESSAGES, temperature=0.7
    )
    assert openai_server.requests[0].json_body["temperature"] == 0.7  # type: ignore[index]


def test_cost_comes_from_litellm_price_table_when_the_model_is_known(
    openai_server: FakeOpenAIServer, fake_key: str
) -> None:
    from garant.llm.gateway import load_litellm

    completion = _gateway(mini=_alias(openai_server, model="openai/gpt-4o-mini")).complete(
        "mini", MESSAGES
    )
    prices = load_litellm().model_cost["gpt-4o-mini"]
    expected = 17 * prices["input_cost_per_token"] + 9 * prices["output_cost_per_token"]
    assert completion.cost_usd == pytest.approx(expected)
    assert completion.cost_usd is not None and completion.cost_usd > 0


def test_transient_500_is_retried_then_succeeds(
    openai_server: FakeOpenAIServer, fake_key: str
) -> None:
    openai_server.script.statuses = [500]
    completion = _gateway(distant=_alias(openai_server, max_retries=2)).complete(
        "distant", MESSAGES
    )
    assert completion.text == "Réponse du serveur de test."
    assert openai_server.hits("/chat/completions") == 2


def test_persistent_500_fails_after_configured_retries(
    openai_server: FakeOpenAIServer, fake_key: str
) -> None:
    openai_server.script.statuses = [500, 500, 500]
    with pytest.raises(ModelCallError) as caught:
        _gateway(distant=_alias(openai_server, max_retries=1)).complete("distant", MESSAGES)
    assert openai_server.hits("/chat/completions") == 2
    assert caught.value.attempts == 2
    assert caught.value.error_type == "InternalServerError"
    assert "distant" in caught.value.message


def test_authentication_error_is_not_retried_and_key_is_redacted(
    openai_server: FakeOpenAIServer, fake_key: str
) -> None:
    openai_server.script.statuses = [401]
    openai_server.script.echo_authorization = True  # the server repeats the key in its error
    with pytest.raises(ModelCallError) as caught:
        _gateway(distant=_alias(openai_server, max_retries=3)).complete("distant", MESSAGES)
    assert openai_server.hits("/chat/completions") == 1
    error = caught.value
    assert error.error_type == "AuthenticationError"
    assert "GARANT_TEST_LLM_KEY" in error.hint
    assert "***" in error.message
    assert fake_key not in str(error) and fake_key not in repr(error)
    assert error.__cause__ is None and error.__suppress_context__


def test_timeout_of_the_alias_is_honoured(openai_server: FakeOpenAIServer, fake_key: str) -> None:
    openai_server.script.delay_s = 10.0
    gateway = _gateway(lent=_alias(openai_server, timeout_s=0.3, max_retries=1))
    started = time.perf_counter()
    with pytest.raises(ModelCallError) as caught:
        gateway.complete("lent", MESSAGES)
    elapsed = time.perf_counter() - started
    assert caught.value.error_type == "Timeout"
    assert openai_server.hits("/chat/completions") == 2  # a timeout is transient: retried once
    assert elapsed < 3.0
    assert "timeout_s" in caught.value.hint


def test_fake_key_never_appears_in_the_completion(
    openai_server: FakeOpenAIServer, fake_key: str
) -> None:
    completion = _gateway(distant=_alias(openai_server)).complete("distant", MESSAGES)
    assert fake_key not in repr(completion)
    assert fake_key not in json.dumps(completion.parameters)
    assert "api_key" not in completion.parameters


def test_credentials_in_api_base_are_not_recorded(
    openai_server: FakeOpenAIServer, fake_key: str
) -> None:
    base = openai_server.base_url.replace("http://", "http://utilisateur:motdepasse@") + "?cle=x"
    alias = _alias(openai_server, api_base=base)
    completion = _gateway(distant=alias).complete("distant", MESSAGES)
    assert completion.parameters["api_base"] == openai_server.base_url
    assert "motdepasse" not in repr(completion)


# -- environmental estimate -------------------------------------------------------------------


def test_completion_mapped_to_mistral_small_gets_an_ecologits_estimate(
    openai_server: FakeOpenAIServer, fake_key: str
) -> None:
    import ecologits

    alias = _alias(
        openai_server,
        ecologits_provider="mistralai",
        ecologits_model="mistral-small-latest",
    )
    completion = _gateway(mistral=alias).complete("mistral", MESSAGES)
    impact = completion.impact
    assert impact.energy_kwh is not None and impact.energy_kwh > 0
    assert impact.gwp_kgco2eq is not None and impact.gwp_kgco2eq > 0
    assert impact.source == f"ecologits {ecologits.__version__}"
    assert impact.electricity_mix_zone == "FRA"


def test_completion_without_ecologits_mapping_has_unknown_impact_with_reason(
    openai_server: FakeOpenAIServer, fake_key: str
) -> None:
    completion = _gateway(distant=_alias(openai_server)).complete("distant", MESSAGES)
    assert completion.impact.energy_kwh is None
    assert completion.impact.gwp_kgco2eq is None
    assert "aucune correspondance EcoLogits" in completion.impact.source


# -- transcription ----------------------------------------------------------------------------


def test_transcription_sends_file_model_language_and_maps_segments(
    openai_server: FakeOpenAIServer, fake_key: str, tmp_path: Path
) -> None:
    audio = _wav(tmp_path / "seance.wav")
    gateway = _gateway(whisper=_alias(openai_server, model="openai/whisper-local"))
    result = gateway.transcribe("whisper", audio, language="fr")

    request = openai_server.requests[0]
    assert request.path == "/v1/audio/transcriptions"
    assert request.form["model"] == "whisper-local"
    assert request.form["language"] == "fr"
    assert request.form["response_format"] == "verbose_json"
    assert request.files["file"] == ("seance.wav", audio.read_bytes())
    assert request.headers["Authorization"] == f"Bearer {fake_key}"

    assert result.text == "Bonjour à toutes et à tous. La séance est ouverte."
    assert [(s.start_s, s.end_s, s.text) for s in result.segments] == [
        (0.0, 2.5, "Bonjour à toutes et à tous."),
        (2.5, 5.0, "La séance est ouverte."),
    ]
    assert result.segments[0].confidence == pytest.approx(math.exp(-0.1))
    assert result.language == "fr"
    assert result.duration_s == 5.0
    assert result.cost_usd is None
    assert result.impact.energy_kwh is None and "transcription" in result.impact.source
    assert fake_key not in repr(result)


def test_transcription_retries_reopen_the_audio_file(
    openai_server: FakeOpenAIServer, fake_key: str, tmp_path: Path
) -> None:
    audio = _wav(tmp_path / "seance.wav")
    openai_server.script.statuses = [503]
    gateway = _gateway(whisper=_alias(openai_server, model="openai/whisper-local", max_retries=1))
    result = gateway.transcribe("whisper", audio, language="fr")
    assert openai_server.hits("/audio/transcriptions") == 2
    assert openai_server.requests[1].files["file"][1] == audio.read_bytes()
    assert result.segments


def test_transcription_of_missing_file_names_the_path(
    openai_server: FakeOpenAIServer, fake_key: str, tmp_path: Path
) -> None:
    gateway = _gateway(whisper=_alias(openai_server, model="openai/whisper-local"))
    missing = tmp_path / "absent.wav"
    with pytest.raises(InputError) as caught:
        gateway.transcribe("whisper", missing)
    assert str(missing) in caught.value.message
    assert openai_server.requests == []


def test_offline_alias_cannot_transcribe(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="ne sait pas transcrire"):
        Gateway(default_model_aliases()).transcribe("hors-ligne", _wav(tmp_path / "a.wav"))


def test_fake_key_never_appears_in_logs(
    openai_server: FakeOpenAIServer,
    fake_key: str,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    gateway = _gateway(distant=_alias(openai_server, max_retries=1))
    gateway.complete("distant", MESSAGES)
    openai_server.script.statuses = [500, 401]
    openai_server.script.echo_authorization = True
    with pytest.raises(ModelCallError):
        gateway.complete("distant", MESSAGES)
    captured = capfd.readouterr()
    assert caplog.records  # something was logged, and none of it holds the key
    assert fake_key not in caplog.text
    assert fake_key not in captured.out + captured.err


def test_default_mistral_alias_is_priced_and_estimated_end_to_end(
    openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workspace's default ``mistral-small`` alias, through litellm's Mistral provider,
    pointed at the local server: key from MISTRAL_API_KEY, litellm's price, EcoLogits estimate."""
    from garant.llm.gateway import load_litellm

    monkeypatch.setenv("MISTRAL_API_KEY", "sk-mistral-test-5678")
    alias = default_model_aliases()["mistral-small"].model_copy(
        update={"api_base": openai_server.base_url}
    )
    completion = _gateway(**{"mistral-small": alias}).complete("mistral-small", MESSAGES)

    request = openai_server.requests[0]
    assert request.json_body is not None and request.json_body["model"] == "mistral-small-latest"
    assert request.headers["Authorization"] == "Bearer sk-mistral-test-5678"
    prices = load_litellm().model_cost["mistral/mistral-small-latest"]
    expected = 17 * prices["input_cost_per_token"] + 9 * prices["output_cost_per_token"]
    assert completion.cost_usd == pytest.approx(expected)
    assert completion.provider == "Mistral AI (UE)"
    assert completion.impact.energy_kwh is not None and completion.impact.energy_kwh > 0
    assert completion.impact.electricity_mix_zone == "FRA"
    assert "sk-mistral-test-5678" not in repr(completion)
