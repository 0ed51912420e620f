"""Fixtures of the standards tests: catalogs loaded from the bundled data (personas come from the root conftest)."""

import hashlib
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


def shared_sha256(name: str) -> str:
    """The sha256 of the research file ../shared/standards/<name> the bundled copy was made from.

    Recorded in ``standards/data/SHARED.sha256`` (``sha256sum`` format: check it against the
    research folder with ``cd ../shared/standards && sha256sum -c <that file>``)."""
    sums = dict(reversed(line.split("  ", 1)) for line in (DATA_DIR / "SHARED.sha256").read_text().splitlines())
    return sums[name]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def tt18(db):
    catalogs_load(paths=[DATA_DIR / FILES["TT18/2018"]])
    from standards.models import Regulation

    return Regulation.objects.get(code="TT18/2018")


@pytest.fixture
def catalogs(db):
    """All six bundled catalogs."""
    return catalogs_load(paths=[DATA_DIR / name for name in FILES.values()])
