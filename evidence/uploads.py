"""Checking an uploaded evidence file: what it really is, what to call it, how to hand it back.

Nothing here trusts the browser: neither the name nor the declared Content-Type. The type is
read from the content (magic bytes, the parts of an OOXML zip, the streams of an OLE2 compound
file) and the extension must agree with it.

Accepted (the documents a school actually keeps as evidence):

=========  ==========================  =========================================================
kind       extensions                  recognised by
=========  ==========================  =========================================================
pdf        .pdf                        ``%PDF-`` at the start
docx       .docx                       zip with ``[Content_Types].xml`` declaring a Word document
xlsx       .xlsx                       ... declaring an Excel workbook
pptx       .pptx                       ... declaring a PowerPoint presentation
doc        .doc                        OLE2 ``D0 CF 11 E0 A1 B1 1A E1`` with a ``WordDocument`` stream
xls        .xls                        OLE2 with a ``Workbook`` (or Excel 5 ``Book``) stream
ppt        .ppt                        OLE2 with a ``PowerPoint Document`` stream
jpeg       .jpg .jpeg                  ``FF D8 FF``
png        .png                        ``89 50 4E 47 0D 0A 1A 0A``
gif        .gif                        ``GIF87a`` / ``GIF89a``
webp       .webp                       ``RIFF....WEBP`` (phones and messaging apps produce it)
tiff       .tif .tiff                  ``II*\\0`` / ``MM\\0*`` (what office scanners produce)
=========  ==========================  =========================================================

Refused with a message of their own: HTML, SVG, XML and anything else starting with markup,
scripts and executables (by content *and* by extension, so ``bao-cao.pdf`` holding HTML and
``bao-cao.html`` holding anything are both refused), Office files with macros (``.docm``, ``.xlsm``
or VBA inside a ``.doc``/``.xls``), password-protected Office files (the district could not open
them), and any other zip or OLE2 file (installers, archives). Not accepted for now, on purpose:
HEIC (convert on the phone), OpenDocument, plain text and archives.

Files are always served back as attachments with the type found here, never the browser's, and
``X-Content-Type-Options: nosniff`` (see ``content_disposition``), so even a polyglot that slipped
through (a PDF that is also valid HTML) is never rendered by the browser as a page.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import urllib.parse
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class UploadError(ValueError):
    """The file is refused; the message tells the user why and what to do."""


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    mime: str
    extensions: tuple[str, ...]  # the first one is the canonical extension

    @property
    def extension(self) -> str:
        return self.extensions[0]

    @property
    def icon(self) -> str:
        """A Bootstrap Icons name for the kind."""
        return _ICONS.get(self.key, "file-earmark")


KINDS: dict[str, FileKind] = {
    k.key: k
    for k in (
        FileKind("pdf", "PDF", "application/pdf", ("pdf",)),
        FileKind(
            "docx", "Word (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)
        ),
        FileKind("xlsx", "Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
        FileKind(
            "pptx",
            "PowerPoint (.pptx)",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ("pptx",),
        ),
        FileKind("doc", "Word 97-2003 (.doc)", "application/msword", ("doc",)),
        FileKind("xls", "Excel 97-2003 (.xls)", "application/vnd.ms-excel", ("xls",)),
        FileKind("ppt", "PowerPoint 97-2003 (.ppt)", "application/vnd.ms-powerpoint", ("ppt",)),
        FileKind("jpeg", "JPEG", "image/jpeg", ("jpg", "jpeg")),
        FileKind("png", "PNG", "image/png", ("png",)),
        FileKind("gif", "GIF", "image/gif", ("gif",)),
        FileKind("webp", "WebP", "image/webp", ("webp",)),
        FileKind("tiff", "TIFF", "image/tiff", ("tif", "tiff")),
    )
}
_ICONS = {
    "pdf": "file-earmark-pdf",
    "docx": "file-earmark-word",
    "doc": "file-earmark-word",
    "xlsx": "file-earmark-excel",
    "xls": "file-earmark-excel",
    "pptx": "file-earmark-ppt",
    "ppt": "file-earmark-ppt",
    "jpeg": "file-earmark-image",
    "png": "file-earmark-image",
    "gif": "file-earmark-image",
    "webp": "file-earmark-image",
    "tiff": "file-earmark-image",
}
ALLOWED_EXTENSIONS = frozenset(ext for kind in KINDS.values() for ext in kind.extensions)
KIND_BY_MIME = {kind.mime: kind for kind in KINDS.values()}

# Refused by name whatever the content: pages, vector images with scripts, code, programs,
# macro-enabled Office files, shortcuts. (Anything not in ALLOWED_EXTENSIONS is refused anyway;
# this list only picks the clearer message.)
DANGEROUS_EXTENSIONS = frozenset(
    """
    htm html xhtml shtml mht mhtml svg svgz xml xsl xslt js mjs jsx ts vbs vbe wsf wsh hta ps1 psm1
    bat cmd com exe dll scr msi msp cpl jar class sh bash zsh csh py pl rb php php3 php4 php5 phtml
    asp aspx jsp cgi lnk url desktop reg inf app apk dmg iso docm dotm xlsm xltm xlam pptm potm ppsm
    """.split()
)

UPLOAD_HELP = gettext_lazy(
    "Nhận PDF, Word (.doc, .docx), Excel (.xls, .xlsx), PowerPoint (.ppt, .pptx) và ảnh "
    "(JPG, PNG, GIF, WebP, TIFF)."
)

# --- names -----------------------------------------------------------------------------------

_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"COM{i}" for i in range(1, 10)] + [f"LPT{i}" for i in range(1, 10)]
)
# Characters Windows forbids in names, plus the ones that make trouble in headers and shells.
_RESERVED_CHARS = re.compile(r'[<>:"|?*\\/\x00-\x1f\x7f]')
MAX_NAME_LENGTH = 150
FALLBACK_NAME = "tep-minh-chung"


def extension_of(name: str) -> str:
    """The lower-case extension without the dot; "" when there is none."""
    base = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if "." not in base.strip("."):
        return ""
    return base.rsplit(".", 1)[-1].strip().lower()


def sanitise_filename(name: str, *, max_length: int = MAX_NAME_LENGTH) -> str:
    """A name safe to show, store and send back, that still reads as the user wrote it.

    Keeps Vietnamese letters (normalised to NFC, as Windows and most fonts expect; macOS sends
    names decomposed). Drops any directory part (``../../etc/passwd`` -> ``passwd``,
    ``C:\\Users\\x\\a.pdf`` -> ``a.pdf``), control and invisible formatting characters (the
    right-to-left override that makes ``fdp.exe`` look like ``exe.pdf``), characters Windows
    forbids, leading dots and trailing dots and spaces; avoids Windows device names; bounds the
    length keeping the extension.
    """
    text = unicodedata.normalize("NFC", str(name or ""))
    # Invisible characters first, so that they cannot hide a separator from the split below.
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"} or ch in "\t\n")
    text = re.split(r"[\\/]", text)[-1]
    text = re.sub(r"\s+", " ", text)
    text = _RESERVED_CHARS.sub("_", text).strip(" .")
    if not text:
        return FALLBACK_NAME
    stem, dot, ext = text.rpartition(".")
    if not dot or not stem or len(ext) > 10 or " " in ext:
        stem, ext = text, ""
    stem = stem.rstrip(" .") or FALLBACK_NAME
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    suffix = f".{ext.lower()}" if ext else ""
    stem = stem[: max(1, max_length - len(suffix))].rstrip(" .") or FALLBACK_NAME
    return stem + suffix


def ascii_filename(name: str) -> str:
    """An ASCII stand-in for old clients: diacritics removed (đ -> d), anything else -> "_"."""
    text = str(name or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^A-Za-z0-9._ ()+-]", "_", text)
    text = re.sub(r"_+", "_", text).strip(" ._")
    return text or FALLBACK_NAME


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the exact name as RFC 5987 ``filename*``."""
    safe = sanitise_filename(name)
    fallback = ascii_filename(safe).replace("\\", "_").replace('"', "_")
    encoded = urllib.parse.quote(safe, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


# --- content -----------------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_OOXML_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
_MACRO_MARKERS = ("macroenabled", "vbaproject")
_MAX_CONTENT_TYPES_BYTES = 512 * 1024  # [Content_Types].xml is a few KB; never inflate a bomb

_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"#!",  # scripts
    b"\x00asm",  # WebAssembly
)


