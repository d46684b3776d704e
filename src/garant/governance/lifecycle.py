"""The lifecycle of the workspace policy: adopt, approve, publish, new version, diff, history,
and the acknowledgements agents give for a version (AI Act Art. 4 evidence).

The policy lives in ``<workspace>/policies/politique.yaml``; each approved version is also kept
in the store (:class:`PolicyVersion`, with a snapshot of the file and its SHA-256) and every
approval, publication and acknowledgement is a ledger event. Functions taking a ``Session`` are
pure store logic; those taking a :class:`Workspace` also update the file, in one transaction:
the file is replaced atomically just before the commit and restored if the commit fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlmodel import Session, col, select

from garant.domain.enums import OrganisationKind, RoleName, label
from garant.domain.models import Person
from garant.domain.policy_models import PolicyAcknowledgement, PolicyVersion
from garant.errors import (
    ConflictError,
    GarantError,
    InputError,
    NotFoundError,
    PolicyRefusal,
    WorkspaceError,
)
from garant.governance.in_force import recorded_hashes
from garant.governance.lookup import find_person, stamp_created, stamp_updated
from garant.governance.people import active_roles, list_people
from garant.governance.policy import (
    Approval,
    Policy,
    PolicyStatus,
    check_transition,
    contact_missing,
    load_policy,
    parse_policy,
    policy_warnings,
    render_diff,
    set_policy_fields,
    starter_pack_path,
)
from garant.governance.policy.model import CONTACT_PLACEHOLDER
from garant.governance.policy.yamlsource import parse_yaml_document
from garant.i18n import format_date, tr
from garant.util.files import atomic_write_text, sha256_bytes
from garant.workspace import Workspace

if TYPE_CHECKING:
    from garant.signing.actions import SignedAction

__all__ = [
    "DOCUMENT_KINDS",
    "POLICY_FILE",
    "AcknowledgementRow",
    "DocumentKind",
    "LifecycleResult",
    "PolicyFile",
    "acknowledge",
    "acknowledgement_report",
    "adopt_policy",
    "adopt_starter_pack",
    "approve_policy",
    "current_version",
    "diff_policy_versions",
    "find_version",
    "list_versions",
    "new_policy_version",
    "publish_policy",
    "read_policy_file",
    "record_approval",
    "record_publication",
    "validate_policy_file",
    "workspace_policy_file",
]

POLICY_FILE = "politique.yaml"
"""The adopted policy's file name in ``<workspace>/policies/`` (as the audited runs read it)."""

DocumentKind = Literal["internal", "external"]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = ("internal", "external")


@dataclass(frozen=True)
class PolicyFile:
    """A policy file read from disk: its path, text, SHA-256 and validated content."""

    path: Path
    text: str
    policy: Policy

    @property
    def sha256(self) -> str:
        return sha256_bytes(self.text.encode("utf-8"))


def workspace_policy_file(workspace: Workspace) -> Path:
    return workspace.policies_dir / POLICY_FILE


def read_policy_file(path: Path) -> PolicyFile:
    """Read and validate a policy file (errors name the file, the line and the field)."""
    policy = load_policy(path)
    return PolicyFile(path, path.read_text(encoding="utf-8"), policy)


def _adopted(workspace: Workspace) -> PolicyFile:
    path = workspace_policy_file(workspace)
    if not path.is_file():
        raise WorkspaceError(
            tr(
                "Aucune politique adoptée dans cet espace ({path} absent).",
                "No policy adopted in this workspace ({path} missing).",
                path=path,
            ),
            tr(
                "Adoptez un modèle : « garant policy adopt collectivite|agence|enquete ».",
                "Adopt a starter pack: 'garant policy adopt collectivite|agence|enquete'.",
            ),
        )
    return read_policy_file(path)


# --- adopt and validate -----------------------------------------------------------------------


