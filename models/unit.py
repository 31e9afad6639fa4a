"""Purchasing units: the city justice bureau and the nine county-level bureaus of Baotou."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db

# Seeded by the first migration; kept here for tests and the demo (DOMAIN.md §6).
UNITS = [
    ("150200", "包头市司法局", "包头市", "市", "city"),
    ("150202", "东河区司法局", "东河区", "东", "district"),
    ("150203", "昆都仑区司法局", "昆都仑区", "昆", "district"),
    ("150204", "青山区司法局", "青山区", "青", "district"),
    ("150205", "石拐区司法局", "石拐区", "石", "district"),
    ("150206", "白云鄂博矿区司法局", "白云鄂博矿区", "白", "district"),
    ("150207", "九原区司法局", "九原区", "九", "district"),
    ("150221", "土默特右旗司法局", "土默特右旗", "土", "district"),
    ("150222", "固阳县司法局", "固阳县", "固", "district"),
    ("150223", "达尔罕茂明安联合旗司法局", "达尔罕茂明安联合旗", "达", "district"),
]


class Unit(db.Model):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    area_name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(10))  # for case numbers, e.g. 昆
    kind: Mapped[str] = mapped_column(String(10))  # city | district
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)  # its own unified social credit code

    @property
    def is_city(self):
        return self.kind == "city"

    @property
    def seat_label(self):
        """How the unit appears as a seat choice: the city covers the high-tech zone and outside Baotou."""
        if self.is_city:
            return f"{self.area_name}（稀土高新区或包头市外，由市司法局审核）"
        return self.area_name

    def __str__(self):
        return self.name
