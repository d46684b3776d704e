"""The public transparency page: the organisation's approved AI uses, as HTML and JSON.

French administrations with more than 50 agents must publish the rules of the main algorithmic
processing they use (CRPA L.312-1-3); the AI Act's Art. 50 asks that people know when AI is at
work. ``garant registry publish`` writes a static page (``index.html``) and its data
(``registre-ia.json``) for the organisation's website: every *approved* use, its purpose, its
tools and where they process data, the human oversight, and whom to contact. Drafts, suspended
or retired uses are never listed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from garant.domain.enums import AIActRiskClass, RoleName, UseStatus, label
from garant.governance.charter_data import tool_hosting
from garant.governance.organisations import main_organisation
from garant.governance.people import people_with_role
from garant.governance.policy import Policy, hosting_label
from garant.governance.uses import list_uses
from garant.i18n import format_date, tr
from garant.util.files import atomic_write_text, sha256_bytes
from garant.workspace import Workspace

if TYPE_CHECKING:
    from garant.audit.ledger_view import LedgerView
    from garant.audit.verify import VerificationReport

__all__ = [
    "HTML_FILE",
    "JSON_FILE",
    "PublicRegister",
    "PublicTool",
    "PublicUse",
    "PublishedFiles",
    "build_public_register",
    "publish_register",
    "render_public_html",
    "write_public_register",
]

HTML_FILE = "index.html"
JSON_FILE = "registre-ia.json"


@dataclass(frozen=True)
class PublicTool:
    name: str
    vendor: str
    hosting: str


@dataclass(frozen=True)
class PublicUse:
    key: str
    title: str
    purpose: str
    stage: str
    data: str
    tools: tuple[PublicTool, ...]
    human_oversight: str
    risk_class: str
    ai_disclosure: str


@dataclass(frozen=True)
class PublicRegister:
    organisation: str
    contact: str
    policy: str
    published_on: date
    uses: tuple[PublicUse, ...]
    language: str = "fr"
    verification: str = ""
    """« Vérification du registre : intègre — N entrées, M lignes rejouées, le … » (the
    verification the page was built on), or the alteration found."""
    verified: bool = True
    checkpoint: str = ""
    """The latest signed checkpoint the ledger records."""
    withheld: tuple[str, ...] = ()
    """Approved uses left off the page because their registry rows do not verify."""
    policy_title: str = ""
    """How a reader names the policy (« Politique d'usage de l'IA…, version 1 »)."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["published_on"] = self.published_on.isoformat()
        return data


def _risk(value: str | None) -> str:
    if value is None:
        return tr("non encore évalué", "not yet assessed")
    names = {
        AIActRiskClass.PROHIBITED.value: tr("interdit", "prohibited"),
        AIActRiskClass.HIGH.value: tr("haut risque", "high risk"),
        AIActRiskClass.LIMITED.value: tr("risque limité (transparence)", "limited risk"),
        AIActRiskClass.MINIMAL.value: tr("risque minimal", "minimal risk"),
    }
    return names.get(value, value)


def build_public_register(
    session: Session,
    policy: Policy | None,
    *,
    today: date | None = None,
    verification: VerificationReport | None = None,
) -> PublicRegister:
    """What the public page lists: approved uses only, with their tools and oversight.

    With ``verification`` (``audit verify``'s, run once by :func:`publish_register`), the page
    states it and its latest checkpoint, and a use whose row — or one of its tools' rows — the
    ledger does not explain is withheld rather than published."""
    organisation = main_organisation(session)
    contact = policy.disclosure.contact if policy is not None else ""
    if not contact and organisation is not None:
        contact = organisation.contact_email
    if not contact:
        referents = people_with_role(session, RoleName.REFERENT_IA, today)
        contact = ", ".join(p.email or p.full_name for p in referents)
    reviewed = bool(policy and policy.human_review.required_before_publication)
    uses: list[PublicUse] = []
    withheld: list[str] = []
    ledger = _ledger_view(verification)
    for view in list_uses(session, UseStatus.APPROVED):
        if ledger is not None and not _verifies(ledger, [view.use, *view.tools]):
            withheld.append(view.use.key)
            continue
        oversight_parts = []
        if view.oversight is not None:
            oversight_parts.append(
                tr("contrôle : {who}", "oversight: {who}", who=view.oversight.full_name)
            )
        if reviewed:
            oversight_parts.append(
                tr("relecture humaine avant publication", "human review before publication")
            )
        oversight_parts.append(
            tr("aucune décision individuelle par l'IA", "no individual decision by the AI")
        )
        uses.append(
            PublicUse(
                key=view.use.key,
                title=view.use.title,
                purpose=view.use.purpose,
                stage=label(view.use.stage),
                data=", ".join(label(c) for c in view.use.data_categories),
                tools=tuple(
                    PublicTool(t.name, t.vendor, hosting_label(tool_hosting(t))) for t in view.tools
                ),
                human_oversight=" ; ".join(oversight_parts),
                risk_class=_risk(view.use.ai_act_risk_class),
                ai_disclosure=tr("oui", "yes")
                if view.use.disclosure_required
                else tr("selon la politique", "per the policy"),
            )
        )
    name = (policy.organisation.name if policy else "") or (
        organisation.name if organisation else ""
    )
    return PublicRegister(
        organisation=name or "—",
        contact=contact or "—",
        policy=policy.label if policy else "",
        policy_title=(
            tr("{t}, version {v}", "{t}, version {v}", t=policy.title, v=policy.version)
            if policy and policy.title
            else ""
        ),
        published_on=today or date.today(),
        uses=tuple(uses),
        language=policy.language if policy else "fr",
        **_verification_facts(verification),
        withheld=tuple(withheld),
    )


