"""Constants and helpers shared by the documents tests (importable: tests/support is on
pytest's pythonpath, unlike conftest modules, which pytest imports under one shared name)."""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

FIXED_AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
GOLDEN = Path(__file__).resolve().parents[1] / "documents" / "golden"

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


FIXTURES = Path(__file__).resolve().parents[1] / "documents" / "fixtures"
