"""The dossier: creation, stable public numbers, channels, runs attached, ledger entries."""

from __future__ import annotations

import json
from pathlib import Path

from inquiry_support import add_command, write_observations
from sqlmodel import Session, select
from typer.testing import CliRunner
from workspace_support import run_cli

from garant.cli.main import app
from garant.domain.models import LedgerEntry
from garant.inquiry import ObservationInput, add_observations, create_dossier, observations_of
from garant.store.engine import create_store_engine, migrate

runner = CliRunner()


def _dossier_values() -> dict[str, str]:
    return {
        "title": "PLU de Belleval",
        "reference": "Arrêté 2026-117",
        "authority": "Métropole de Belleval",
        "opens_on": "02/11/2026",
        "closes_on": "03/12/2026",
    }


def _items(refs: list[str], channel: str = "courriel") -> list[ObservationInput]:
    return [ObservationInput(source_ref=ref, channel=channel, text=f"Texte {ref}") for ref in refs]


def test_numbers_never_change_when_observations_are_added(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'store.db'}")
    migrate(engine)
    with Session(engine) as session:
        dossier = create_dossier(session, _dossier_values(), "commissaire")
        first = add_observations(session, dossier, _items(["a", "b", "c"]), "commissaire")
        assert [o.number for o in first.added] == [1, 2, 3]
        later = add_observations(
            session, dossier, _items(["b", "d", "a", "e"], "registre papier"), "commissaire"
        )
        assert [o.number for o in later.added] == [4, 5] and later.already_known == 2
        numbers = {o.source_ref: (o.number, o.channel) for o in observations_of(session, dossier)}
        assert numbers == {
            "a": (1, "courriel"),
            "b": (2, "courriel"),
            "c": (3, "courriel"),
            "d": (4, "registre_papier"),
            "e": (5, "registre_papier"),
        }
        events = [
            (e.event, json.loads(e.payload))
            for e in session.exec(select(LedgerEntry).order_by(LedgerEntry.seq))  # type: ignore[arg-type]
            if not e.event.startswith("row_")  # the store's own record of each row change
        ]
        session.commit()
    assert [name for name, _ in events] == [
        "dossier_created",
        "observations_added",
        "observations_added",
    ]
    assert (events[2][1]["first"], events[2][1]["last"], events[2][1]["count"]) == (4, 5, 2)
    engine.dispose()


def test_dossier_closing_before_opening_is_refused_in_french(workspace_root: Path) -> None:
    result = runner.invoke(
        app,
        [
            "-w",
            str(workspace_root),
            "dossier",
            "create",
            "PLU",
            "--ref",
            "A-1",
            "--authority",
            "Préfecture",
            "--from",
            "03/12/2026",
            "--to",
            "02/11/2026",
        ],
    )
    assert result.exit_code == 2
    assert "clôture précède l'ouverture" in result.stderr


def test_unknown_channel_is_refused_with_the_list_of_channels(workspace_root: Path) -> None:
    run_cli(
        workspace_root,
        'dossier create "PLU" --ref A-1 --authority Préfecture --from 02/11/2026 --to 03/12/2026 '
        "--key plu",
    )
    source = write_observations(workspace_root / "obs.csv", 1, 3)
    result = runner.invoke(
        app,
        ["-w", str(workspace_root), *add_command(source, "pigeon").split()],
    )
    assert result.exit_code == 2
    assert "Canal inconnu : pigeon" in result.stderr and "registre_papier" in result.stderr
    shown = runner.invoke(app, ["-w", str(workspace_root), "dossier", "show", "plu", "--json"])
    assert json.loads(shown.stdout)["observations"] == []


def test_observations_added_through_the_cli_keep_their_numbers(workspace_root: Path) -> None:
    run_cli(
        workspace_root,
        'dossier create "PLU" --ref A-1 --authority Préfecture --from 02/11/2026 --to 03/12/2026 '
        "--key plu",
        add_command(write_observations(workspace_root / "a.csv", 1, 5), "registre_dematerialise"),
    )
    before = json.loads(
        runner.invoke(app, ["-w", str(workspace_root), "dossier", "show", "plu", "--json"]).stdout
    )["observations"]
    # three more observations received by post, after the first ones
    run_cli(
        workspace_root,
        add_command(write_observations(workspace_root / "b.csv", 6, 3), "courrier"),
    )
    after = json.loads(
        runner.invoke(app, ["-w", str(workspace_root), "dossier", "show", "plu", "--json"]).stdout
    )["observations"]
    assert [(o["number"], o["source_ref"]) for o in after[:5]] == [
        (o["number"], o["source_ref"]) for o in before
    ]
    assert [o["number"] for o in after] == list(range(1, 9))
    assert {o["channel"] for o in after[5:]} == {"courrier"}
    assert all(o["author"].startswith("auteur-") for o in after)
    assert all("habitant" not in json.dumps(o) for o in after)
