"""Upload checks: type by content, agreeing extension, size, refused kinds, and safe names."""

import io
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence import uploads
from evidence.tests import samples
from evidence.uploads import UploadError, check_upload, sanitise_filename, sniff

MB = 1024 * 1024


def check(content: bytes, name: str, *, max_bytes: int = 20 * MB, size: int | None = None):
    return check_upload(io.BytesIO(content), name=name, size=len(content) if size is None else size, max_bytes=max_bytes)


SAMPLES = {
    "pdf": (samples.pdf, "bao-cao.pdf"),
    "docx": (samples.docx, "bien-ban.docx"),
    "xlsx": (samples.xlsx, "danh-sach.xlsx"),
    "pptx": (samples.pptx, "bao-cao.pptx"),
    "doc": (samples.doc, "quyet-dinh.doc"),
    "xls": (samples.xls, "thong-ke.xls"),
    "ppt": (samples.ppt, "chuyen-de.ppt"),
    "png": (samples.png, "anh.png"),
    "jpeg": (samples.jpeg, "anh.jpg"),
    "gif": (samples.gif, "anh.gif"),
    "webp": (samples.webp, "anh.webp"),
    "tiff": (samples.tiff, "ban-scan.tif"),
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_accepted_kind_is_recognised_by_content(kind):
    make, name = SAMPLES[kind]
    content = make()
    assert sniff(io.BytesIO(content)).kind.key == kind
    checked = check(content, name)
    assert checked.kind.key == kind
    assert checked.content_type == uploads.KINDS[kind].mime
    assert checked.size == len(content)
    import hashlib

    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_jpeg_accepts_both_extensions_and_upper_case():
    assert check(samples.jpeg(), "ANH.JPEG").name == "ANH.jpeg"
    assert check(samples.jpeg(), "anh.jpg").kind.key == "jpeg"


def test_sniff_leaves_the_stream_at_the_start():
    stream = io.BytesIO(samples.docx())
    sniff(stream)
    assert stream.tell() == 0


def test_pdf_renamed_docx_is_refused_with_the_real_type_named():
    with pytest.raises(UploadError) as error:
        check(samples.pdf(), "bien-ban.docx")
    message = str(error.value)
    assert ".docx" in message and "PDF" in message and ".pdf" in message


def test_docx_renamed_xlsx_is_refused():
    with pytest.raises(UploadError, match="Word"):
        check(samples.docx(), "bang-tinh.xlsx")


def test_word_97_renamed_xls_is_refused():
    with pytest.raises(UploadError, match=r"\.xls"):
        check(samples.doc(), "bang-tinh.xls")


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"\xef\xbb\xbf  \n<html><script>fetch('/')</script>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<?xml version="1.0"?><svg/>',
        "<html>".encode("utf-16-le"),
        b"<?php system($_GET['c']); ?>",
    ],
)
def test_markup_disguised_as_pdf_is_refused(content):
    with pytest.raises(UploadError, match="trang web hoặc mã lệnh"):
        check(content, "bao-cao.pdf")


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00" + b"\x00" * 60, b"\x7fELF\x02\x01\x01" + b"\x00" * 20, b"#!/bin/sh\nrm -rf /\n", b"\xca\xfe\xba\xbe\x00\x00"],
)
def test_programs_disguised_as_documents_are_refused(content):
    with pytest.raises(UploadError, match="chương trình"):
        check(content, "quyet-dinh.pdf")


@pytest.mark.parametrize(
    "name", ["trang.html", "anh.svg", "script.js", "cai-dat.exe", "lenh.bat", "a.php", "macro.docm", "macro.xlsm", "x.HTM"]
)
def test_dangerous_extensions_are_refused_whatever_the_content(name):
    with pytest.raises(UploadError, match="Không nhận tệp"):
        check(samples.pdf(), name)


def test_unknown_extension_with_known_content_is_refused():
    with pytest.raises(UploadError, match=r"Đuôi \.txt"):
        check(samples.pdf(), "ghi-chu.txt")


def test_a_name_without_extension_gets_the_extension_of_its_content():
    assert check(samples.pdf(), "Bien ban").name == "Bien ban.pdf"


def test_unrecognised_content_is_refused_with_the_list_of_accepted_kinds():
    with pytest.raises(UploadError, match="Không nhận ra định dạng") as error:
        check(b"just some text, not a document", "ghi-chu.pdf")
    assert "PDF" in str(error.value) and "Excel" in str(error.value)


def test_plain_zip_renamed_docx_is_refused():
    archive = samples.ooxml("application/zip", "readme.txt")
    with pytest.raises(UploadError, match="Không nhận ra định dạng"):
        check(archive, "bien-ban.docx")


def test_zip_without_content_types_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(UploadError):
        check(buffer.getvalue(), "bien-ban.docx")


def test_corrupt_zip_is_refused_as_a_damaged_office_file():
    content = samples.docx()[:200]
    with pytest.raises(UploadError, match="bị hỏng"):
        check(content, "bien-ban.docx")


@pytest.mark.parametrize(
    "content",
    [
        samples.ooxml("application/vnd.ms-word.document.macroEnabled.main+xml", "word/document.xml"),
        samples.ooxml(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            "word/document.xml",
            {"word/vbaProject.bin": b"\x00" * 10},
        ),
        samples.ole(["WordDocument", "1Table"], storages=["Macros"]),
        samples.ole(["Workbook"], storages=["_VBA_PROJECT_CUR"]),
    ],
)
def test_office_files_with_macros_are_refused(content):
    name = "bien-ban.doc" if content.startswith(uploads.OLE_MAGIC) else "bien-ban.docx"
    with pytest.raises(UploadError, match="macro"):
        check(content, name)


