"""Sample files for the upload tests, generated in code (real formats, tiny)."""

from __future__ import annotations

import io
import struct
import zipfile

from evidence.demo import tiny_pdf, tiny_png

FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
DIFSECT = 0xFFFFFFFC


def pdf() -> bytes:
    return tiny_pdf(["Bien ban hop to chuyen mon"])


def png() -> bytes:
    return tiny_png(1)


def jpeg() -> bytes:
    # SOI, an APP0/JFIF segment, EOI: enough for a content check (never decoded).
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def gif() -> bytes:
    return b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def webp() -> bytes:
    body = b"WEBPVP8 " + struct.pack("<I", 10) + b"\x00" * 10
    return b"RIFF" + struct.pack("<I", len(body)) + body


def tiff() -> bytes:
    return b"II*\x00\x08\x00\x00\x00" + b"\x00" * 32


def docx() -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("Biên bản họp tổ chuyên môn")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Danh sách giáo viên"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ooxml(main_content_type: str, main_part: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal OOXML package declaring ``main_content_type`` for ``main_part``."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_content_type}"/>'
        "</Types>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr(main_part, "<root/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def pptx() -> bytes:
    return ooxml(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", "ppt/presentation.xml"
    )


def _entry(name: str, kind: int) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le")
    entry = bytearray(128)
    entry[: len(encoded)] = encoded
    struct.pack_into("<H", entry, 64, len(encoded))
    entry[66] = kind
    struct.pack_into("<III", entry, 68, FREESECT, FREESECT, FREESECT)
    struct.pack_into("<I", entry, 116, ENDOFCHAIN)
    return bytes(entry)


def ole(streams: list[str], storages: list[str] = (), *, fat_in_difat_sector: bool = False, loop: bool = False) -> bytes:
    """A compound file (MS-CFB v3, 512-byte sectors) whose directory holds the given names.

    Sector 0 is the FAT; the directory follows. With ``fat_in_difat_sector`` the FAT's location is
    given by a DIFAT sector instead of the header; with ``loop`` the directory chain points back
    at itself (a crafted file).
    """
    entries = [_entry("Root Entry", 5)] + [_entry(n, 1) for n in storages] + [_entry(n, 2) for n in streams]
    directory = b"".join(entries)
    directory += b"\x00" * (-len(directory) % 512)
    dir_sectors = len(directory) // 512
    first_dir = 1
    fat = [FATSECT] + [first_dir + i + 1 for i in range(dir_sectors)]
    fat[-1] = first_dir if loop else ENDOFCHAIN
    sectors = [b"", directory]
    difat_sector_index = None
    if fat_in_difat_sector:
        difat_sector_index = first_dir + dir_sectors
        fat.append(DIFSECT)
    fat += [FREESECT] * (128 - len(fat))
    sectors[0] = struct.pack("<128I", *fat)
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 40, 0, 1, first_dir)
    struct.pack_into("<IIII", header, 56, 4096, ENDOFCHAIN, 0, ENDOFCHAIN)
    difat = [FREESECT] * 109
    if fat_in_difat_sector:
        struct.pack_into("<II", header, 68, difat_sector_index, 1)
        difat_sector = [0] + [FREESECT] * 126 + [ENDOFCHAIN]
        sectors.append(struct.pack("<128I", *difat_sector))
    else:
        struct.pack_into("<II", header, 68, ENDOFCHAIN, 0)
        difat[0] = 0
    struct.pack_into("<109I", header, 76, *difat)
    return bytes(header) + b"".join(sectors)


def doc() -> bytes:
    return ole(["WordDocument", "1Table", "\x05SummaryInformation"])


def xls() -> bytes:
    return ole(["Workbook", "\x05SummaryInformation"])


def ppt() -> bytes:
    return ole(["PowerPoint Document", "Current User"])
