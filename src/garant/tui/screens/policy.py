"""Politique: the adopted file and its versions, diff, validate, approve/publish (with role)."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from garant.i18n import format_date, state_word, tr
from garant.tui.screens.base import GarantScreen
from garant.tui.screens.confirm import ConfirmScreen
from garant.tui.widgets.forms import FieldSpec, FormScreen

__all__ = ["PolicyScreen"]


def _status_words(status: str) -> str:
    words = {"approved": tr("approuvée", "approved"), "published": tr("publiée", "published")}
    return words.get(status, status)


class PolicyScreen(GarantScreen):
    AUTO_FOCUS = "#policy-versions"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "validate", "Valider", id="policy-validate"),
        Binding("a", "approve", "Approuver", id="policy-approve"),
        Binding("p", "publish", "Publier", id="policy-publish"),
        Binding("d", "diff", "Comparer", id="policy-diff"),
        Binding("n", "new_version", "Nouvelle version", id="policy-new-version"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_frame()
        yield Static(id="policy-summary")
        with Horizontal():
            yield DataTable(id="policy-versions", cursor_type="row")
            with VerticalScroll(id="policy-output", classes="detail"):
                yield Static(id="policy-output-text")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = tr("Politique", "Policy")
        self.query_one("#policy-versions", DataTable).add_columns(
            "Version",
            tr("Statut", "Status"),
            tr("Approuvée par", "Approved by"),
            tr("Le", "On"),
            "SHA-256",
        )

    def reload(self) -> None:
        from garant.governance.lifecycle import (
            list_versions,
            read_policy_file,
            workspace_policy_file,
        )

        current = self.attempt(lambda: read_policy_file(workspace_policy_file(self.workspace)))
        summary = self.query_one("#policy-summary", Static)
        if current is not None:
            policy = current.policy
            summary.update(
                tr(
                    "Fichier adopté : {p} — « {t} » version {v}, statut {s} (SHA-256 {h}…)\n"
                    "Agissant : {a}. Approuver ou publier demande un rôle de roles.approve_policy.",
                    "Adopted file: {p} — '{t}' version {v}, status {s} (SHA-256 {h}…)\n"
                    "Acting: {a}. Approving or publishing needs a role of roles.approve_policy.",
                    p=current.path.name,
                    t=policy.title,
                    v=policy.version,
                    s=state_word(str(policy.status.value)).upper(),
                    h=current.sha256[:12],
                    a=self.actor,
                )
            )
        rows = self.in_session(
            lambda s: [
                (
                    str(v.version),
                    state_word(v.status).upper(),
                    v.approved_by_name or "—",
                    format_date(v.approved_on),
                    v.sha256[:12],
                )
                for v in list_versions(s)
            ]
        )
        table = self.query_one("#policy-versions", DataTable)
        table.clear()
        for row in rows or []:
            table.add_row(*row)

    def _output(self, text: str) -> None:
        self.query_one("#policy-output-text", Static).update(text)

    def action_validate(self) -> None:
        from garant.governance.lifecycle import validate_policy_file, workspace_policy_file

        self.reload()  # the file may have been edited outside since the screen was shown
        found = self.attempt(lambda: validate_policy_file(workspace_policy_file(self.workspace)))
        if found is None:
            return
        policy, warnings = found
        lines = [
            tr(
                "✓ Politique valide : {t} v{v}",
                "✓ Valid policy: {t} v{v}",
                t=policy.title,
                v=policy.version,
            )
        ]
        lines += [f"⚠ {w}" for w in warnings]
        self._output("\n".join(lines))

    def _diff_defaults(self) -> dict[str, str]:
        """The latest recorded version against the adopted file's version."""
        from garant.governance.lifecycle import (
            list_versions,
            read_policy_file,
            workspace_policy_file,
        )

        path = workspace_policy_file(self.workspace)
        recorded = self.in_session(lambda s: [v.version for v in list_versions(s)]) or []
        if not path.is_file():
            return {}
        current = read_policy_file(path).policy.version
        earlier = [v for v in recorded if v < current] or recorded
        return {"before": str(max(earlier)) if earlier else "", "after": str(current)}

    def action_new_version(self) -> None:
        """Start version N+1 as a draft (the way to change an approved policy)."""
        from garant.governance.lifecycle import new_policy_version

        result = self.attempt(lambda: new_policy_version(self.workspace))
        if result is not None:
            self.garant.show_done(
                tr(
                    "Version {v} créée en brouillon : modifiez {f}, puis approuvez-la (a).",
                    "Version {v} created as a draft: edit {f}, then approve it (a).",
                    v=result.policy.version,
                    f="policies/politique.yaml",
                )
            )
        self.reload()

    def _lifecycle(self, verb: str) -> None:
        from garant.governance.lifecycle import approve_policy, publish_policy

        service = approve_policy if verb == "approve" else publish_policy
        question = (
            tr(
                "Approuver la politique en tant que {a} ?",
                "Approve the policy as {a}?",
                a=self.actor,
            )
            if verb == "approve"
            else tr(
                "Publier la politique en tant que {a} ?", "Publish the policy as {a}?", a=self.actor
            )
        )

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            result = self.attempt(lambda: service(self.workspace, self.actor))
            if result is not None:
                self.garant.show_done(
                    tr(
                        "Politique {s} (version {v}).",
                        "Policy {s} (version {v}).",
                        s=_status_words(result.policy.status.value),
                        v=result.policy.version,
                    )
                )
                self._output("\n".join(f"⚠ {w}" for w in result.warnings))
            self.reload()

        self.app.push_screen(
            ConfirmScreen(
                question,
                tr(
                    "Enregistré au registre de preuve ; irréversible.",
                    "Recorded in the ledger; irreversible.",
                ),
            ),
            confirmed,
        )

    def action_approve(self) -> None:
        self._lifecycle("approve")

    def action_publish(self) -> None:
        self._lifecycle("publish")

    def action_diff(self) -> None:
        from garant.governance.lifecycle import (
            diff_policy_versions,
            read_policy_file,
            workspace_policy_file,
        )

        def submit(values: dict[str, Any]) -> str:
            path = workspace_policy_file(self.workspace)
            current = read_policy_file(path) if path.is_file() else None

            def read(session: Session) -> str:
                return diff_policy_versions(
                    session, str(values["before"]), str(values["after"]), current
                )

            with self.transaction() as session:
                self._output(read(session))
            return tr("Comparaison affichée.", "Comparison shown.")

        self.app.push_screen(
            FormScreen(
                "policy:diff",
                tr("Politique : comparer deux versions", "Policy: compare two versions"),
                [
                    FieldSpec(
                        "before",
                        tr(
                            "Version avant (numéro ou fichier YAML)",
                            "Version before (number or YAML file)",
                        ),
                    ),
                    FieldSpec(
                        "after",
                        tr(
                            "Version après (numéro — celui du fichier adopté s'il n'est pas "
                            "encore approuvé — ou fichier YAML)",
                            "Version after (number — the adopted file's when not yet approved — "
                            "or YAML file)",
                        ),
                    ),
                ],
                self._diff_defaults(),
                submit,
            )
        )
