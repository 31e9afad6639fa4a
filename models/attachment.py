"""Uploaded files, kept in the database so several app servers share them and a backup holds them."""
import hashlib

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
        from services.uploads import safe_filename

        return cls(
            filename=safe_filename(filename),
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            uploaded_by_id=user.id if user is not None and user.is_authenticated else None,
        )
