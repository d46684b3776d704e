"""Small shared helpers (atomic files, hashing)."""

from garant.util.files import atomic_write_bytes, atomic_write_text, sha256_bytes, sha256_file

__all__ = ["atomic_write_bytes", "atomic_write_text", "sha256_bytes", "sha256_file"]
