"""Fixtures of the standards tests: catalogs loaded from the bundled data (personas come from the root conftest)."""

import json

import pytest

from standards.services import DATA_DIR, catalogs_load

FILES = {
    "TT17/2018": "tt17_2018.json",
    "TT18/2018": "tt18_2018.json",
    "TT19/2018": "tt19_2018.json",
    "TT42/2012-TH": "tt42_2012_primary.json",
    "TT42/2012-TrH": "tt42_2012_secondary.json",
    "TT25/2014": "tt25_2014.json",
}


def catalog_data(code: str) -> dict:
    return json.loads((DATA_DIR / FILES[code]).read_text(encoding="utf-8"))


@pytest.fixture
def tt18(db):
    catalogs_load(paths=[DATA_DIR / FILES["TT18/2018"]])
    from standards.models import Regulation

    return Regulation.objects.get(code="TT18/2018")


@pytest.fixture
def catalogs(db):
    """All six bundled catalogs."""
    return catalogs_load(paths=[DATA_DIR / name for name in FILES.values()])