def test_password_protected_office_file_is_refused():
    encrypted = samples.ole(["EncryptionInfo", "EncryptedPackage"])
    with pytest.raises(UploadError, match="mật khẩu"):
        check(encrypted, "bien-ban.docx")


def test_other_ole_files_such_as_installers_are_refused():
    installer = samples.ole(["\u4840\u3b3f\u43f2\u4438\u45b1"])  # MSI stream names look like this
    with pytest.raises(UploadError, match="Không nhận ra định dạng"):
        check(installer, "quyet-dinh.doc")


def test_ole_directory_reached_through_a_difat_sector():
    content = samples.ole(["WordDocument"], fat_in_difat_sector=True)
    assert sniff(io.BytesIO(content)).kind.key == "doc"


def test_ole_directory_loop_terminates():
    content = samples.ole(["WordDocument"], loop=True)
    assert sniff(io.BytesIO(content)).kind.key == "doc"


def test_truncated_ole_file_is_refused_as_damaged():
    with pytest.raises(UploadError, match="bị hỏng"):
        check(samples.doc()[:600], "quyet-dinh.doc")


def test_ole_with_a_large_directory_spanning_sectors():
    streams = [f"Stream{i}" for i in range(9)] + ["Workbook"]
    assert sniff(io.BytesIO(samples.ole(streams))).kind.key == "xls"


def test_oversize_file_is_refused_before_reading_it():
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the content must not be read")

    with pytest.raises(UploadError, match="vượt giới hạn 1 MB"):
        check_upload(Unreadable(b""), name="lon.pdf", size=MB + 1, max_bytes=MB)


def test_file_larger_than_declared_is_refused_after_reading():
    content = samples.pdf() + b"\x00" * (2 * MB)
    with pytest.raises(UploadError, match="vượt giới hạn"):
        check(content, "lon.pdf", max_bytes=MB, size=100)


def test_file_at_the_limit_is_accepted():
    content = samples.pdf()
    assert check(content, "vua.pdf", max_bytes=len(content)).size == len(content)


def test_empty_file_is_refused():
    with pytest.raises(UploadError, match="rỗng"):
        check(b"", "rong.pdf")


# --- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\config.pdf", "config.pdf"),
        ("C:\\Users\\Lan\\Documents\\Biên bản họp.pdf", "Biên bản họp.pdf"),
        ("C:evil.pdf", "C_evil.pdf"),
        ("/var/www/../../tmp/x.pdf", "x.pdf"),
        ("bien\x00ban.pdf", "bienban.pdf"),
        ("bien\nban\t2024.pdf", "bien ban 2024.pdf"),
        ("bao-cao\u202efdp.exe", "bao-caofdp.exe"),
        ("a\u200bb.pdf", "ab.pdf"),
        ("  ..hidden.pdf  ", "hidden.pdf"),
        ("name. . .", "name"),
        ('a<b>c:"d"|e?f*.pdf', "a_b_c__d__e_f_.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("lpt1", "_lpt1"),
        ("....", uploads.FALLBACK_NAME),
        ("", uploads.FALLBACK_NAME),
        ("BIEN BAN.PDF", "BIEN BAN.pdf"),
    ],
)
def test_sanitise_filename(raw, safe):
    assert sanitise_filename(raw) == safe


def test_vietnamese_names_stay_readable_and_are_normalised_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Quyết định thành lập Hội đồng trường.pdf")
    assert sanitise_filename(decomposed) == "Quyết định thành lập Hội đồng trường.pdf"
    assert unicodedata.is_normalized("NFC", sanitise_filename(decomposed))


def test_long_names_are_shortened_keeping_the_extension():
    name = sanitise_filename("Kế hoạch " * 40 + ".docx")
    assert len(name) <= uploads.MAX_NAME_LENGTH
    assert name.endswith(".docx")


@given(st.text(max_size=300))
def test_sanitised_names_are_always_safe(raw):
    safe = sanitise_filename(raw)
    assert safe
    assert "/" not in safe and "\\" not in safe
    assert not any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in safe)
    assert not safe.startswith(".") and safe == safe.strip()
    assert len(safe) <= uploads.MAX_NAME_LENGTH
    assert sanitise_filename(safe) == safe


def test_ascii_fallback_removes_vietnamese_marks():
    assert uploads.ascii_filename("Đề án phát triển đội ngũ.pdf") == "De an phat trien doi ngu.pdf"


def test_content_disposition_is_an_attachment_with_an_rfc5987_name():
    header = uploads.content_disposition("Biên bản \"họp\" tổ.pdf")
    assert header.startswith("attachment; ")
    assert 'filename="Bien ban _hop_ to.pdf"' in header
    assert "filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20_h%E1%BB%8Dp_%20t%E1%BB%95.pdf" in header
    assert "\n" not in header and "\r" not in header


def test_content_disposition_neutralises_header_injection():
    header = uploads.content_disposition('a.pdf"\r\nSet-Cookie: x=1')
    assert "\r" not in header and "\n" not in header
    assert header.count('"') == 2


def test_human_size():
    assert uploads.human_size(20 * MB) == "20 MB"
    assert uploads.human_size(int(1.5 * MB)) == "1,5 MB"
    assert uploads.human_size(2048) == "2 KB"
    assert uploads.human_size(12) == "12 B"