@dataclass(frozen=True)
class Sniffed:
    """What the content turned out to be: a kind, or a reason to refuse."""

    kind: FileKind | None = None
    problem: str = ""  # "markup", "executable", "macro", "encrypted", "corrupt_office", "unknown"


def _read_at(stream: BinaryIO, offset: int, length: int) -> bytes:
    stream.seek(offset)
    return stream.read(length)


def _looks_like_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff\x00 \t\r\n\x0c")
    if text.startswith(b"<"):
        return True
    # UTF-16 markup: "<" followed by a zero byte.
    return text[:2] in (b"<\x00", b"\x00<")


def _sniff_ooxml(stream: BinaryIO) -> Sniffed:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                return Sniffed(problem="unknown")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return Sniffed(problem="macro")
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(_MAX_CONTENT_TYPES_BYTES).decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        return Sniffed(problem="corrupt_office")
    lowered = content_types.lower()
    if any(marker in lowered for marker in _MACRO_MARKERS):
        return Sniffed(problem="macro")
    found = {key for mime, key in _OOXML_MAIN_TYPES.items() if mime in lowered}
    if len(found) == 1:
        return Sniffed(kind=KINDS[found.pop()])
    return Sniffed(problem="unknown")


_FREESECT = 0xFFFFFFFA  # ids at or above this are markers (end of chain, free, FAT, DIFAT)


