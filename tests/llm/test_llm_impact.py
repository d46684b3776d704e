"""EcoLogits estimates from the alias's explicit mapping; unknown (never 0) otherwise."""

from __future__ import annotations

import pytest

from garant.llm.impact import (
    ecologits_source,
    estimate_completion_impact,
    transcription_impact,
)
from garant.settings import ModelAlias


def _alias(provider: str | None, model: str | None) -> ModelAlias:
    return ModelAlias(model="x/y", ecologits_provider=provider, ecologits_model=model)


def test_mistral_small_estimate_is_positive_and_names_source_and_zone() -> None:
    impact = estimate_completion_impact(
        _alias("mistralai", "mistral-small-latest"), 200, 2.0, "FRA"
    )
    assert impact.energy_kwh is not None and impact.energy_kwh > 0
    assert impact.gwp_kgco2eq is not None and impact.gwp_kgco2eq > 0
    assert impact.source == ecologits_source()
    assert impact.source.startswith("ecologits ")
    assert impact.electricity_mix_zone == "FRA"
    assert impact.known


def test_estimate_grows_with_output_tokens() -> None:
    alias = _alias("mistralai", "mistral-small-latest")
    small = estimate_completion_impact(alias, 20, 1.0, "FRA")
    large = estimate_completion_impact(alias, 2000, 1.0, "FRA")
    assert large.energy_kwh is not None and small.energy_kwh is not None
    assert large.energy_kwh > small.energy_kwh


def test_electricity_mix_changes_co2_not_energy() -> None:
    alias = _alias("mistralai", "mistral-small-latest")
    france = estimate_completion_impact(alias, 500, 4.0, "FRA")
    world = estimate_completion_impact(alias, 500, 4.0, "WOR")
    assert france.energy_kwh == pytest.approx(world.energy_kwh)
    assert france.gwp_kgco2eq is not None and world.gwp_kgco2eq is not None
    assert france.gwp_kgco2eq < world.gwp_kgco2eq


def test_range_estimate_records_midpoint_and_bounds() -> None:
    impact = estimate_completion_impact(_alias("openai", "gpt-4o-mini"), 200, 2.0, "FRA")
    assert impact.energy_kwh_range is not None and impact.gwp_kgco2eq_range is not None
    low, high = impact.energy_kwh_range
    assert low < high
    assert impact.energy_kwh == pytest.approx((low + high) / 2)
    assert any(w.startswith("model-arch-not-released") for w in impact.warnings)


@pytest.mark.parametrize(
    ("provider", "model"), [(None, None), ("mistralai", None), (None, "mistral-small-latest")]
)
def test_no_mapping_means_unknown_with_reason(provider: str | None, model: str | None) -> None:
    impact = estimate_completion_impact(_alias(provider, model), 200, 2.0, "FRA")
    assert (impact.energy_kwh, impact.gwp_kgco2eq) == (None, None)
    assert "aucune correspondance EcoLogits" in impact.source
    assert not impact.known


def test_model_unknown_to_ecologits_is_unknown_with_its_message() -> None:
    impact = estimate_completion_impact(_alias("mistralai", "mistral-imaginaire"), 200, 2.0, "FRA")
    assert impact.energy_kwh is None
    assert "mistral-imaginaire" in impact.source
    assert impact.electricity_mix_zone == "FRA"


def test_provider_unknown_to_ecologits_is_unknown_not_a_crash() -> None:
    impact = estimate_completion_impact(_alias("albert", "albert-large"), 200, 2.0, "FRA")
    assert impact.energy_kwh is None
    assert "albert" in impact.source and "mistralai" in impact.source


def test_unknown_electricity_zone_is_unknown_with_reason() -> None:
    impact = estimate_completion_impact(_alias("mistralai", "mistral-small-latest"), 5, 1.0, "XXX")
    assert impact.energy_kwh is None
    assert "XXX" in impact.source


def test_missing_token_count_is_unknown() -> None:
    impact = estimate_completion_impact(
        _alias("mistralai", "mistral-small-latest"), None, 1.0, "FRA"
    )
    assert impact.energy_kwh is None and "jetons" in impact.source


def test_transcription_is_never_estimated() -> None:
    impact = transcription_impact()
    assert (impact.energy_kwh, impact.gwp_kgco2eq) == (None, None)
    assert "transcription" in impact.source