def _ledger_view(verification: VerificationReport | None) -> LedgerView | None:
    if verification is None:
        return None
    from garant.audit.ledger_view import LedgerView

    return LedgerView(verification)


def _verifies(view: LedgerView, rows: list[Any]) -> bool:
    for row in rows:
        verified = view.row(row)
        if verified is None or verified.flags:
            return False
    return True


def _verification_facts(verification: VerificationReport | None) -> dict[str, Any]:
    if verification is None:
        return {}
    from garant.audit.attestation import attest

    attestation = attest(verification)
    return {
        "verification": attestation.statement(),
        "verified": attestation.ok,
        "checkpoint": attestation.checkpoint_statement(),
    }


_PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t.title }} — {{ r.organisation }}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5;
       color: #1b1b1b; background: #fff; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
a { color: #000091; }
a:focus, summary:focus { outline: 3px solid #0a76f6; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; }
h1 { font-size: 1.8rem; margin-bottom: .25rem; } h2 { font-size: 1.3rem; margin-top: 2rem; }
.meta { color: #3a3a3a; }
article { border: 1px solid #ccc; border-radius: 6px; padding: 1rem 1.25rem; margin: 1rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dt { font-weight: 600; } dd { margin: 0; }
footer { margin-top: 2rem; border-top: 1px solid #ccc; padding-top: 1rem; font-size: .9rem; }
@media print { a { color: #000; } article { break-inside: avoid; } .skip { display: none; } }
</style>
</head>
<body>
<a class="skip" href="#usages">{{ t.skip }}</a>
<header>
<h1>{{ t.title }}</h1>
<p class="meta">{{ r.organisation }} — {{ t.updated }} {{ published }}{% if r.policy_title %} — {{ r.policy_title }}{% elif r.policy %} — {{ t.policy }} {{ r.policy }}{% endif %}</p>
</header>
<main id="usages">
<p>{{ t.intro }}</p>
<h2>{{ t.uses }} ({{ r.uses | length }})</h2>
{% for u in r.uses %}
<article aria-labelledby="use-{{ loop.index }}">
<h3 id="use-{{ loop.index }}">{{ u.title }}</h3>
<dl>
<dt>{{ t.purpose }}</dt><dd>{{ u.purpose }}</dd>
<dt>{{ t.stage }}</dt><dd>{{ u.stage }}</dd>
<dt>{{ t.tools }}</dt><dd>{% for tool in u.tools %}{{ tool.name }}{% if tool.vendor %}, {{ tool.vendor }}{% endif %} — {{ tool.hosting }}{% if not loop.last %} ; {% endif %}{% else %}—{% endfor %}</dd>
<dt>{{ t.data }}</dt><dd>{{ u.data }}</dd>
<dt>{{ t.oversight }}</dt><dd>{{ u.human_oversight }}</dd>
<dt>{{ t.risk }}</dt><dd>{{ u.risk_class }}</dd>
</dl>
</article>
{% else %}
<p>{{ t.none }}</p>
{% endfor %}
</main>
<footer>
<h2>{{ t.contact_title }}</h2>
<p>{{ t.contact }} {% if "@" in r.contact and " " not in r.contact %}<a href="mailto:{{ r.contact }}">{{ r.contact }}</a>{% elif r.contact.startswith("http") %}<a href="{{ r.contact }}">{{ r.contact }}</a>{% else %}{{ r.contact }}{% endif %}</p>
<p>{{ t.legal }} <a href="{{ json_file }}">{{ json_file }}</a></p>
{% if r.verification %}
<p class="verification"{% if not r.verified %} role="alert" style="color: #b00020; font-weight: bold;"{% endif %}>{% if not r.verified %}⚠ {% endif %}{{ r.verification }}.{% if r.withheld %} {{ t.withheld }} {{ r.withheld | join(", ") }}.{% endif %}</p>
<p class="checkpoint">{{ r.checkpoint }}</p>
{% endif %}
</footer>
</body>
</html>
"""


def _labels() -> dict[str, str]:
    return {
        "title": tr("Usages de l'intelligence artificielle", "Uses of artificial intelligence"),
        "skip": tr("Aller à la liste des usages", "Skip to the list of uses"),
        "updated": tr("mis à jour le", "updated on"),
        "policy": tr("politique", "policy"),
        "intro": tr(
            "Cette page liste les usages de l'intelligence artificielle approuvés par notre "
            "organisation dans la participation citoyenne : à quoi ils servent, avec quels "
            "outils, sur quelles données, et quel contrôle humain s'exerce. Aucune décision "
            "individuelle n'est prise par une IA.",
            "This page lists the uses of artificial intelligence our organisation has approved "
            "in citizen participation: what they are for, with which tools, on which data, and "
            "what human oversight applies. No individual decision is taken by an AI.",
        ),
        "uses": tr("Usages en service", "Uses in service"),
        "purpose": tr("Finalité", "Purpose"),
        "stage": tr("Étape", "Stage"),
        "tools": tr("Outils et hébergement", "Tools and hosting"),
        "data": tr("Données traitées", "Data processed"),
        "oversight": tr("Contrôle humain", "Human oversight"),
        "risk": tr("Classement (règlement IA)", "Classification (AI Act)"),
        "none": tr("Aucun usage de l'IA n'est en service.", "No AI use is in service."),
        "withheld": tr(
            "Usages non publiés tant que leur inscription au registre ne se vérifie pas :",
            "Uses not published while their registry record does not verify:",
        ),
        "contact_title": tr("Poser une question", "Ask a question"),
        "contact": tr(
            "Pour toute question sur ces usages, demander une explication ou contester un "
            "document :",
            "For any question about these uses, to ask for an explanation or contest a document:",
        ),
        "legal": tr(
            "Inventaire publié au titre de l'article L.312-1-3 du code des relations entre le "
            "public et l'administration et dans l'esprit de l'article 50 du règlement européen "
            "sur l'IA. Données ouvertes :",
            "Inventory published under Article L.312-1-3 of the French code of relations "
            "between the public and the administration, in the spirit of Article 50 of the EU "
            "AI Act. Open data:",
        ),
    }


def render_public_html(register: PublicRegister) -> str:
    """The page as HTML (autoescaped: names and purposes are shown as text)."""
    from jinja2 import Environment, StrictUndefined

    environment = Environment(
        autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True
    )
    return environment.from_string(_PAGE).render(
        r=register,
        t=_labels(),
        lang=register.language,
        published=format_date(register.published_on),
        json_file=JSON_FILE,
    )


@dataclass(frozen=True)
class PublishedFiles:
    html: Path
    json: Path
    hashes: dict[str, str]
    verification: str = ""
    """The verification statement the page carries (and the uses withheld, if any)."""


def write_public_register(register: PublicRegister, folder: Path) -> PublishedFiles:
    """Write ``index.html`` and ``registre-ia.json`` atomically; return their SHA-256."""
    html = render_public_html(register)
    data = json.dumps(register.to_dict(), ensure_ascii=False, indent=2) + "\n"
    html_path = atomic_write_text(folder / HTML_FILE, html, 0o644)  # served by a web server
    json_path = atomic_write_text(folder / JSON_FILE, data, 0o644)
    return PublishedFiles(
        html_path,
        json_path,
        {
            HTML_FILE: sha256_bytes(html.encode("utf-8")),
            JSON_FILE: sha256_bytes(data.encode("utf-8")),
        },
    )


def publish_register(
    workspace: Workspace, folder: Path | None = None, *, today: date | None = None
) -> PublishedFiles:
    """Build and write the public page of a workspace, and record an ``export`` ledger event.

    The page goes to ``<workspace>/exports/transparence/`` unless ``folder`` is given. The
    policy is read when adopted (its contact and version appear on the page).
    """
    from garant.audit.ledger import append_event, write_head
    from garant.audit.run import ledger_anchor
    from garant.audit.verify import verify_workspace
    from garant.governance.lifecycle import workspace_policy_file
    from garant.governance.policy import load_policy
    from garant.store.engine import unit_of_work

    target = folder if folder is not None else workspace.exports_dir / "transparence"
    policy_path = workspace_policy_file(workspace)
    policy = load_policy(policy_path) if policy_path.is_file() else None
    verification = verify_workspace(workspace, check_mlflow=False)
    with unit_of_work(workspace.engine) as session:
        register = build_public_register(session, policy, today=today, verification=verification)
        files = write_public_register(register, target)
        append_event(
            session,
            "export",
            {
                "kind": "public_register",
                "folder": str(target),
                "files": files.hashes,
                "uses": [use.key for use in register.uses],
                "policy": register.policy,
                "verified": register.verified,
                "withheld": list(register.withheld),
            },
        )
    write_head(workspace.engine, ledger_anchor(workspace))
    statement = register.verification + (
        tr(
            " — usages non publiés : {u}",
            " — uses not published: {u}",
            u=", ".join(register.withheld),
        )
        if register.withheld
        else ""
    )
    return PublishedFiles(files.html, files.json, files.hashes, statement)
