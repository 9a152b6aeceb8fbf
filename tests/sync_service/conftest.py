"""Fixtures for the sync service: an office with units and the two national procedures, a quirky file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from portal_files import KH, KH_NAME, KS, KS_NAME, build_portal, quirky_rows


@pytest.fixture
def office(services, admin, units, make_procedure, clock):
    """The test office with Phòng Tư pháp / TNMT and two procedures of the national catalogue, on Thursday
    06/03/2025 08:00: the portal rows' results (04-05/03) are past, as an import requires."""
    clock.set(datetime(2025, 3, 6, 8, 0))
    make_procedure(3, "working_days", code=KS, name=KS_NAME)
    make_procedure(5, "working_days", code=KH, name=KH_NAME)
    return services


@pytest.fixture
def quirky_file(tmp_path) -> Path:
    rows, fonts, serial = quirky_rows()
    return build_portal(tmp_path / "cong_tinh.xlsx", rows, fonts=fonts, serial=serial)