def _set_organisation(text: str, source: str, kind: OrganisationKind, name: str) -> str:
    """The starter pack's text with ``organisation.kind`` and ``organisation.name`` set."""
    lines = text.splitlines()
    positions = parse_yaml_document(text, source).lines.lines
    parent = positions.get(("organisation",))
    if parent is None:
        raise InputError(
            tr(
                "{source} : le champ « organisation » manque.",
                "{source}: field 'organisation' is missing.",
                source=source,
            ),
            tr("Ajoutez organisation.kind et organisation.name.", "Add organisation fields."),
        )
    values = {"kind": kind.value, "name": json.dumps(name, ensure_ascii=False)}
    for key in ("name", "kind"):
        line = positions.get(("organisation", key))
        if line is not None and lines[line - 1].lstrip().startswith(f"{key}:"):
            indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]
            lines[line - 1] = f"{indent}{key}: {values[key]}"
        else:
            lines.insert(parent, f"  {key}: {values[key]}")
            positions = parse_yaml_document("\n".join(lines) + "\n", source).lines.lines
    return "\n".join(lines) + "\n"


def _set_contact(text: str, contact: str) -> str:
    """The pack's text with the placeholder public contact replaced by ``contact``."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith("contact:") and CONTACT_PLACEHOLDER in stripped:
            indent = line[: len(line) - len(stripped)]
            lines[index] = f"{indent}contact: {json.dumps(contact.strip(), ensure_ascii=False)}"
            return "\n".join(lines) + "\n"
    return text


def adopt_starter_pack(
    target: Path,
    kind: OrganisationKind | str,
    organisation_name: str,
    *,
    force: bool = False,
    contact: str | None = None,
) -> PolicyFile:
    """Copy the starter pack of ``kind`` to ``target`` with the organisation (and the public
    ``contact``, when given) filled in, as a draft (status draft, version 1, no approval).
    Refuses to overwrite unless ``force``."""
    source_path = starter_pack_path(kind)
    if target.exists() and not force:
        raise ConflictError(
            tr(
                "Une politique existe déjà : {path}.",
                "A policy already exists: {path}.",
                path=target,
            ),
            tr(
                "Modifiez-la, ou remplacez-la par le modèle avec --force (elle sera perdue).",
                "Edit it, or replace it with the starter pack using --force (it will be lost).",
            ),
        )
    text = source_path.read_text(encoding="utf-8")
    text = _set_organisation(text, str(source_path), OrganisationKind(kind), organisation_name)
    if contact and contact.strip():
        text = _set_contact(text, contact)
    text, policy = set_policy_fields(
        text, str(target), status=PolicyStatus.DRAFT, version=1, clear_approval=True
    )
    atomic_write_text(target, text)
    return PolicyFile(target, text, policy)


def adopt_policy(
    workspace: Workspace,
    kind: OrganisationKind | str | None = None,
    *,
    force: bool = False,
    contact: str | None = None,
) -> PolicyFile:
    """Adopt the starter pack of ``kind`` (default: the workspace's kind) as the draft policy,
    with the public ``contact`` when given (else the pack's « À COMPLÉTER » placeholder)."""
    chosen = kind or workspace.settings.organisation_kind
    return adopt_starter_pack(
        workspace_policy_file(workspace),
        chosen,
        workspace.settings.organisation_name,
        force=force,
        contact=contact,
    )


def validate_policy_file(path: Path) -> tuple[Policy, list[str]]:
    """Validate a policy file: the policy, and the warnings on risky allowances."""
    if not path.is_file():
        raise NotFoundError(
            tr("Fichier introuvable : {path}", "File not found: {path}", path=path),
            tr("Vérifiez le chemin.", "Check the path."),
        )
    policy = load_policy(path)
    return policy, policy_warnings(policy)


# --- store: versions --------------------------------------------------------------------------


def list_versions(session: Session, policy_id: str | None = None) -> list[PolicyVersion]:
    """Recorded versions, oldest first (of one policy id when given)."""
    statement = select(PolicyVersion)
    if policy_id is not None:
        statement = statement.where(PolicyVersion.policy_id == policy_id)
    statement = statement.order_by(col(PolicyVersion.policy_id), col(PolicyVersion.version))
    return list(session.exec(statement))


def find_version(session: Session, policy_id: str, version: int) -> PolicyVersion | None:
    return session.exec(
        select(PolicyVersion).where(
            PolicyVersion.policy_id == policy_id, PolicyVersion.version == version
        )
    ).first()


def current_version(session: Session, policy_id: str) -> PolicyVersion:
    """The version in force: the published one, else the latest approved one."""
    versions = list_versions(session, policy_id)
    for status in (PolicyStatus.PUBLISHED, PolicyStatus.APPROVED):
        matching = [v for v in versions if v.status == status.value]
        if matching:
            return matching[-1]
    raise NotFoundError(
        tr(
            "La politique « {id} » n'a encore aucune version approuvée.",
            "Policy '{id}' has no approved version yet.",
            id=policy_id,
        ),
        tr(
            "Faites-la approuver : « garant policy approve --by PERSONNE ».",
            "Get it approved: 'garant policy approve --by PERSON'.",
        ),
    )


def _approver_role(session: Session, policy: Policy, person: Person, on: date) -> RoleName:
    held = active_roles(session, person, on)
    for role in policy.roles.approve_policy:
        if role.value in held:
            return role
    raise PolicyRefusal(
        tr(
            "{who} ne peut pas approuver ni publier la politique : rôle requis parmi {allowed} "
            "(rôles détenus : {held}).",
            "{who} may not approve or publish the policy: role required among {allowed} "
            "(roles held: {held}).",
            who=person.full_name,
            allowed=", ".join(label(r.value) for r in policy.roles.approve_policy),
            held=", ".join(sorted(label(r) for r in held)) or "—",
        ),
        tr(
            "Demandez à une personne habilitée (roles.approve_policy de la politique), ou "
            "attribuez le rôle avec « garant roles assign ».",
            "Ask an authorised person (the policy's roles.approve_policy), or assign the role "
            "with 'garant roles assign'.",
        ),
        rule="policy.approve_role",
    )


def record_approval(
    session: Session,
    policy: Policy,
    text: str,
    person: Person,
    role: RoleName,
    on: date,
    actor: str,
) -> PolicyVersion:
    """Record an approved version (text already carrying its approval) and a ledger event."""
    from garant.audit.ledger import append_event

    if find_version(session, policy.id, policy.version) is not None:
        raise ConflictError(
            tr(
                "La version {v} de « {id} » est déjà enregistrée comme approuvée.",
                "Version {v} of '{id}' is already recorded as approved.",
                v=policy.version,
                id=policy.id,
            ),
            tr(
                "Créez une nouvelle version : « garant policy new-version ».",
                "Create a new version: 'garant policy new-version'.",
            ),
        )
    digest = sha256_bytes(text.encode("utf-8"))
    row = PolicyVersion(
        policy_id=policy.id,
        version=policy.version,
        status=PolicyStatus.APPROVED.value,
        title=policy.title,
        sha256=digest,
        text=text,
        approved_by_id=person.id,
        approved_by_name=person.full_name,
        approved_role=role.value,
        approved_on=on,
    )
    session.add(stamp_created(row, actor))
    session.flush()
    append_event(
        session,
        "policy_approved",
        {
            "policy": policy.label,
            "version": policy.version,
            "sha256": digest,
            "approved_by": person.key,
            "role": role.value,
            "approved_on": on.isoformat(),
        },
    )
    return row


def record_publication(
    session: Session, policy: Policy, text: str, person: Person, on: date, actor: str
) -> tuple[PolicyVersion, list[PolicyVersion]]:
    """Mark a version published and supersede the previously published ones."""
    from garant.audit.ledger import append_event

    row = find_version(session, policy.id, policy.version)
    if row is None:
        raise ConflictError(
            tr(
                "La version {v} de « {id} » n'a pas d'approbation enregistrée dans cet espace : "
                "elle ne peut pas être publiée.",
                "Version {v} of '{id}' has no approval recorded in this workspace: it cannot "
                "be published.",
                v=policy.version,
                id=policy.id,
            ),
            tr(
                "Faites-la approuver : « garant policy approve --by PERSONNE ».",
                "Get it approved: 'garant policy approve --by PERSON'.",
            ),
        )
    check_transition(PolicyStatus(row.status), PolicyStatus.PUBLISHED)
    # ``sha256`` stays the approved text's hash (what ``policy approve`` printed); the
    # published text (status line changed) is ``text``, its hash in the ledger event.
    digest = sha256_bytes(text.encode("utf-8"))
    row.status = PolicyStatus.PUBLISHED.value
    row.text = text
    row.published_on = on
    row.published_by_id = person.id
    session.add(stamp_updated(row, actor))
    superseded: list[PolicyVersion] = []
    for other in list_versions(session, policy.id):
        if other.version != policy.version and other.status == PolicyStatus.PUBLISHED.value:
            other.status = PolicyStatus.SUPERSEDED.value
            other.superseded_on = on
            session.add(stamp_updated(other, actor))
            superseded.append(other)
    session.flush()
    append_event(
        session,
        "policy_published",
        {
            "policy": policy.label,
            "version": policy.version,
            "sha256": digest,
            "published_by": person.key,
            "published_on": on.isoformat(),
            "superseded": [other.version for other in superseded],
        },
    )
    return row, superseded


# --- workspace actions (file + store in one transaction) -------------------------------------


@contextmanager
def _file_transaction(workspace: Workspace, path: Path) -> Iterator[tuple[Session, list[str]]]:
    """A unit of work whose ``pending`` file text is written just before the commit.

    The file is replaced atomically; if the commit then fails, its previous text is restored.
    The ledger anchor is updated after the commit.
    """
    from garant.audit.ledger import write_head
    from garant.store.engine import unit_of_work

    previous = path.read_text(encoding="utf-8") if path.exists() else None
    pending: list[str] = []
    written = False
    try:
        with unit_of_work(workspace.engine) as session:
            yield session, pending
            if pending:
                atomic_write_text(path, pending[-1])
                written = True
    except BaseException:
        if written and previous is not None:
            atomic_write_text(path, previous)
        raise
    write_head(workspace.engine, workspace.ledger_anchor)


@dataclass(frozen=True)
class LifecycleResult:
    policy: Policy
    row: PolicyVersion | None = None
    superseded: tuple[int, ...] = ()
    warnings: tuple[str, ...] = field(default=())


def _key_policy(workspace: Workspace, current: PolicyFile, action: str) -> Policy:
    """The policy whose ``roles.require_personal_key_for`` governs approving or publishing
    ``current``: the version in force if it requires the key, else the file itself (a draft
    cannot lift the requirement of the version it replaces)."""
    from garant.audit.policy_bridge import workspace_policy

    try:
        in_force = workspace_policy(workspace)
    except GarantError:
        return current.policy
    return in_force if action in in_force.roles.require_personal_key_for else current.policy


def _no_key() -> str:
    raise InputError(
        tr(
            "La politique exige la clé personnelle de la personne qui approuve ou publie.",
            "The policy requires the personal key of the person who approves or publishes.",
        ),
        tr(
            "Approuvez depuis la ligne de commande avec « --passphrase-env » (ou la saisie).",
            "Approve from the command line with '--passphrase-env' (or the prompt).",
        ),
    )


def _signed_lifecycle(
    workspace: Workspace,
    current: PolicyFile,
    action: Literal["approve", "publish"],
    by: str,
    passphrase: Callable[[], str] | None,
) -> SignedAction | None:
    """Open ``by``'s own key when the policy reserves ``action`` to personal keys."""
    from garant.signing.actions import sign_action
    from garant.store.engine import unit_of_work

    with unit_of_work(workspace.engine) as session:
        person = find_person(session, by, "--by").key
    return sign_action(
        workspace,
        _key_policy(workspace, current, action),
        action,
        person,
        target=current.policy.label,
        passphrase=passphrase or _no_key,
    )


def approve_policy(
    workspace: Workspace,
    by: str,
    on: date | None = None,
    *,
    passphrase: Callable[[], str] | None = None,
) -> LifecycleResult:
    """draft → approved by ``by``, who must hold a role of ``roles.approve_policy`` and, when
    the policy lists ``approve`` in ``roles.require_personal_key_for``, open her own key
    (``passphrase``). A refusal (role, key) is recorded in the ledger (``action_refused``)."""
    from garant.audit.refusals import refusals_recorded

    current = _adopted(workspace)
    with refusals_recorded(workspace, "approve", by, target=current.policy.label):
        signed = _signed_lifecycle(workspace, current, "approve", by, passphrase)
        return _approve(workspace, current, by, on, signed)


def _approve(
    workspace: Workspace,
    current: PolicyFile,
    by: str,
    on: date | None,
    signed: SignedAction | None,
) -> LifecycleResult:
    from garant.signing.actions import record_signed_action

    day = on or date.today()
    with _file_transaction(workspace, current.path) as (session, pending):
        recorded = find_version(session, current.policy.id, current.policy.version)
        if recorded is not None or current.policy.status is PolicyStatus.DRAFT:
            # A file claiming approval with none recorded is a draft (see garant.governance
            # .in_force); an approved version edited afterwards needs a new version.
            check_transition(current.policy.status, PolicyStatus.APPROVED)
        if contact_missing(current.policy):
            raise InputError(
                tr(
                    "{path} : le contact public (disclosure.contact) est encore à compléter ; "
                    "la politique ne peut pas être approuvée ainsi.",
                    "{path}: the public contact (disclosure.contact) is still to be filled "
                    "in; the policy cannot be approved like this.",
                    path=current.path,
                ),
                tr(
                    "Indiquez l'adresse ou la page où le public écrit à votre organisation, "
                    "puis relancez l'approbation.",
                    "Give the address or page where the public writes to your organisation, "
                    "then approve again.",
                ),
            )
        person = find_person(session, by, "--by")
        role = _approver_role(session, current.policy, person, day)
        approval = Approval(approved_by=person.full_name, role=role, approved_on=day)
        text, policy = set_policy_fields(
            current.text, str(current.path), status=PolicyStatus.APPROVED, approval=approval
        )
        row = record_approval(session, policy, text, person, role, day, workspace.actor)
        record_signed_action(session, signed)
        pending.append(text)
    return LifecycleResult(policy, row, warnings=tuple(policy_warnings(policy)))


def publish_policy(
    workspace: Workspace,
    by: str,
    on: date | None = None,
    *,
    passphrase: Callable[[], str] | None = None,
) -> LifecycleResult:
    """approved → published; the previously published version becomes superseded. Same role
    and personal-key rules as :func:`approve_policy` (``publish`` in
    ``roles.require_personal_key_for``); a refusal is recorded in the ledger."""
    from garant.audit.refusals import refusals_recorded

    current = _adopted(workspace)
    check_transition(current.policy.status, PolicyStatus.PUBLISHED)
    with refusals_recorded(workspace, "publish", by, target=current.policy.label):
        signed = _signed_lifecycle(workspace, current, "publish", by, passphrase)
        return _publish(workspace, current, by, on, signed)


def _publish(
    workspace: Workspace,
    current: PolicyFile,
    by: str,
    on: date | None,
    signed: SignedAction | None,
) -> LifecycleResult:
    from garant.signing.actions import record_signed_action

    day = on or date.today()
    with _file_transaction(workspace, current.path) as (session, pending):
        recorded = find_version(session, current.policy.id, current.policy.version)
        if recorded is not None and current.sha256 not in recorded_hashes(recorded):
            raise ConflictError(
                tr(
                    "Le fichier {path} a été modifié depuis l'approbation de {label} (SHA-256 "
                    "{file}… au lieu de {approved}…) : on ne publie que la version approuvée.",
                    "File {path} was edited since {label} was approved (SHA-256 {file}… "
                    "instead of {approved}…): only the approved version can be published.",
                    path=current.path.name,
                    label=current.policy.label,
                    file=current.sha256[:16],
                    approved=recorded.sha256[:16],
                ),
                tr(
                    "Créez une nouvelle version (garant policy new-version) et faites-la "
                    "approuver, ou rétablissez le texte approuvé (garant policy history).",
                    "Create a new version (garant policy new-version) and get it approved, or "
                    "restore the approved text (garant policy history).",
                ),
            )
        person = find_person(session, by, "--by")
        _approver_role(session, current.policy, person, day)
        text, policy = set_policy_fields(
            current.text, str(current.path), status=PolicyStatus.PUBLISHED
        )
        row, superseded = record_publication(session, policy, text, person, day, workspace.actor)
        record_signed_action(session, signed)
        pending.append(text)
    return LifecycleResult(policy, row, tuple(v.version for v in superseded))


def new_policy_version(workspace: Workspace) -> LifecycleResult:
    """Start version N+1 as a draft from the current approved or published file."""
    current = _adopted(workspace)
    if current.policy.status is PolicyStatus.DRAFT:
        raise ConflictError(
            tr(
                "La version {v} est encore un brouillon : modifiez-la directement.",
                "Version {v} is still a draft: edit it directly.",
                v=current.policy.version,
            ),
            tr(
                "Une nouvelle version se crée après approbation de la précédente.",
                "A new version is created once the previous one is approved.",
            ),
        )
    with _file_transaction(workspace, current.path) as (session, pending):
        next_version = current.policy.version + 1
        if find_version(session, current.policy.id, next_version) is not None:
            raise ConflictError(
                tr(
                    "La version {v} existe déjà dans l'historique.",
                    "Version {v} already exists in the history.",
                    v=next_version,
                ),
                tr("Voyez « garant policy history ».", "See 'garant policy history'."),
            )
        text, policy = set_policy_fields(
            current.text,
            str(current.path),
            status=PolicyStatus.DRAFT,
            version=next_version,
            clear_approval=True,
        )
        pending.append(text)
    return LifecycleResult(policy)


def _resolve_for_diff(session: Session, ref: str, current: PolicyFile | None) -> Policy:
    path = Path(ref)
    if path.is_file():
        return load_policy(path)
    number = ref.strip().lower().removeprefix("v")
    if not number.isdigit():
        raise InputError(
            tr(
                "« {ref} » n'est ni un numéro de version ni un fichier existant.",
                "'{ref}' is neither a version number nor an existing file.",
                ref=ref,
            ),
            tr(
                "Donnez deux numéros (garant policy diff 1 2) ou deux fichiers.",
                "Give two numbers (garant policy diff 1 2) or two files.",
            ),
        )
    if current is None:
        raise NotFoundError(
            tr(
                "Aucune politique adoptée : impossible de retrouver la version {n}.",
                "No adopted policy: cannot find version {n}.",
                n=number,
            ),
            tr("Comparez deux fichiers.", "Compare two files."),
        )
    version = int(number)
    row = find_version(session, current.policy.id, version)
    if row is not None:
        return parse_policy(
            row.text, f"{current.policy.id} v{version} ({tr('historique', 'history')})"
        )
    if version == current.policy.version:
        return current.policy
    known = [str(v.version) for v in list_versions(session, current.policy.id)]
    raise NotFoundError(
        tr(
            "Version {n} inconnue (versions enregistrées : {known} ; fichier : {file}).",
            "Unknown version {n} (recorded versions: {known}; file: {file}).",
            n=version,
            known=", ".join(known) or "—",
            file=current.policy.version,
        ),
        tr("Voyez « garant policy history ».", "See 'garant policy history'."),
    )


def diff_policy_versions(
    session: Session, before: str, after: str, current: PolicyFile | None
) -> str:
    """A readable rule-by-rule diff between two versions (store snapshots) or two files."""
    return render_diff(
        _resolve_for_diff(session, before, current), _resolve_for_diff(session, after, current)
    )


# --- acknowledgements -------------------------------------------------------------------------


def _check_document(document: str) -> DocumentKind:
    for kind in DOCUMENT_KINDS:
        if document == kind:
            return kind
    raise InputError(
        tr("Document inconnu : {d}", "Unknown document: {d}", d=document),
        tr(
            "Choisissez internal (guide interne) ou external (charte publique).",
            "Choose internal (internal guide) or external (public charter).",
        ),
    )


def acknowledge(
    session: Session,
    person_ref: str,
    policy_id: str,
    *,
    document: str = "internal",
    version: int | None = None,
    on: date | None = None,
    actor: str = "",
) -> PolicyAcknowledgement:
    """Record that a person read a document of a version (default: the version in force)."""
    from garant.audit.ledger import append_event

    kind = _check_document(document)
    person = find_person(session, person_ref)
    if version is None:
        row = current_version(session, policy_id)
    else:
        found = find_version(session, policy_id, version)
        if found is None:
            raise NotFoundError(
                tr(
                    "La version {v} de « {id} » n'a pas été approuvée.",
                    "Version {v} of '{id}' has not been approved.",
                    v=version,
                    id=policy_id,
                ),
                tr(
                    "On ne confirme la lecture que d'une version approuvée ; voyez « garant "
                    "policy history ».",
                    "Only an approved version can be acknowledged; see 'garant policy history'.",
                ),
            )
        row = found
    existing = session.exec(
        select(PolicyAcknowledgement).where(
            PolicyAcknowledgement.person_id == person.id,
            PolicyAcknowledgement.policy_id == policy_id,
            PolicyAcknowledgement.version == row.version,
            PolicyAcknowledgement.document == kind,
        )
    ).first()
    if existing is not None:
        raise ConflictError(
            tr(
                "{who} a déjà confirmé la lecture de la version {v} le {day}.",
                "{who} already confirmed reading version {v} on {day}.",
                who=person.full_name,
                v=row.version,
                day=format_date(existing.acknowledged_on),
            ),
            tr("Rien à faire.", "Nothing to do."),
        )
    acknowledgement = PolicyAcknowledgement(
        person_id=person.id or 0,
        policy_id=policy_id,
        version=row.version,
        document=kind,
        acknowledged_on=on or date.today(),
    )
    session.add(stamp_created(acknowledgement, actor))
    session.flush()
    append_event(
        session,
        "acknowledgement",
        {
            "person": person.key,
            "policy": f"{policy_id} v{row.version}",
            "document": kind,
            "sha256": row.sha256,
            "on": acknowledgement.acknowledged_on.isoformat(),
        },
    )
    return acknowledgement


@dataclass(frozen=True)
class AcknowledgementRow:
    """Per person: the latest version read (per document) and whether it is the current one."""

    person_key: str
    person_name: str
    current_version: int
    internal_version: int | None
    internal_on: date | None
    external_version: int | None
    external_on: date | None

    @property
    def read_current(self) -> bool:
        """Read the current version's internal guide (or, failing that, its public charter)."""
        return self.current_version in (self.internal_version, self.external_version)


def acknowledgement_report(
    session: Session, policy_id: str, people: list[Person] | None = None
) -> list[AcknowledgementRow]:
    """Every registered person with what they confirmed reading; not-yet-read ones first."""
    current = current_version(session, policy_id).version
    acknowledgements = list(
        session.exec(
            select(PolicyAcknowledgement).where(PolicyAcknowledgement.policy_id == policy_id)
        )
    )
    rows: list[AcknowledgementRow] = []
    for person in people if people is not None else list_people(session):
        mine = [a for a in acknowledgements if a.person_id == person.id]
        latest: dict[str, PolicyAcknowledgement] = {}
        for ack in sorted(mine, key=lambda a: (a.version, a.acknowledged_on)):
            latest[ack.document] = ack
        internal, external = latest.get("internal"), latest.get("external")
        rows.append(
            AcknowledgementRow(
                person_key=person.key,
                person_name=person.full_name,
                current_version=current,
                internal_version=internal.version if internal else None,
                internal_on=internal.acknowledged_on if internal else None,
                external_version=external.version if external else None,
                external_on=external.acknowledged_on if external else None,
            )
        )
    rows.sort(key=lambda r: (r.read_current, r.person_name))
    return rows
