"""Floods stay inside the picture: copies are in a theme, never « isolé »."""

from __future__ import annotations

from pathlib import Path

from synthesis_support import write_csv

from garant.analyses.synthesis import ingest_table, load_corpus, run_offline
from garant.analyses.synthesis.synthetic import make_corpus


def test_three_thousand_copies_plus_fifty_texts_put_the_flood_inside_a_theme(
    tmp_path: Path,
) -> None:
    flood = "Je m'oppose au projet d'autoroute A69 qui détruit les terres agricoles."
    rows = [{"id": f"f{n}", "auteur": f"f{n}", "texte": flood} for n in range(3000)]
    others = make_corpus(60, seed=1).rows[:50]
    rows += [
        {"id": f"o{n}", "auteur": f"o{n}", "texte": row["texte"]} for n, row in enumerate(others)
    ]
    source = write_csv(tmp_path / "avis.csv", rows)
    ingest_table(
        tmp_path / "corpus", source, text_column="texte", id_column="id", author_column="auteur"
    )
    corpus = load_corpus(tmp_path / "corpus")
    result = run_offline(corpus, seed=0)
    placed = {a.contribution_id: a for a in result.assignments}
    copies = [f"avis:f{n}" for n in range(3000)]
    assert all(placed[i].theme_ids for i in copies)
    assert not any("isolé" in a.singular_reason for a in result.assignments)
    home = {placed[i].theme_ids[0] for i in copies}
    assert len(home) == 1
    theme = next(t for t in result.themes if t.id in home)
    assert theme.distinct_positions == 1 and theme.distinct_authors == 3000
    assert result.themes[0].id in home  # the majority position leads the themes
