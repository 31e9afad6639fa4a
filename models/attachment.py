"""Uploaded files, kept in the database so several app servers share them and a backup holds them."""
import hashlib
import unicodedata
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from extensions import db
from models.base import TimestampMixin


class Attachment(TimestampMixin, db.Model):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))  # shown to people, never used as a path
    content_type: Mapped[str] = mapped_column(String(100))  # sniffed from the content
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    @classmethod
    def from_upload(cls, filename, content_type, data, user=None):
        return cls(
            filename=safe_filename(filename),
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            uploaded_by_id=user.id if user is not None and user.is_authenticated else None,
        )


class PendingUpload(db.Model):
    """A file of a registration that was refused (422), kept so the applicant need not choose it again.

    Held for one browser session: `session_key` is a random value kept in that session's signed cookie,
    and the form carries only `token` (random); both must match to use it. Rows older than
    PENDING_HOURS are deleted; the registration that succeeds turns its rows into attachments.
    """

    __tablename__ = "pending_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    session_key: Mapped[str] = mapped_column(String(64), index=True)
    field: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(index=True)


PENDING_HOURS = 24


def safe_filename(name, fallback="evidence"):
    """The name to show and to offer on download: never a path, never a control character.

    Only the last path component is kept (both / and \\ count), control and format characters
    (NUL, newlines, bidi overrides) are dropped, leading dots and spaces go (no hidden files, no
    "..") and the length is capped; what is left of an unusable name is the fallback. The stored
    file itself is always in the database, found by id: the name is never used to open anything.
    """
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = unicodedata.normalize("NFC", name).strip().lstrip(". ").rstrip(" ")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:190] + dot + ext[:9]) if dot and len(ext) <= 9 else name[:200]
    return name or fallback
