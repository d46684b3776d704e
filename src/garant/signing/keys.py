"""Personal keys: one key pair and X.509 certificate per named person, kept in the workspace.

A person's private key lives in a passphrase-protected PKCS#12 file under
``private/keys/<person>.p12`` (mode 0600, folder 0700); the public certificate is written beside
the workspace's other public material under ``keys/<person>.pem`` so that anyone can check a
signature. The same key signs ledger checkpoints, approvals and PDF annexes (its certificate
carries the *digitalSignature* and *nonRepudiation* key usages that PDF signing expects).

A key is either created here (ECDSA P-256, self-signed certificate) or imported from an existing
PKCS#12 file (a certificate issued under the RGS, for instance), which is copied unchanged after
its passphrase has been checked.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from garant.errors import ConflictError, InputError, NotFoundError
from garant.i18n import tr
from garant.util.files import atomic_write_bytes

__all__ = [
    "LoadedPersonKey",
    "PersonKey",
    "create_person_key",
    "import_person_pkcs12",
    "list_person_keys",
    "load_person_key",
    "person_certificate_path",
    "person_key_info",
    "person_pkcs12_path",
    "sign_bytes",
    "verify_signature",
]

PERSON_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,119}$")
SignableKey = (
    rsa.RSAPrivateKey
    | ec.EllipticCurvePrivateKey
    | ed25519.Ed25519PrivateKey
    | ed448.Ed448PrivateKey
)


@dataclass(frozen=True)
class PersonKey:
    """What is publicly known of a person's key: where it lies and what its certificate says."""

    person: str
    pkcs12_path: Path
    certificate_path: Path
    fingerprint_sha256: str
    """SHA-256 of the certificate's DER encoding, lowercase hex without colons."""
    subject: str
    not_before: datetime
    not_after: datetime


@dataclass(frozen=True)
class LoadedPersonKey:
    """A person's key opened with its passphrase: ready to sign."""

    private_key: SignableKey
    certificate: x509.Certificate
    chain: list[x509.Certificate]
    pkcs12_path: Path


def _root(workspace: object) -> Path:
    """The workspace folder, from a :class:`~garant.workspace.Workspace` or a path."""
    if isinstance(workspace, Path | str):
        return Path(workspace)
    root = getattr(workspace, "root", None)
    if not isinstance(root, Path):
        raise TypeError(f"workspace or path expected, got {type(workspace).__name__}")
    return root


def _checked_person(person: str) -> str:
    if not PERSON_PATTERN.match(person):
        raise InputError(
            tr(
                "Identifiant de personne invalide pour une clé : « {p} ».",
                "Invalid person identifier for a key: '{p}'.",
                p=person,
            ),
            tr(
                "Utilisez la clé de la personne dans le registre (minuscules, chiffres, - . _), "
                "par exemple « claire-martin ».",
                "Use the person's registry key (lowercase, digits, - . _), e.g. 'claire-martin'.",
            ),
        )
    return person


def person_pkcs12_path(workspace: object, person: str) -> Path:
    return _root(workspace) / "private" / "keys" / f"{_checked_person(person)}.p12"


def person_certificate_path(workspace: object, person: str) -> Path:
    return _root(workspace) / "keys" / f"{_checked_person(person)}.pem"


def _checked_passphrase(passphrase: str) -> bytes:
    if len(passphrase) < 8:
        raise InputError(
            tr(
                "Phrase secrète trop courte ({n} caractères).",
                "Passphrase too short ({n} characters).",
                n=len(passphrase),
            ),
            tr(
                "Choisissez une phrase secrète d'au moins 8 caractères.",
                "Choose a passphrase of at least 8 characters.",
            ),
        )
    return passphrase.encode("utf-8")


def _refuse_existing(workspace: object, person: str) -> None:
    path = person_pkcs12_path(workspace, person)
    if path.exists():
        raise ConflictError(
            tr(
                "{p} a déjà une clé personnelle : {f}.",
                "{p} already has a personal key: {f}.",
                p=person,
                f=path,
            ),
            tr(
                "Une clé existante n'est jamais remplacée ; archivez ce fichier à la main "
                "si la personne doit en changer.",
                "An existing key is never replaced; archive that file by hand if the person "
                "must change keys.",
            ),
        )


def create_person_key(
    workspace: object,
    person: str,
    passphrase: str,
    *,
    common_name: str,
    email: str | None = None,
    valid_days: int = 1095,
) -> PersonKey:
    """Create a key pair and a self-signed certificate for ``person``, protected by ``passphrase``."""
    _checked_person(person)
    secret = _checked_passphrase(passphrase)
    _refuse_existing(workspace, person)
    if valid_days < 1:
        raise InputError(
            tr(
                "Durée de validité invalide : {d} jours.",
                "Invalid validity: {d} days.",
                d=valid_days,
            ),
            tr("Indiquez un nombre de jours positif.", "Give a positive number of days."),
        )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = _self_signed_certificate(key, common_name, email, valid_days)
    data = pkcs12.serialize_key_and_certificates(
        person.encode("utf-8"),
        key,
        certificate,
        None,
        serialization.BestAvailableEncryption(secret),
    )
    return _store(workspace, person, data, certificate)


def _self_signed_certificate(
    key: ec.EllipticCurvePrivateKey, common_name: str, email: str | None, valid_days: int
) -> x509.Certificate:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name or "garant")]
    if email:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    name = x509.Name(attributes)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CODE_SIGNING]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    return builder.sign(key, hashes.SHA256())


