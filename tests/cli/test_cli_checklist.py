"""``garant checklist`` end to end: start (file or questions), answer with evidence, status."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from garant.cli.main import app
from garant.governance.checklists import PROFILE_QUESTIONS

runner = CliRunner()


def garant(root: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--workspace", str(root), *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def _chatbot(root: Path) -> None:
    assert (
        garant(
            root,
            "tools",
            "add",
            "Albert",
            "--access",
            "api",
            "--region",
            "FR",
        )[0]
        == 0
    )
    code, _, err = garant(
        root,
        "uses",
        "add",
        "Assistant",
        "--purpose",
        "Répondre aux habitants",
        "--stage",
        "collection",
        "--tool",
        "albert",
        "--data",
        "personal",
        "--key",
        "assistant",
    )
    assert code == 0, err


def test_start_from_file_then_status_writes_back_to_the_use(
    workspace_root: Path, tmp_path: Path
) -> None:
    _chatbot(workspace_root)
    answers = tmp_path / "profil.yaml"
    answers.write_text(
        "interacts_with_public: true\ngenerative: true\nlarge_scale: true\n", "utf-8"
    )
    code, _, err = garant(
        workspace_root, "checklist", "start", "assistant", "--answers", str(answers)
    )
    assert code == 0 and "50(1)" in err
    code, out, _ = garant(workspace_root, "checklist", "status", "assistant")
    assert code == 0
    assert "Profil RIA" in out and "AIPD : requise" in out and "Obligations ouvertes" in out
    _, out, _ = garant(workspace_root, "uses", "show", "assistant", "--json")
    use = json.loads(out)
    assert (use["ai_act_risk_class"], use["dpia_required"], use["disclosure_required"]) == (
        "limited",
        True,
        True,
    )


def test_interactive_start_asks_every_profile_question(workspace_root: Path) -> None:
    _chatbot(workspace_root)
    replies = []
    for question in PROFILE_QUESTIONS:
        if question.field in ("ai_system", "public_body", "interacts_with_public"):
            replies.append("y")
        elif question.kind == "bool":
            replies.append("n")
        elif question.field == "role":
            replies.append("peut-être")  # invalid: asked again
            replies.append("deployer")
        else:
            replies.append("")
    code, _, err = garant(
        workspace_root, "checklist", "start", "assistant", stdin="\n".join(replies) + "\n"
    )
    assert code == 0, err
    assert "deployer" in err  # the invalid reply was explained before asking again
    _, out, _ = garant(workspace_root, "checklist", "status", "assistant", "--json")
    assert json.loads(out)["ai_act"]["transparency_duties"] == ["50(1)"]


def test_answer_with_evidence_file_and_refusals(workspace_root: Path, tmp_path: Path) -> None:
    _chatbot(workspace_root)
    code, _, err = garant(workspace_root, "checklist", "status", "assistant")
    assert code == 2 and "garant checklist start assistant" in err
    answers = tmp_path / "profil.yaml"
    answers.write_text("interacts_with_public: true\n", "utf-8")
    garant(workspace_root, "checklist", "start", "assistant", "--answers", str(answers))
    proof = tmp_path / "emargement.pdf"
    proof.write_bytes(b"%PDF liste")
    code, _, err = garant(
        workspace_root,
        "checklist",
        "answer",
        "assistant",
        "RIA-4",
        "--status",
        "done",
        "--evidence-file",
        str(proof),
    )
    assert code == 0 and "1 preuve" in err
    _, out, _ = garant(workspace_root, "checklist", "status", "assistant", "--json")
    item = next(i for i in json.loads(out)["items"] if i["id"] == "RIA-4")
    assert item["status"] == "done" and item["satisfied"]
    code, _, err = garant(
        workspace_root, "checklist", "answer", "assistant", "RIA-4", "--status", "not_applicable"
    )
    assert code == 2 and "--note" in err
    code, _, err = garant(
        workspace_root,
        "checklist",
        "answer",
        "assistant",
        "RIA-4",
        "--status",
        "done",
        "--evidence-file",
        str(tmp_path / "absent.pdf"),
    )
    assert code == 2 and "absent.pdf" in err


def _french_replies() -> list[str]:
    replies = []
    for question in PROFILE_QUESTIONS:
        if question.field in ("ai_system", "public_body", "interacts_with_public"):
            replies.append("o")
        elif question.kind == "bool":
            replies.append("")  # default: non
        elif question.field == "role":
            replies.append("")  # empty: asked again, nothing thrown away
            replies.append("déployeur")
        else:
            replies.append("")
    return replies


def test_checklist_in_french_keyboard_replies_saved_one_by_one_and_resumed(
    workspace_root: Path,
) -> None:
    """Issue 12.1: « o » was an invalid input, « déployeur » was refused, and one empty reply
    at the end threw away every answer. Interrupted half-way, the checklist resumes."""
    _chatbot(workspace_root)
    replies = _french_replies()
    half = len(PROFILE_QUESTIONS) // 2
    code, _, first_err = garant(
        workspace_root, "checklist", "start", "assistant", stdin="\n".join(replies[:half]) + "\n"
    )
    assert code != 0  # input ran out: interrupted
    assert "Une réponse est attendue" in first_err  # the empty « role » reply was re-asked
    progress = workspace_root / "checklists" / "assistant.profil-en-cours.yaml"
    kept = progress.read_text(encoding="utf-8")
    assert "ai_system: true" in kept and "public_body: true" in kept
    code, out, err = garant(
        workspace_root, "checklist", "start", "assistant", stdin="\n".join(replies[half:]) + "\n"
    )
    assert code == 0, err
    assert "Reprise : 11 réponse(s) déjà données sur 25" in out + err
    assert not progress.exists()
    _, status, _ = garant(workspace_root, "checklist", "status", "assistant", "--json")
    result = json.loads(status)
    assert result["ai_act"]["role"] == "deployer"
    assert result["ai_act"]["transparency_duties"] == ["50(1)"]
