"""Settings (DOMAIN.md "(setting)"): a stored value overrides the default kept in services.settings."""
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import VersionedMixin


class Setting(VersionedMixin, db.Model):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON

    @property
    def audit_detail(self):
        """Audit entries name the setting changed (its key is not a number, so not a record_id)."""
        return self.key
