"""Personal keys: created or imported, protected by a passphrase, able to sign and verify."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from typer.testing import CliRunner

import garant.signing
from garant.cli.main import app
from garant.errors import ConflictError, GarantError, InputError, NotFoundError
from garant.signing.keys import (
    create_person_key,
    import_person_pkcs12,
    list_person_keys,
    load_person_key,
    sign_bytes,
    verify_signature,
)

PASS = "phrase secrète 42"


def test_created_key_is_a_protected_pkcs12_with_a_public_certificate(tmp_path: Path) -> None:
    key = create_person_key(
        tmp_path, "claire-martin", PASS, common_name="Claire Martin", email="c@example.fr"
    )
    assert key.pkcs12_path == tmp_path / "private" / "keys" / "claire-martin.p12"
    assert key.certificate_path == tmp_path / "keys" / "claire-martin.pem"
    assert stat.S_IMODE(key.pkcs12_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.pkcs12_path.parent.stat().st_mode) == 0o700
    certificate = x509.load_pem_x509_certificate(key.certificate_path.read_bytes())
    assert key.fingerprint_sha256 == certificate.fingerprint(hashes.SHA256()).hex()
    assert (
        ":" not in key.fingerprint_sha256
        and key.fingerprint_sha256 == key.fingerprint_sha256.lower()
    )
    assert "CN=Claire Martin" in key.subject
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert key.not_after - key.not_before >= timedelta(days=1095)
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(key.pkcs12_path.read_bytes(), None)


def test_loaded_key_signs_and_only_the_exact_data_verifies(tmp_path: Path) -> None:
    key = create_person_key(tmp_path, "paul", PASS, common_name="Paul")
    loaded = load_person_key(tmp_path, "paul", PASS)
    assert loaded.certificate.fingerprint(hashes.SHA256()).hex() == key.fingerprint_sha256
    assert loaded.pkcs12_path == key.pkcs12_path
    signature = sign_bytes(loaded, b"seq=12 hash=abc")
    pem = key.certificate_path.read_bytes()
    assert verify_signature(pem, b"seq=12 hash=abc", signature)
    assert not verify_signature(pem, b"seq=13 hash=abc", signature)
    assert not verify_signature(
        pem, b"seq=12 hash=abc", signature[:-1] + bytes([signature[-1] ^ 1])
    )
    other = create_person_key(tmp_path, "eve", PASS, common_name="Eve")
    assert not verify_signature(other.certificate_path.read_bytes(), b"seq=12 hash=abc", signature)


def test_wrong_passphrase_is_a_french_error(tmp_path: Path) -> None:
    create_person_key(tmp_path, "paul", PASS, common_name="Paul")
    with pytest.raises(GarantError) as raised:
        load_person_key(tmp_path, "paul", "pas la bonne phrase")
    assert "phrase secrète incorrecte" in raised.value.message
    assert raised.value.hint


def test_missing_key_and_existing_key_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="pas de clé personnelle"):
        load_person_key(tmp_path, "paul", PASS)
    create_person_key(tmp_path, "paul", PASS, common_name="Paul")
    with pytest.raises(ConflictError, match="déjà une clé"):
        create_person_key(tmp_path, "paul", PASS, common_name="Paul")


def test_bad_person_slug_and_short_passphrase_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Identifiant de personne invalide"):
        create_person_key(tmp_path, "../evil", PASS, common_name="X")
    with pytest.raises(InputError, match="trop courte"):
        create_person_key(tmp_path, "paul", "court", common_name="X")
    assert not (tmp_path / "private" / "keys" / "paul.p12").exists()


def _rgs_like_pkcs12(path: Path, passphrase: str) -> x509.Certificate:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "AC Test RGS")])
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Agent Public")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"agent",
            key,
            certificate,
            None,
            serialization.BestAvailableEncryption(passphrase.encode()),
        )
    )
    return certificate


def test_imported_rsa_pkcs12_is_kept_and_signs(tmp_path: Path) -> None:
    source = tmp_path / "rgs.p12"
    certificate = _rgs_like_pkcs12(source, PASS)
    with pytest.raises(InputError):
        import_person_pkcs12(tmp_path, "agent", source, "mauvaise phrase")
    key = import_person_pkcs12(tmp_path, "agent", source, PASS)
    assert key.pkcs12_path.read_bytes() == source.read_bytes()
    assert key.fingerprint_sha256 == certificate.fingerprint(hashes.SHA256()).hex()
    assert key.subject == "CN=Agent Public"
    signature = sign_bytes(load_person_key(tmp_path, "agent", PASS), b"data")
    assert verify_signature(key.certificate_path.read_bytes(), b"data", signature)


def test_list_person_keys_reads_the_public_certificates(tmp_path: Path) -> None:
    assert list_person_keys(tmp_path) == []
    create_person_key(tmp_path, "zoe", PASS, common_name="Zoé")
    create_person_key(tmp_path, "adam", PASS, common_name="Adam")
    assert [key.person for key in list_person_keys(tmp_path)] == ["adam", "zoe"]


def test_signing_package_exports_its_public_api() -> None:
    for name in garant.signing.__all__:
        assert hasattr(garant.signing, name)
    assert "create_person_key" in garant.signing.__all__


runner = CliRunner()


def _with_person(workspace_root: Path) -> None:
    result = runner.invoke(
        app,
        ["-w", str(workspace_root), "people", "add", "Claire Martin", "--email", "claire@ex.fr"],
    )
    assert result.exit_code == 0, result.stderr


def test_keys_create_cli_records_the_fingerprint_in_the_ledger(
    workspace_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_person(workspace_root)
    monkeypatch.setenv("CLAIRE_PASS", PASS)
    result = runner.invoke(
        app,
        [
            "-w",
            str(workspace_root),
            "keys",
            "create",
            "claire-martin",
            "--passphrase-env",
            "CLAIRE_PASS",
        ],
    )
    assert result.exit_code == 0, result.stderr
    listed = runner.invoke(app, ["-w", str(workspace_root), "keys", "list", "--json"])
    [key] = json.loads(listed.stdout)
    assert key["person"] == "claire-martin"
    assert "CN=Claire Martin" in key["subject"]
    assert key["fingerprint_sha256"] in result.stderr

    from sqlmodel import select

    from garant.domain.models import LedgerEntry
    from garant.store.engine import unit_of_work
    from garant.workspace import open_workspace

    workspace = open_workspace(workspace_root)
    with unit_of_work(workspace.engine) as session:
        events = [e for e in session.exec(select(LedgerEntry)) if e.event == "key_registered"]
    workspace.close()
    [event] = events
    payload = json.loads(event.payload)
    assert payload["fingerprint_sha256"] == key["fingerprint_sha256"]
    assert payload["origin"] == "created"
    verified = runner.invoke(app, ["-w", str(workspace_root), "audit", "verify"])
    assert verified.exit_code == 0, verified.stdout + verified.stderr


def test_keys_create_cli_prompts_twice_and_imports_pkcs12(workspace_root: Path) -> None:
    _with_person(workspace_root)
    typed = runner.invoke(
        app,
        ["-w", str(workspace_root), "keys", "create", "claire-martin"],
        input=f"{PASS}\n{PASS}\n",
    )
    assert typed.exit_code == 0, typed.stderr
    runner.invoke(
        app, ["-w", str(workspace_root), "people", "add", "Agent Public", "--by", "claire-martin"]
    )
    source = workspace_root / "rgs.p12"
    _rgs_like_pkcs12(source, PASS)
    imported = runner.invoke(
        app,
        ["-w", str(workspace_root), "keys", "create", "agent-public", "--pkcs12", str(source)],
        input=f"{PASS}\n",
    )
    assert imported.exit_code == 0, imported.stderr
    listed = runner.invoke(app, ["-w", str(workspace_root), "keys", "list"])
    assert "agent-public" in listed.stdout and "claire-martin" in listed.stdout


def test_keys_create_cli_missing_env_var_exits_2(workspace_root: Path) -> None:
    _with_person(workspace_root)
    result = runner.invoke(
        app,
        [
            "-w",
            str(workspace_root),
            "keys",
            "create",
            "claire-martin",
            "--passphrase-env",
            "NOPE_VAR",
        ],
    )
    assert result.exit_code == 2
    assert "NOPE_VAR" in result.stderr
    assert not (workspace_root / "private" / "keys" / "claire-martin.p12").exists()
