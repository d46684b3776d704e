"""Dates and times as readers of garant's documents see them."""

from __future__ import annotations

from datetime import UTC, datetime

from garant.i18n import format_datetime_with_zone, set_time_zone


def test_document_time_names_its_zone_and_offset_in_winter_and_summer() -> None:
    set_time_zone("Europe/Paris")
    winter = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert format_datetime_with_zone(winter) == "04/12/2026 11:00 (Europe/Paris, UTC+01:00)"
    assert format_datetime_with_zone(summer) == "01/07/2026 12:00 (Europe/Paris, UTC+02:00)"


def test_document_time_follows_the_configured_zone() -> None:
    set_time_zone("America/Cayenne")
    try:
        value = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
        assert format_datetime_with_zone(value) == "04/12/2026 07:00 (America/Cayenne, UTC-03:00)"
    finally:
        set_time_zone("Europe/Paris")
