"""evidence_orphan_files finds stored files no item refers to."""

import io
import os
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from evidence import services
from evidence.tests import samples


def test_orphans_are_listed_then_deleted_and_referenced_files_kept(settings, school_a, principal_a, c11):
    item = services.evidence_create(
        school=school_a, criterion=c11, by=principal_a, name="Quy chế", upload=ContentFile(samples.pdf(), name="a.pdf")
    )
    orphan = default_storage.save("evidence/999/2024/01/lost.pdf", ContentFile(b"%PDF-1.4 lost"))
    old = time.time() - 7200
    os.utime(os.path.join(settings.MEDIA_ROOT, orphan), (old, old))
    os.utime(os.path.join(settings.MEDIA_ROOT, item.file.name), (old, old))
    recent = default_storage.save("evidence/999/2024/01/uploading.pdf", ContentFile(b"%PDF-1.4 new"))

    out = io.StringIO()
    call_command("evidence_orphan_files", stdout=out)
    assert orphan in out.getvalue() and recent not in out.getvalue() and item.file.name not in out.getvalue()
    assert default_storage.exists(orphan)

    call_command("evidence_orphan_files", "--delete", stdout=io.StringIO())
    assert not default_storage.exists(orphan)
    assert default_storage.exists(recent) and default_storage.exists(item.file.name)


def test_no_files_at_all(db):
    out = io.StringIO()
    call_command("evidence_orphan_files", stdout=out)
    assert "0 orphan" in out.getvalue()
