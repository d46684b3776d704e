"""When pseudonymisation applies, no personal data of the labelled French set leaves the machine:
not in any prompt sent to the gateway, not in any MLflow param, artifact or span."""

from __future__ import annotations

from garant.audit.mlflow_mirror import flush_mirror
from garant.audit.run import audited_run
from garant.llm.testing import RecordingGateway
from garant.llm.types import ChatMessage
from garant.privacy.evaluation import build_labelled_set
from garant.workspace import Workspace


def test_no_raw_value_of_the_labelled_set_reaches_gateway_or_mlflow(
    audit_workspace: Workspace,
) -> None:
    items = build_labelled_set(220)
    values = sorted({value for item in items for value in item.values})
    assert len(values) > 250
    gateway = RecordingGateway()
    batches = [items[i : i + 20] for i in range(0, len(items), 20)]
    for _ in batches:
        gateway.enqueue("Synthèse : <PERSONNE_1> et d'autres habitants s'expriment.")
    corpus = "\n".join(item.text for item in items)
    with audited_run(
        audit_workspace,
        use="synthese",
        kind="synthesis",
        operator="claire-martin",
        model_alias="eu-api",
        gateway=gateway,
        pseudonymisation_mode="full",
    ) as run:
        run.add_input("contributions.txt", corpus)
        for batch in batches:
            answer = run.complete([ChatMessage("user", "\n".join(item.text for item in batch))])
        run.add_output("synthese.md", answer.text)
    sent = "\n".join(message.content for call in gateway.calls for message in call.messages)
    leaked_to_gateway = [value for value in values if value in sent]
    assert leaked_to_gateway == []
    flush_mirror(audit_workspace)
    mlflow_text = "\n".join(
        path.read_bytes().decode("utf-8", errors="replace")
        for path in (audit_workspace.root / "mlflow").rglob("*")
        if path.is_file()
    )
    assert "<PERSONNE_" in mlflow_text  # the pseudonymised copy and spans are there…
    leaked_to_mlflow = [value for value in values if value in mlflow_text]
    assert leaked_to_mlflow == []  # …but no original value
