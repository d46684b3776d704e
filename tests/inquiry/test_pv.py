"""The draft procès-verbal: every observation number accounted for, AI parts labelled."""

from __future__ import annotations

import re
import zipfile

from inquiry_support import Inquiry


def test_pv_table_lists_every_observation_number_once(inquiry: Inquiry) -> None:
    text = (inquiry.root / "exports" / "enquetes" / "plu" / "proces-verbal.md").read_text(
        encoding="utf-8"
    )
    table = text.split("## 6. Tableau des observations", 1)[1]
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \| ([^|]+) \|$", table, flags=re.M)
    assert [int(number) for number, _, _ in rows] == list(range(1, 41))
    assert all(where.strip() for _, _, where in rows)
    assert "| 31 | courriel |" in table


def test_pv_counts_by_channel_and_shows_the_campaign_with_its_numbers(inquiry: Inquiry) -> None:
    text = (inquiry.root / "exports" / "enquetes" / "plu" / "proces-verbal.md").read_text(
        encoding="utf-8"
    )
    assert "| registre dématérialisé | 30 |" in text and "| courriel | 10 |" in text
    assert "| **Total** | **40** |" in text
    duplicates = text.split("## 5. Doublons", 1)[1].split("## 6.", 1)[0]
    assert "n° 1, n° 2, n° 3, n° 4" in duplicates  # the four identical texts, none dropped
    themes = text.split("## 3.", 1)[1].split("## 4.", 1)[0]
    singular = text.split("## 4.", 1)[1].split("## 5.", 1)[0]
    listed = {int(n) for n in re.findall(r"n° (\d+)", themes)} | {
        int(n) for n in re.findall(r"^\| (\d+) \|", singular, flags=re.M)
    }
    assert listed == set(range(1, 41))


def test_pv_docx_is_editable_and_carries_the_ai_label(inquiry: Inquiry) -> None:
    docx = inquiry.root / "exports" / "enquetes" / "plu" / "proces-verbal.docx"
    with zipfile.ZipFile(docx) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    plain = re.sub(r"<[^>]+>", "", xml)
    assert "AI Act, art. 50(4)" in plain
    assert "a été lue par le commissaire enquêteur" in plain
    assert "Tableau des observations" in plain
