"""Energy and CO2e estimate of one completion with EcoLogits, from an explicit model mapping.

EcoLogits ships its model table and electricity mixes in the wheel and works offline. Its own
litellm hook matches model names loosely (``openai/whisper-1`` became gpt-4.1 in our trials),
so garant calls ``ecologits.tracers.utils.llm_impacts`` directly with the provider and model
named in the alias (``ecologits_provider`` / ``ecologits_model``) and never guesses.

EcoLogits returns either a value or a min–max range (when a model's architecture is not public,
or a provider's data centres differ). garant records the midpoint in ``energy_kwh`` /
``gwp_kgco2eq`` and keeps the bounds in ``energy_kwh_range`` / ``gwp_kgco2eq_range``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from garant.i18n import tr
from garant.llm.types import EnvironmentalImpact

if TYPE_CHECKING:
    from garant.settings import ModelAlias

__all__ = ["ecologits_source", "estimate_completion_impact", "transcription_impact"]


def ecologits_source() -> str:
    """``"ecologits <version>"`` of the installed package."""
    import ecologits

    return f"ecologits {ecologits.__version__}"


def _split(value: Any) -> tuple[float, tuple[float, float] | None]:
    """A float, or the midpoint and bounds of an EcoLogits ``RangeValue``."""
    if hasattr(value, "min") and hasattr(value, "max"):
        low, high = float(value.min), float(value.max)
        return (low + high) / 2, (low, high)
    return float(value), None


def estimate_completion_impact(
    alias: ModelAlias,
    output_tokens: int | None,
    request_latency_s: float,
    electricity_mix_zone: str,
) -> EnvironmentalImpact:
    """Estimate one completion's energy and CO2e, or say why it is unknown (never 0)."""
    if not alias.ecologits_provider or not alias.ecologits_model:
        return EnvironmentalImpact.unknown(
            tr(
                "non estimé : aucune correspondance EcoLogits pour ce modèle "
                "(ecologits_provider / ecologits_model de l'alias)",
                "not estimated: no EcoLogits mapping for this model "
                "(the alias's ecologits_provider / ecologits_model)",
            )
        )
    if output_tokens is None:
        return EnvironmentalImpact.unknown(
            tr(
                "non estimé : le fournisseur n'a pas indiqué le nombre de jetons produits",
                "not estimated: the provider did not report the number of output tokens",
            )
        )
    from ecologits.tracers.utils import PROVIDER_CONFIG_MAP, llm_impacts

    source = ecologits_source()
    if alias.ecologits_provider not in PROVIDER_CONFIG_MAP:
        return EnvironmentalImpact.unknown(
            tr(
                "non estimé : fournisseur « {p} » inconnu de {source} (connus : {known})",
                "not estimated: provider '{p}' unknown to {source} (known: {known})",
                p=alias.ecologits_provider,
                source=source,
                known=", ".join(sorted(PROVIDER_CONFIG_MAP)),
            )
        )
    result = llm_impacts(
        provider=alias.ecologits_provider,
        model_name=alias.ecologits_model,
        output_token_count=output_tokens,
        request_latency=request_latency_s,
        electricity_mix_zone=electricity_mix_zone,
    )
    if result.has_errors or result.energy is None or result.gwp is None:
        reasons = "; ".join(e.message for e in result.errors or []) or "aucune valeur"
        return EnvironmentalImpact(
            energy_kwh=None,
            gwp_kgco2eq=None,
            source=tr(
                "non estimé par {source} : {reasons}",
                "not estimated by {source}: {reasons}",
                source=source,
                reasons=reasons,
            ),
            electricity_mix_zone=electricity_mix_zone,
        )
    energy, energy_range = _split(result.energy.value)
    gwp, gwp_range = _split(result.gwp.value)
    return EnvironmentalImpact(
        energy_kwh=energy,
        gwp_kgco2eq=gwp,
        source=source,
        electricity_mix_zone=electricity_mix_zone,
        warnings=tuple(f"{w.code}: {w.message}" for w in result.warnings or []),
        energy_kwh_range=energy_range,
        gwp_kgco2eq_range=gwp_range,
    )


def transcription_impact() -> EnvironmentalImpact:
    """Transcription is not modelled by EcoLogits (no per-audio-second model): unknown."""
    return EnvironmentalImpact.unknown(
        tr(
            "non estimé : EcoLogits ne modélise pas la transcription audio",
            "not estimated: EcoLogits does not model audio transcription",
        )
    )
