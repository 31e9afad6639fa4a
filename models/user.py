"""Accounts and roles (DESIGN.md §1)."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db
from models import clock
from models.base import RuleError, TimestampMixin

ROLES = {
    "admin": "系统管理员",
    "city": "市司法局",
    "district": "购买主体（司法局）",
    "finance": "财政部门",
    "contractor": "承接主体管理员",
    "worker": "调解员/帮教工作者",
    "evaluator": "第三方评价机构",
}
UNIT_ROLES = ("city", "district", "finance")
ORG_ROLES = ("contractor", "worker")


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    contractor_id: Mapped[int | None] = mapped_column(ForeignKey("contractor.id"), index=True)
    evaluation_body_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_body.id"))
    staff_member_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"), unique=True)
    # Where notifications are e-mailed (optional; only if the admin configured SMTP).
    email: Mapped[str | None] = mapped_column(String(200))
    last_login_at: Mapped[datetime | None]
    # Locked after repeated failed logins until this moment, or until the admin unlocks the account.
    locked_until: Mapped[datetime | None]

    unit = relationship("Unit")
    contractor = relationship("Contractor", foreign_keys=[contractor_id])
    evaluation_body = relationship("EvaluationBody")
    staff_member = relationship("StaffMember", foreign_keys=[staff_member_id])

    # flask-login asks is_active; a disabled account cannot log in or keep a session.
    @property
    def is_active(self):
        return self.active

    @property
    def is_locked(self):
        """Locked after repeated failed logins (until locked_until, or until the admin unlocks)."""
        return self.locked_until is not None and self.locked_until > clock.now()

    @property
    def role_label(self):
        return ROLES.get(self.role, self.role)

    @property
    def is_unit_staff(self):
        """Staff of a purchasing unit who act for it (city staff act for the city unit)."""
        return self.role in ("city", "district")

    def set_password(self, password):
        from flask import current_app

        from models.passwords import problem

        message = problem(password, self.username)
        if message:
            raise RuleError(message, field="password")

        self.password_hash = generate_password_hash(
            password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def check_affiliation(self):
        """A user belongs to a unit, a contractor, an evaluation body, or none, as the role requires."""
        from models.unit import Unit

        needs = {
            "admin": (),
            "city": ("unit_id",),
            "district": ("unit_id",),
            "finance": ("unit_id",),
            "contractor": ("contractor_id",),
            "worker": ("contractor_id",),
            "evaluator": ("evaluation_body_id",),
        }[self.role]
        for attr in ("unit_id", "contractor_id", "evaluation_body_id"):
            if attr in needs and getattr(self, attr) is None:
                raise RuleError("该角色必须指定所属单位或机构", field=attr)
            if attr not in needs:
                setattr(self, attr, None)
        if self.role in ("city", "district"):
            unit = db.session.get(Unit, self.unit_id)
            if unit is None or (unit.kind == "city") != (self.role == "city"):
                raise RuleError("市司法局角色须属于市司法局，区县角色须属于区县司法局", field="unit_id")

    def __str__(self):
        return self.display_name
