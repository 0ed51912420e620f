"""Reading private files from the configured storage, wherever it is.

Evidence files, exports and dossiers live in Django's default storage: the local MEDIA_ROOT on the
embedded default, or an S3-compatible bucket (``STORAGES["default"]``, see ``kiemdinh.env``).
Code never asks a file for its ``.path`` (a bucket has none): it opens it through the storage.

``open_private`` is what the download views and the dossier builder use. On the local disk it is
the field's own ``open("rb")``. On a bucket, django-storages' ``S3File`` would first copy the whole
object into memory; ``RemoteReader`` streams it instead, with ranged GETs, so a 500 MB dossier
goes to the client (or into the ZIP) in chunks and a web node holds none of it.
"""

from __future__ import annotations

import hashlib
import io

from django.core.files.storage import FileSystemStorage, Storage

CHUNK = 1024 * 1024


def is_local(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


class RemoteReader(io.RawIOBase):
    """A read-only, seekable view of one object of an S3-compatible bucket.

    ``size`` comes from the HEAD made on opening (a missing object is FileNotFoundError there);
    bytes are fetched from the current position with one ranged GET, read in chunks as asked,
    and a seek elsewhere starts a new GET when reading resumes. FileResponse finds the length by
    seeking to the end and back, which costs no request.
    """

    def __init__(self, s3file):
        super().__init__()
        self._object = s3file.obj  # boto3 Object, already HEAD-checked by S3Storage.open
        self.size = int(self._object.content_length)
        self.name = s3file.name
        self._position = 0
        self._body = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            position = offset
        elif whence == io.SEEK_CUR:
            position = self._position + offset
        elif whence == io.SEEK_END:
            position = self.size + offset
        else:
            raise ValueError(f"invalid whence {whence!r}")
        if position < 0:
            raise ValueError("negative seek position")
        if position != self._position:
            self._drop_body()
            self._position = position
        return self._position

    def read(self, size: int = -1) -> bytes:
        if self.closed:
            raise ValueError("I/O operation on closed file")
        if self._position >= self.size:
            return b""
        if self._body is None:
            self._body = self._object.get(Range=f"bytes={self._position}-")["Body"]
        data = self._body.read() if size is None or size < 0 else self._body.read(size)
        self._position += len(data)
        return data

    def readall(self) -> bytes:
        return self.read(-1)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self) -> None:
        self._drop_body()
        super().close()


def open_private(fieldfile):
    """A binary file object for a stored FileField value, streaming when the storage is remote.

    Raises FileNotFoundError (an OSError) when the file is not in the storage.
    """
    storage = fieldfile.storage
    if is_local(storage):
        return fieldfile.open("rb")
    return open_name(storage, fieldfile.name)


def open_name(storage: Storage, name: str):
    """Like ``open_private`` for a name in a storage (the backup and the move command)."""
    if is_local(storage):
        return storage.open(name, "rb")
    s3file = storage.open(name, "rb")  # HEAD: FileNotFoundError when missing
    return RemoteReader(s3file)


def sha256_of(storage: Storage, name: str) -> tuple[str, int]:
    """The SHA-256 and the size of a stored file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open_name(storage, name) as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def list_files(storage: Storage, folder: str = ""):
    """Every file name under ``folder`` of a storage, recursively, sorted."""
    names = []
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return names
    prefix = f"{folder.rstrip('/')}/" if folder else ""
    names.extend(f"{prefix}{name}" for name in files)
    for directory in directories:
        names.extend(list_files(storage, f"{prefix}{directory}"))
    return sorted(names)