def ole_stream_names(stream: BinaryIO, size: int) -> set[str] | None:
    """Names of the streams and storages of an OLE2 compound file (MS-CFB); None when malformed.

    Reads only the header, the FAT and the directory chain, with every chain bounded, so a
    crafted file cannot loop or allocate without limit.
    """
    header = _read_at(stream, 0, 512)
    if len(header) < 512 or header[:8] != OLE_MAGIC:
        return None
    sector_shift = struct.unpack_from("<H", header, 30)[0]
    if sector_shift not in (9, 12):
        return None
    sector_size = 1 << sector_shift
    max_sectors = max(1, size // sector_size)
    num_fat, first_dir = struct.unpack_from("<II", header, 44)
    first_difat, num_difat = struct.unpack_from("<II", header, 68)
    if num_fat > max_sectors:
        return None

    def sector(index: int) -> bytes:
        data = _read_at(stream, (index + 1) * sector_size, sector_size)
        if len(data) < sector_size:
            raise ValueError("truncated")
        return data

    try:
        fat_sectors = [s for s in struct.unpack_from("<109I", header, 76) if s < _FREESECT]
        next_difat, seen = first_difat, 0
        per_difat = sector_size // 4 - 1
        while next_difat < _FREESECT and seen <= num_difat and len(fat_sectors) < num_fat:
            entries = struct.unpack(f"<{per_difat + 1}I", sector(next_difat))
            fat_sectors.extend(s for s in entries[:per_difat] if s < _FREESECT)
            next_difat = entries[-1]
            seen += 1
        fat: list[int] = []
        for index in fat_sectors[:num_fat]:
            fat.extend(struct.unpack(f"<{sector_size // 4}I", sector(index)))
        names: set[str] = set()
        current, visited = first_dir, set()
        while current < _FREESECT and current not in visited and len(visited) < max_sectors:
            visited.add(current)
            data = sector(current)
            for offset in range(0, sector_size, 128):
                entry = data[offset : offset + 128]
                name_length = struct.unpack_from("<H", entry, 64)[0]
                entry_type = entry[66]
                if entry_type in (1, 2) and 2 <= name_length <= 64:
                    names.add(entry[: name_length - 2].decode("utf-16-le", "replace"))
            if current >= len(fat):
                break
            current = fat[current]
    except (ValueError, struct.error, IndexError):
        return None
    return names


def _sniff_ole(stream: BinaryIO, size: int) -> Sniffed:
    names = ole_stream_names(stream, size)
    if names is None:
        return Sniffed(problem="corrupt_office")
    lowered = {n.lower() for n in names}
    if "encryptedpackage" in lowered or "encryptioninfo" in lowered:
        return Sniffed(problem="encrypted")
    if lowered & {"macros", "_vba_project_cur", "vba"}:
        return Sniffed(problem="macro")
    if "worddocument" in lowered:
        return Sniffed(kind=KINDS["doc"])
    if "workbook" in lowered or "book" in lowered:
        return Sniffed(kind=KINDS["xls"])
    if "powerpoint document" in lowered:
        return Sniffed(kind=KINDS["ppt"])
    return Sniffed(problem="unknown")


def sniff(stream: BinaryIO, size: int | None = None) -> Sniffed:
    """Decide what the file is from its content alone. Leaves the stream at position 0."""
    try:
        if size is None:
            stream.seek(0, io.SEEK_END)
            size = stream.tell()
        head = _read_at(stream, 0, 2048)
        if head.startswith(b"%PDF-"):
            return Sniffed(kind=KINDS["pdf"])
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return Sniffed(kind=KINDS["png"])
        if head.startswith(b"\xff\xd8\xff"):
            return Sniffed(kind=KINDS["jpeg"])
        if head[:6] in (b"GIF87a", b"GIF89a"):
            return Sniffed(kind=KINDS["gif"])
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return Sniffed(kind=KINDS["webp"])
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            return Sniffed(kind=KINDS["tiff"])
        if head.startswith(ZIP_MAGIC):
            return _sniff_ooxml(stream)
        if head.startswith(OLE_MAGIC):
            return _sniff_ole(stream, size)
        if head.startswith(_EXECUTABLE_MAGIC):
            return Sniffed(problem="executable")
        if _looks_like_markup(head):
            return Sniffed(problem="markup")
        return Sniffed(problem="unknown")
    finally:
        stream.seek(0)


# --- the whole check ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed: the kind found, the name to keep, size and checksum."""

    kind: FileKind
    name: str
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return self.kind.mime


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        megabytes = size / (1024 * 1024)
        if megabytes == int(megabytes):
            return f"{int(megabytes)} MB"
        return f"{megabytes:.1f} MB".replace(".", ",")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


def check_size(size: int, *, max_bytes: int, name: str = "") -> None:
    if size <= 0:
        raise UploadError(_("Tệp “%(name)s” rỗng (0 byte); hãy chọn lại tệp.") % {"name": name})
    if size > max_bytes:
        raise UploadError(
            _("Tệp “%(name)s” nặng %(size)s, vượt giới hạn %(limit)s cho mỗi tệp. Hãy nén hoặc tách tệp rồi tải lên lại.")
            % {"name": name, "size": human_size(size), "limit": human_size(max_bytes)}
        )


def _refusal(problem: str, *, name: str, extension: str) -> str:
    if problem == "markup":
        return _(
            "Tệp “%(name)s” có nội dung là trang web hoặc mã lệnh (HTML, SVG, XML, script), không phải tài liệu. "
            "Hệ thống không nhận loại tệp này; hãy in ra PDF rồi tải lên."
        ) % {"name": name}
    if problem == "executable":
        return _("Tệp “%(name)s” là chương trình hoặc mã lệnh máy tính. Hệ thống không nhận loại tệp này.") % {
            "name": name
        }
    if problem == "macro":
        return _(
            "Tệp “%(name)s” chứa macro (mã lệnh VBA). Hãy lưu lại thành .docx/.xlsx không có macro, hoặc PDF."
        ) % {"name": name}
    if problem == "encrypted":
        return _(
            "Tệp “%(name)s” đang được đặt mật khẩu nên đơn vị thẩm định sẽ không mở được. Hãy gỡ mật khẩu rồi tải lên lại."
        ) % {"name": name}
    if problem == "corrupt_office":
        return _("Tệp “%(name)s” bị hỏng hoặc không phải tài liệu Office hợp lệ; hãy mở thử trên máy rồi lưu lại.") % {
            "name": name
        }
    return _("Không nhận ra định dạng của tệp “%(name)s”. %(help)s") % {"name": name, "help": UPLOAD_HELP}


def check_upload(stream: BinaryIO, *, name: str, size: int, max_bytes: int) -> CheckedFile:
    """Check one uploaded file completely; raise UploadError with a message for the user.

    The order gives the most useful message: size (cheap), a forbidden extension, the content,
    then whether the extension agrees with the content. A name without an extension gets the
    one of its content.
    """
    safe_name = sanitise_filename(name)
    check_size(size, max_bytes=max_bytes, name=safe_name)
    extension = extension_of(safe_name)
    if extension in DANGEROUS_EXTENSIONS:
        raise UploadError(
            _(
                "Không nhận tệp .%(ext)s (“%(name)s”): trang web, ảnh SVG, mã lệnh, chương trình và tệp Office có macro "
                "có thể chứa mã độc. Hãy chuyển tài liệu sang PDF rồi tải lên."
            )
            % {"ext": extension, "name": safe_name}
        )
    found = sniff(stream, size)
    if found.kind is None:
        raise UploadError(_refusal(found.problem, name=safe_name, extension=extension))
    kind = found.kind
    if not extension:
        safe_name = sanitise_filename(f"{safe_name}.{kind.extension}")
    elif extension not in kind.extensions:
        if extension in ALLOWED_EXTENSIONS:
            message = _(
                "Tên tệp “%(name)s” có đuôi .%(ext)s nhưng nội dung là %(kind)s. "
                "Hãy chọn đúng tệp, hoặc đổi đuôi thành .%(right)s nếu đúng là tệp này."
            )
        else:
            message = _("Đuôi .%(ext)s của tệp “%(name)s” không được nhận (nội dung là %(kind)s; đuôi đúng là .%(right)s).")
        raise UploadError(message % {"name": safe_name, "ext": extension, "kind": kind.label, "right": kind.extension})
    digest = hashlib.sha256()
    stream.seek(0)
    read = 0
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
        read += len(chunk)
    stream.seek(0)
    # The declared size comes from the request; what counts is what was received.
    check_size(read, max_bytes=max_bytes, name=safe_name)
    return CheckedFile(kind=kind, name=safe_name, size=read, sha256=digest.hexdigest())
