"""``garant audit report``: the periodic audit report for compliance reviewers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from garant.cli.state import state_of
from garant.i18n import tr

__all__ = ["audit_report"]


def audit_report(
    ctx: typer.Context,
    start: Annotated[
        str | None,
        typer.Option("--from", help="Début de la période (JJ/MM/AAAA ; défaut : il y a 30 jours)."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(
            "--to", help="Fin de la période, incluse (JJ/MM/AAAA ; défaut : aujourd'hui)."
        ),
    ] = None,
    format: Annotated[str, typer.Option("--format", help="md | html | pdf | docx")] = "pdf",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Fichier produit (défaut : dans exports/)."),
    ] = None,
    skip_mlflow: Annotated[
        bool, typer.Option("--skip-mlflow", help="Ne pas comparer les sorties à MLflow.")
    ] = False,
) -> None:
    """Rapport d'audit de la période : exécutions, refus, relectures, registre, intégrité ; code 1 si altéré."""
    from garant.audit.periodic_report import (
        build_period_report,
        check_report_format,
        default_period,
        export_period_report,
        parse_report_date,
    )

    chosen = check_report_format(format)
    workspace = state_of(ctx).workspace()
    first, last = default_period()
    if end is not None:
        last = parse_report_date(end, "--to")
        if start is None:
            first, last = default_period(last)
    if start is not None:
        first = parse_report_date(start, "--from")
    report = build_period_report(workspace, first, last, check_mlflow=not skip_mlflow)
    export = export_period_report(workspace, report, chosen, output)
    typer.echo(str(export.path))
    typer.echo(
        tr(
            "Rapport {period} : {n} exécution(s), {r} refus, {u} sans relecture approuvée ; "
            "registre {verdict}.\n  SHA-256 : {sha} (inscrit au registre, entrée n° {seq})\n"
            "  Vérifier : garant document verify {path}",
            "Report {period}: {n} run(s), {r} refusal(s), {u} without approved review; "
            "ledger {verdict}.\n  SHA-256: {sha} (recorded in the ledger, entry #{seq})\n"
            "  Verify: garant document verify {path}",
            period=report.period_label(),
            n=report.total_runs,
            r=len(report.refusals),
            u=len(report.unreviewed),
            verdict=tr("intact", "intact") if report.integrity.ok else tr("ALTÉRÉ", "TAMPERED"),
            sha=export.sha256,
            seq=export.ledger_seq,
            path=export.path,
        ),
        err=True,
    )
    if not report.integrity.ok:
        # the report is written (its red banner names the alteration); the exit code says so too
        raise typer.Exit(1)