def import_person_pkcs12(
    workspace: object, person: str, pkcs12_path: Path, passphrase: str
) -> PersonKey:
    """Adopt an existing PKCS#12 file (e.g. an RGS certificate) as ``person``'s key."""
    _checked_person(person)
    _refuse_existing(workspace, person)
    if not pkcs12_path.is_file():
        raise NotFoundError(
            tr("Fichier PKCS#12 introuvable : {f}.", "PKCS#12 file not found: {f}.", f=pkcs12_path),
            tr("Vérifiez le chemin indiqué à --pkcs12.", "Check the path given to --pkcs12."),
        )
    data = pkcs12_path.read_bytes()
    private_key, certificate, _chain = _open_pkcs12(data, passphrase, pkcs12_path)
    del private_key
    return _store(workspace, person, data, certificate)


def _store(workspace: object, person: str, data: bytes, certificate: x509.Certificate) -> PersonKey:
    private = person_pkcs12_path(workspace, person)
    private.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(private.parent, 0o700)
    atomic_write_bytes(private, data, 0o600)
    public = person_certificate_path(workspace, person)
    atomic_write_bytes(public, certificate.public_bytes(serialization.Encoding.PEM), 0o644)
    return _info(person, private, public, certificate)


def _info(person: str, private: Path, public: Path, certificate: x509.Certificate) -> PersonKey:
    return PersonKey(
        person=person,
        pkcs12_path=private,
        certificate_path=public,
        fingerprint_sha256=certificate.fingerprint(hashes.SHA256()).hex(),
        subject=certificate.subject.rfc4514_string(),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
    )


def _open_pkcs12(
    data: bytes, passphrase: str, path: Path
) -> tuple[SignableKey, x509.Certificate, list[x509.Certificate]]:
    try:
        private_key, certificate, chain = pkcs12.load_key_and_certificates(
            data, passphrase.encode("utf-8")
        )
    except ValueError as error:
        raise InputError(
            tr(
                "Impossible d'ouvrir la clé {f} : phrase secrète incorrecte ou fichier illisible.",
                "Cannot open the key {f}: wrong passphrase or unreadable file.",
                f=path,
            ),
            tr(
                "Saisissez la phrase secrète choisie à la création de la clé.",
                "Type the passphrase chosen when the key was created.",
            ),
        ) from error
    if private_key is None or certificate is None:
        raise InputError(
            tr(
                "Le fichier {f} ne contient pas à la fois une clé privée et son certificat.",
                "The file {f} does not hold both a private key and its certificate.",
                f=path,
            ),
            tr(
                "Exportez le certificat avec sa clé privée (format .p12 / .pfx).",
                "Export the certificate with its private key (.p12 / .pfx format).",
            ),
        )
    if not isinstance(
        private_key,
        rsa.RSAPrivateKey
        | ec.EllipticCurvePrivateKey
        | ed25519.Ed25519PrivateKey
        | ed448.Ed448PrivateKey,
    ):
        raise InputError(
            tr(
                "Type de clé non pris en charge dans {f} : {t}.",
                "Unsupported key type in {f}: {t}.",
                f=path,
                t=type(private_key).__name__,
            ),
            tr("Utilisez une clé RSA, ECDSA ou Ed25519.", "Use an RSA, ECDSA or Ed25519 key."),
        )
    return private_key, certificate, list(chain)


def load_person_key(workspace: object, person: str, passphrase: str) -> LoadedPersonKey:
    """Open ``person``'s key with ``passphrase`` (a wrong passphrase is a :class:`GarantError`)."""
    path = person_pkcs12_path(workspace, person)
    if not path.is_file():
        raise NotFoundError(
            tr(
                "{p} n'a pas de clé personnelle ({f}).",
                "{p} has no personal key ({f}).",
                p=person,
                f=path,
            ),
            tr(
                "Créez-la avec « garant keys create {p} ».",
                "Create it with 'garant keys create {p}'.",
                p=person,
            ),
        )
    private_key, certificate, chain = _open_pkcs12(path.read_bytes(), passphrase, path)
    return LoadedPersonKey(private_key, certificate, chain, path)


def person_key_info(workspace: object, person: str) -> PersonKey | None:
    """The public facts of ``person``'s key (from its certificate), or None if it has none."""
    private = person_pkcs12_path(workspace, person)
    public = person_certificate_path(workspace, person)
    if not public.is_file():
        return None
    certificate = x509.load_pem_x509_certificate(public.read_bytes())
    return _info(person, private, public, certificate)


def list_person_keys(workspace: object) -> list[PersonKey]:
    """Every person's key in the workspace, sorted by person."""
    folder = _root(workspace) / "keys"
    if not folder.is_dir():
        return []
    keys = []
    for public in sorted(folder.glob("*.pem")):
        info = (
            person_key_info(workspace, public.stem) if PERSON_PATTERN.match(public.stem) else None
        )
        if info is not None:
            keys.append(info)
    return keys


def sign_bytes(loaded: LoadedPersonKey, data: bytes) -> bytes:
    """Sign ``data`` with the person's private key (SHA-256; PKCS#1 v1.5 for RSA)."""
    key = loaded.private_key
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    return key.sign(data)


def verify_signature(certificate_pem: bytes, data: bytes, signature: bytes) -> bool:
    """True when ``signature`` over ``data`` was made by the key of ``certificate_pem``."""
    try:
        public_key = x509.load_pem_x509_certificate(certificate_pem).public_key()
    except ValueError:
        return False
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public_key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            public_key.verify(signature, data)
        else:
            return False
    except InvalidSignature:
        return False
    return True
