"""Settings (DOMAIN.md "(setting)"): a stored value overrides the default kept in services.settings."""
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db


class Setting(db.Model):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
