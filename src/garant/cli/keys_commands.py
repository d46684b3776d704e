"""Personal keys from the command line: ``garant keys create`` and ``garant keys list``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from garant.cli.output import print_json, print_table, say
from garant.cli.state import state_of
from garant.errors import InputError
from garant.i18n import format_datetime, tr

__all__ = ["keys_app", "read_passphrase"]

keys_app = typer.Typer(
    help="Clés personnelles : signature des points de contrôle, approbations et annexes.",
    no_args_is_help=True,
)


def read_passphrase(person: str, env_var: str | None, *, confirm: bool) -> str:
    """The passphrase from ``env_var`` if given, else typed twice (or once) without echo."""
    if env_var:
        value = os.environ.get(env_var)
        if not value:
            raise InputError(
                tr(
                    "La variable d'environnement {v} (--passphrase-env) est vide ou absente.",
                    "The environment variable {v} (--passphrase-env) is empty or missing.",
                    v=env_var,
                ),
                tr(
                    "Définissez-la avant la commande, ou omettez --passphrase-env pour la saisir.",
                    "Set it before the command, or leave out --passphrase-env to type it.",
                ),
            )
        return value
    return str(
        typer.prompt(
            tr("Phrase secrète de la clé de {p}", "Passphrase of {p}'s key", p=person),
            hide_input=True,
            confirmation_prompt=confirm,
        )
    )


@keys_app.command("create")
def create(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Clé de la personne dans le registre.")],
    pkcs12_file: Annotated[
        Path | None,
        typer.Option(
            "--pkcs12",
            help="Importer un certificat existant (.p12/.pfx, ex. RGS) au lieu d'en créer un.",
        ),
    ] = None,
    passphrase_env: Annotated[
        str | None,
        typer.Option(
            "--passphrase-env", help="Variable d'environnement contenant la phrase secrète."
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Nom du certificat (défaut : nom au registre).")
    ] = None,
    email: Annotated[
        str | None, typer.Option("--email", help="Courriel du certificat (défaut : registre).")
    ] = None,
    valid_days: Annotated[int, typer.Option("--days", help="Durée de validité en jours.")] = 1095,
) -> None:
    """Crée (ou importe) la clé personnelle d'une personne ; l'empreinte est inscrite au registre d'audit."""
    from garant.audit.ledger import write_head
    from garant.audit.run import ledger_anchor
    from garant.governance.lookup import find_person
    from garant.signing.events import record_key_event
    from garant.signing.keys import create_person_key, import_person_pkcs12

    state = state_of(ctx)
    workspace = state.workspace()
    with state.transaction() as session:
        registered = find_person(session, person)
        slug, full_name, mail = registered.key, registered.full_name, registered.email
    passphrase = read_passphrase(slug, passphrase_env, confirm=pkcs12_file is None)
    if pkcs12_file is not None:
        key = import_person_pkcs12(workspace, slug, pkcs12_file, passphrase)
    else:
        key = create_person_key(
            workspace,
            slug,
            passphrase,
            common_name=name or full_name,
            email=email or mail or None,
            valid_days=valid_days,
        )
    with state.transaction() as session:
        entry = record_key_event(
            session,
            key,
            origin="imported" if pkcs12_file is not None else "created",
            actor=slug,
        )
    write_head(workspace.engine, ledger_anchor(workspace), entry)
    say(
        tr(
            "Clé de {p} enregistrée : {f}\nCertificat public : {c}\nEmpreinte SHA-256 : {h}",
            "Key of {p} stored: {f}\nPublic certificate: {c}\nSHA-256 fingerprint: {h}",
            p=slug,
            f=key.pkcs12_path,
            c=key.certificate_path,
            h=key.fingerprint_sha256,
        )
    )


@keys_app.command("list")
def list_keys(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON pour les scripts.")] = False,
) -> None:
    """Liste les clés personnelles de l'espace (certificats publics)."""
    from garant.signing.keys import list_person_keys

    keys = list_person_keys(state_of(ctx).workspace())
    if as_json:
        print_json(
            [
                {
                    "person": key.person,
                    "subject": key.subject,
                    "fingerprint_sha256": key.fingerprint_sha256,
                    "not_before": key.not_before,
                    "not_after": key.not_after,
                    "certificate": str(key.certificate_path),
                }
                for key in keys
            ]
        )
        return
    print_table(
        tr("Clés personnelles", "Personal keys"),
        [
            tr("Personne", "Person"),
            tr("Sujet", "Subject"),
            tr("Empreinte SHA-256", "SHA-256 fingerprint"),
            tr("Valide jusqu'au", "Valid until"),
        ],
        [
            (key.person, key.subject, key.fingerprint_sha256, format_datetime(key.not_after))
            for key in keys
        ],
    )
