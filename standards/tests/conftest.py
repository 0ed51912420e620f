"""Fixtures of the standards tests: catalogs loaded from the bundled data (personas come from the root conftest).

Loading the six bundled catalogs takes about 0.4 s, so a module whose tests all may see them (none
loads into an empty database, counts every row or checks that a catalog is absent) says
``pytestmark = pytest.mark.usefixtures("shared_catalogs")``: they are loaded once, in a transaction
rolled back after the module, as the root conftest's ``matrix_world`` does, and each test runs in its
own savepoint on top of it (the ``db`` fixture). There ``catalogs`` and ``tt18`` load nothing and
give the rows read afresh.
"""

import contextlib
import hashlib
import io
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


@contextlib.contextmanager
def loaded_once(django_db_blocker, paths):
    """The catalogs of ``paths`` loaded in a transaction rolled back when the block ends."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        catalogs_load(paths=paths)
        yield
        transaction.set_rollback(True)


def shares_catalogs(request) -> bool:
    return "shared_catalogs" in request.fixturenames


@pytest.fixture(scope="module")
def shared_catalogs(django_db_setup, django_db_blocker):
    """All six bundled catalogs, loaded once for the module."""
    with loaded_once(django_db_blocker, [DATA_DIR / name for name in FILES.values()]):
        yield


@pytest.fixture
def tt18(request, db):
    from standards.models import Regulation

    if not shares_catalogs(request):
        catalogs_load(paths=[DATA_DIR / FILES["TT18/2018"]])
    return Regulation.objects.get(code="TT18/2018")


@pytest.fixture
def catalogs(request, db):
    """All six bundled catalogs."""
    if shares_catalogs(request):
        return None
    return catalogs_load(paths=[DATA_DIR / name for name in FILES.values()])


def run(*args, stdin: str | None = None, monkeypatch=None) -> str:
    """What the management command ``args`` prints (``stdin`` fed to it through ``monkeypatch``)."""
    from django.core.management import call_command

    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command(*args, stdout=out)
    return out.getvalue()


def upload(client, name: str, content: bytes):
    """The catalog import form posted with the file ``name``."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return client.post(reverse("standards:catalog_import"), {"file": SimpleUploadedFile(name, content)})
