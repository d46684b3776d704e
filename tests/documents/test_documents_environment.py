"""The one Jinja environment: workspace templates override built-ins, HTML is autoescaped,
a missing field is an error, dates read as French users expect."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from documents_support import FIXED_AT

from garant.documents import (
    example_charter_context,
    make_environment,
    md_cell,
    render_charter,
    render_template,
)
from garant.errors import InputError, NotFoundError


def test_workspace_template_overrides_the_builtin_charter(tmp_path: Path) -> None:
    folder = tmp_path / "charters"
    folder.mkdir()
    (folder / "charter-external.fr.md.j2").write_text(
        "## Notre charte\n\nRéférente : {{ c.referent.name }}, revue le {{ c.review_date | date }}.\n",
        encoding="utf-8",
    )
    rendered = render_charter(
        "external",
        example_charter_context(),
        "md",
        tmp_path / "charte.md",
        [folder],
        generated_at=FIXED_AT,
    )
    text = rendered.path.read_text(encoding="utf-8")
    assert "Référente : Camille Moreau, revue le 12/10/2027." in text
    assert "## 2. Nos engagements" not in text
    # The internal guide, not overridden, still comes from the built-in template.
    internal = render_charter(
        "internal",
        example_charter_context(),
        "md",
        tmp_path / "guide.md",
        [folder],
        generated_at=FIXED_AT,
    )
    assert "## 2. Principes" in internal.path.read_text(encoding="utf-8")


def test_workspace_can_override_the_page_stylesheet(tmp_path: Path) -> None:
    (tmp_path / "page.css").write_text("body { color: rebeccapurple; }\n", encoding="utf-8")
    rendered = render_charter(
        "external",
        example_charter_context(),
        "html",
        tmp_path / "c.html",
        [tmp_path],
        generated_at=FIXED_AT,
    )
    html = rendered.path.read_text(encoding="utf-8")
    assert "rebeccapurple" in html and "@media print" not in html


def test_missing_field_is_an_input_error_naming_the_template(tmp_path: Path) -> None:
    (tmp_path / "note.md.j2").write_text("{{ c.inexistant }}", encoding="utf-8")
    environment = make_environment([tmp_path])
    with pytest.raises(InputError, match=r"note\.md\.j2.*inexistant"):
        render_template(environment, "note.md.j2", {"c": example_charter_context()})
    with pytest.raises(InputError, match="champ manquant"):
        render_template(environment, "note.md.j2", {})


def test_template_syntax_error_and_unknown_template_are_reported(tmp_path: Path) -> None:
    (tmp_path / "broken.md.j2").write_text("{% if %}", encoding="utf-8")
    environment = make_environment([tmp_path])
    with pytest.raises(InputError, match=r"broken\.md\.j2"):
        render_template(environment, "broken.md.j2", {})
    with pytest.raises(NotFoundError, match=r"absent\.md\.j2"):
        render_template(environment, "absent.md.j2", {})


def test_missing_template_folder_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="Dossier de modèles introuvable"):
        make_environment([tmp_path / "nope"])


def test_html_templates_autoescape_and_markdown_templates_do_not(tmp_path: Path) -> None:
    (tmp_path / "x.html.j2").write_text("{{ v }}", encoding="utf-8")
    (tmp_path / "x.md.j2").write_text("{{ v }}", encoding="utf-8")
    environment = make_environment([tmp_path])
    assert (
        render_template(environment, "x.html.j2", {"v": "<b>&</b>"}) == "&lt;b&gt;&amp;&lt;/b&gt;"
    )
    assert render_template(environment, "x.md.j2", {"v": "<b>&</b>"}) == "<b>&</b>"


def test_date_filters_follow_the_template_language(tmp_path: Path) -> None:
    (tmp_path / "d.md.j2").write_text("{{ d | date }} {{ t | datetime }}", encoding="utf-8")
    environment = make_environment([tmp_path])
    values = {"d": date(2026, 11, 23), "t": datetime(2026, 11, 23, 14, 5)}
    # a naive timestamp is UTC (as stored); it is shown in Paris time (UTC+1 in November)
    assert render_template(environment, "d.md.j2", {**values, "lang": "fr"}) == (
        "23/11/2026 23/11/2026 15:05"
    )
    assert render_template(environment, "d.md.j2", {**values, "lang": "en"}) == (
        "2026-11-23 2026-11-23 15:05"
    )


def test_times_in_documents_are_in_the_organisation_time_zone(tmp_path: Path) -> None:
    """Issue 12.10: « 2026-12-04T11:54:38+00:00 » in a document becomes « 4 décembre 2026 à
    12 h 54 » (Europe/Paris by default; summer time applied; another zone when set)."""
    from datetime import UTC

    from garant.i18n import set_time_zone

    (tmp_path / "t.md.j2").write_text("{{ t | datetime_long }}", encoding="utf-8")
    environment = make_environment([tmp_path])
    winter = datetime(2026, 12, 4, 11, 54, 38, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 8, 5, tzinfo=UTC)
    assert render_template(environment, "t.md.j2", {"t": winter}) == "4 décembre 2026 à 12 h 54"
    assert render_template(environment, "t.md.j2", {"t": summer}) == "1er juillet 2026 à 10 h 05"
    assert render_template(environment, "t.md.j2", {"t": winter, "lang": "en"}) == (
        "4 December 2026, 12:54"
    )
    set_time_zone("America/Cayenne")
    try:
        assert render_template(environment, "t.md.j2", {"t": winter}) == (
            "4 décembre 2026 à 8 h 54"
        )
    finally:
        set_time_zone("Europe/Paris")


def test_md_cell_keeps_a_table_row_on_one_line() -> None:
    assert md_cell("a | b\nc") == "a \\| b c"
    assert md_cell(None) == ""
