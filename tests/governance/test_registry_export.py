"""Registry exports: the GDPR Art. 30 record shows every field, missing ones as missing."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import Engine

from garant.domain.inputs import PersonInput, RoleInput, ToolInput, UseInput
from garant.governance.organisations import ensure_organisation
from garant.governance.people import add_person, assign_role
from garant.governance.registry_export import build_export, render_table
from garant.governance.tools import add_tool
from garant.governance.uses import add_use
from garant.i18n import set_language
from garant.store.engine import unit_of_work


def _registry(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        ensure_organisation(session, "Métropole Exemple", "collectivite", "t")
        add_person(session, PersonInput(full_name="Denis Roux", email="dpo@metropole.fr"), "t")
        assign_role(
            session, RoleInput(person="denis-roux", role="dpo", start_date="2025-01-01"), "t"
        )
        add_tool(
            session,
            ToolInput(
                name="ChatGPT Team",
                access_mode="web_app",
                vendor="OpenAI",
                hosting_region="US",
                data_leaves_eu=True,
                status="under_review",
            ),
            "t",
        )
        add_tool(
            session,
            ToolInput(
                name="Albert",
                access_mode="api",
                vendor="DINUM",
                hosting_region="FR",
                status="approved",
            ),
            "t",
        )
        add_use(
            session,
            UseInput(
                title="Synthèse de la concertation",
                purpose="Regrouper les contributions par thème",
                stage="analysis",
                tools=["chatgpt-team"],
                data_categories=["personal", "public_contributions"],
                legal_basis="public_task",
                data_subjects="Habitants contributeurs",
                data_description="noms, courriels, texte des contributions",
                retention="12 mois après la restitution",
                status="approved",
            ),
            "t",
        )
        add_use(
            session,
            UseInput(
                title="Rédaction d'affiches",
                purpose="Brouillons d'affiches",
                stage="preparation",
                tools=["albert"],
                data_categories=["none"],
            ),
            "t",
        )


def test_art30_lists_only_uses_with_personal_data_with_all_fields(store_engine: Engine) -> None:
    _registry(store_engine)
    with unit_of_work(store_engine) as session:
        [table] = build_export(session, "art30")
    assert [row["use"] for row in table.rows] == [
        "Synthèse de la concertation (synthese-de-la-concertation)"
    ]
    row = table.rows[0]
    assert "Métropole Exemple" in row["a_controller"] and "Denis Roux" in row["a_controller"]
    assert row["b_purposes"] == "Regrouper les contributions par thème"
    assert row["c_subjects"] == "Habitants contributeurs"
    assert "courriels" in row["c_data"]
    assert "ChatGPT Team (US)" in row["e_transfers"]
    assert row["f_retention"] == "12 mois après la restitution"
    # Not documented: shown as missing, never dropped.
    assert row["d_recipients"] == "À COMPLÉTER"
    assert row["g_security"] == "À COMPLÉTER"
    assert "garanties : À COMPLÉTER" in row["e_transfers"]
    titles = [title for _, title in table.columns]
    assert [t[:3] for t in titles[1:9]] == ["(a)", "(b)", "(c)", "(c)", "(d)", "(e)", "(f)", "(g)"]


def test_art30_in_english_marks_missing(store_engine: Engine) -> None:
    _registry(store_engine)
    set_language("en")
    with unit_of_work(store_engine) as session:
        [table] = build_export(session, "art30")
    assert table.rows[0]["d_recipients"] == "MISSING"
    assert table.title.startswith("Record of processing activities")


def test_inventory_lists_approved_uses_only(store_engine: Engine) -> None:
    _registry(store_engine)
    with unit_of_work(store_engine) as session:
        [table] = build_export(session, "inventory")
    assert [row["name"] for row in table.rows] == ["Synthèse de la concertation"]
    assert table.rows[0]["administration"] == "Métropole Exemple"


def test_formats_render_the_same_rows(store_engine: Engine) -> None:
    _registry(store_engine)
    with unit_of_work(store_engine) as session:
        tables = build_export(session, "tools")
    parsed_csv = list(csv.reader(io.StringIO(render_table(tables, "csv"))))
    assert parsed_csv[0][1] == "Outil" and {r[1] for r in parsed_csv[1:]} == {
        "Albert",
        "ChatGPT Team",
    }
    parsed_json = json.loads(render_table(tables, "json"))
    assert len(parsed_json["Registre des outils d'IA"]) == 2
    markdown = render_table(tables, "md")
    assert markdown.startswith("## Registre des outils d'IA")
    assert "| albert | Albert | DINUM |" in markdown
