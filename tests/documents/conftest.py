"""Fixtures for garant.documents: a fixed clock, a sample document using every Markdown
construct the renderers map, and a tiny PNG written without any imaging library."""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from garant.documents import Document, DocumentImage, DocumentMetadata

FIXED_AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
GOLDEN = Path(__file__).resolve().parent / "golden"

SAMPLE_BODY = """\
## Contexte de l'enquête

L'enquête publique a reçu **412 observations** ; *aucune* n'a été écartée. Voir
[le registre](https://registre.example.fr/enquete) et `garant synthesis report`.

Œuvre, cœur, « guillemets », l’apostrophe courbe… et ≥ 30 % de réponses.

### Méthode

1. Ingestion des observations
2. Regroupement par thèmes
    - thèmes majoritaires
    - signaux faibles
        - propos singuliers
3. Vérification des citations

> « Je demande que la piste cyclable soit prolongée jusqu'à l'école. » (obs. 17)

| Thème | Observations | Part |
|:------|-------------:|-----:|
| Mobilités | 180 | 43,7 % |
| Bruit <b>nocturne</b> | 12 | 2,9 % |

![Taille des thèmes](themes.png)

```
garant document verify annexe.pdf
```

---

#### Détail

Texte <script>alert("x")</script> et [lien douteux](javascript:alert(1)).
"""


def write_png(path: Path, width: int = 40, height: int = 20) -> Path:
    """A valid RGB PNG of ``width`` × ``height`` (a horizontal blue gradient)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 6 % 256, 80, 200)) for x in range(width))
        for _ in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )
    path.write_bytes(data)
    return path


FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def png(tmp_path: Path) -> Path:
    """A copy of the checked-in figure (fixed bytes, so golden files stay stable)."""
    target = tmp_path / "source-themes.png"
    target.write_bytes((FIXTURES / "themes.png").read_bytes())
    return target


@pytest.fixture
def sample_document(png: Path) -> Document:
    return Document(
        title="Annexe — Utilisation d'outils d'IA dans l'enquête",
        subtitle="Enquête publique sur le plan de mobilité",
        organisation="Commissaire enquêteur — Mme Dupont",
        metadata=DocumentMetadata(
            generated_at=FIXED_AT,
            policy_version="v2",
            run_ids=("4f1c2a", "9b7e11"),
            extra=(("Enquête", "E26000123/45"),),
        ),
        disclosure="Texte préparé avec l'assistance d'un outil d'IA, relu par la commissaire.",
        body=SAMPLE_BODY,
        images=(DocumentImage(name="themes.png", path=png, alt="Taille des thèmes"),),
    )
