"""Personal keys and signatures: who signs a checkpoint, an approval or an annex."""

from garant.signing.keys import (
    LoadedPersonKey,
    PersonKey,
    create_person_key,
    import_person_pkcs12,
    list_person_keys,
    load_person_key,
    person_certificate_path,
    person_key_info,
    person_pkcs12_path,
    sign_bytes,
    verify_signature,
)

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
