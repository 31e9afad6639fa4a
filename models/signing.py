"""Signing a written mediation agreement on screen (law art. 29).

The mediator opens a signing from the case's agreement text; the text is fixed from then on and its
SHA-256 is what each signer signs. Every party and the mediator sign — on a canvas through a one-time
link (a random token, only its hash stored), or on paper, which the mediator records. When the last
signature is in, the case succeeds with a written agreement effective that day.
"""
import base64
import binascii
import hashlib
import secrets
import struct
import zlib
from datetime import date, datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.base import NotAllowed, RuleError, TransitionError
from models.door_codes import SIGN_WAYS, SIGNING_STATES
from models import clock

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 300 * 1024
MAX_SIDE = 3000
TEXT_FIELDS = ("matters", "responsibility", "terms", "performance")


def png_from_data_url(value):
    """The PNG bytes of a canvas's `data:image/png;base64,…`, checked chunk by chunk; RuleError otherwise."""
    prefix = "data:image/png;base64,"
    if not isinstance(value, str) or not value.startswith(prefix):
        raise RuleError("请先在签名框内签名", field="signature")
    if len(value) > MAX_PNG_BYTES * 4 // 3 + 100:
        raise RuleError("签名图片过大", field="signature")
    try:
        data = base64.b64decode(value[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        raise RuleError("签名图片无效", field="signature") from None
    check_png(data)
    return data


def check_png(data):
    """A whole, well-formed PNG (magic, IHDR first with sane dimensions, every chunk's CRC, IEND last)."""
    if len(data) > MAX_PNG_BYTES:
        raise RuleError("签名图片过大", field="signature")
    if not data.startswith(PNG_MAGIC):
        raise RuleError("签名图片无效（须为 PNG）", field="signature")
    pos, first, seen_data = len(PNG_MAGIC), True, False
    while True:
        if pos + 12 > len(data):
            raise RuleError("签名图片不完整", field="signature")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length or pos + 12 + length > len(data):
            raise RuleError("签名图片不完整", field="signature")
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        if zlib.crc32(kind + body) != crc:
            raise RuleError("签名图片已损坏", field="signature")
        if first:
            if kind != b"IHDR" or length != 13:
                raise RuleError("签名图片无效（须为 PNG）", field="signature")
            width, height = struct.unpack(">II", body[:8])
            if not (20 <= width <= MAX_SIDE and 20 <= height <= MAX_SIDE):
                raise RuleError("签名图片尺寸不符", field="signature")
            first = False
        seen_data = seen_data or kind == b"IDAT"
        pos += 12 + length
        if kind == b"IEND":
            break
    if not seen_data or pos != len(data):
        raise RuleError("签名图片无效（须为 PNG）", field="signature")
    return width, height


def agreement_text(case, fields):
    """The full text every signer reads and signs: the parties and the agreement's parts, in order."""
    lines = ["人民调解协议书", case.number]
    lines += [f"{p.side_label}：{p.name}" for p in case.parties]
    for label, key in (("纠纷主要事实、争议事项", "matters"), ("各方当事人的责任", "responsibility"),
                       ("经人民调解，各方当事人自愿达成如下协议", "terms"), ("履行方式、时限", "performance")):
        lines += [f"{label}：", (fields.get(key) or "").strip()]
    if fields.get("performance_due"):
        due = fields["performance_due"]
        lines.append(f"履行期限：{due.year}年{due.month}月{due.day}日前履行完毕")
    lines.append(f"调解组织：{case.contractor.name}")
    return "\n".join(lines)


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class Signing(db.Model):
    __tablename__ = "door_signing"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="open", index=True)
    matters: Mapped[str] = mapped_column(Text)
    responsibility: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[str] = mapped_column(Text)
    performance: Mapped[str] = mapped_column(Text, default="")
    performance_due: Mapped[date | None]
    text: Mapped[str] = mapped_column(Text)  # the full text as signed
    text_sha256: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]

    case = relationship("MediationCase")
    created_by = relationship("User")
    signatures = relationship("Signature", back_populates="signing", order_by="Signature.id",
                              cascade="all, delete-orphan")

    @property
    def state_label(self):
        return SIGNING_STATES[self.state]

    @property
    def lines(self):
        return self.text.split("\n")

    @property
    def fields(self):
        return {k: getattr(self, k) for k in TEXT_FIELDS + ("performance_due",)}

    @classmethod
    def open_for(cls, user, case, fields):
        """The mediator fixes the agreement's text and opens the signing: one row per party and mediator."""
        if not case.may_work(user) or user.role not in ("contractor", "worker"):
            raise NotAllowed("只有承办本案的调解员可以发起签署")
        if case.status != "mediating":
            raise TransitionError("只有调解中的案件可以发起协议签署（须先有调解记录）")
        if current_signing(case) is not None:
            raise TransitionError("本案已有进行中的签署，请先作废")
        for name, label in (("matters", "纠纷事项"), ("terms", "协议内容")):
            if not (fields.get(name) or "").strip():
                raise RuleError(f"请填写{label}", field=name)
        clean = {k: (fields.get(k) or "").strip() for k in TEXT_FIELDS}
        clean["performance_due"] = fields.get("performance_due")
        if clean["performance_due"] is not None and clean["performance_due"] < clock.today():
            raise RuleError("履行期限不能早于今天", field="performance_due")
        text = agreement_text(case, clean)
        item = cls(case_id=case.id, case=case, state="open", text=text, text_sha256=sha256(text),
                   created_by_id=user.id, created_at=clock.now(), **clean)
        for p in case.parties:
            item.signatures.append(Signature(role="party", party_id=p.id, name=p.name, side=p.side_label))
        names = case.mediator_names or user.display_name
        item.signatures.append(Signature(role="mediator", name=names, side="人民调解员"))
        db.session.add(item)
        return item

    def _require_open(self):
        if self.state != "open":
            raise TransitionError("该签署已完成或已作废")

    def state_check(self, action=None):
        """Every action on a signing needs it open (run before the form is read: 409)."""
        self._require_open()

    def _require_mediator(self, user):
        if not self.case.may_work(user) or user.role not in ("contractor", "worker"):
            raise NotAllowed("只有承办本案的调解员可以办理签署")

    def cancel(self, user):
        self._require_mediator(user)
        self._require_open()
        self.state = "cancelled"
        for s in self.signatures:
            s.token_hash = None

    def issue_link(self, user, signature):
        """A new one-time link for one signer (any earlier link of theirs stops working); returns the token."""
        self._require_mediator(user)
        self._require_open()
        if signature.signed_at is not None:
            raise TransitionError("该签名人已签名")
        token = secrets.token_urlsafe(24)
        signature.token_hash, signature.link_issued_at = _token_hash(token), clock.now()
        return token

    def record_paper(self, user, signature):
        """The mediator records that this signer signed the paper agreement."""
        self._require_mediator(user)
        self._require_open()
        if signature.signed_at is not None:
            raise TransitionError("该签名人已签名")
        signature.way, signature.signed_at, signature.text_sha256 = "paper", clock.now(), self.text_sha256
        signature.recorded_by_id, signature.token_hash = user.id, None
        self._maybe_complete()

    def sign(self, signature, png, seen_sha256):
        """One signer's drawn signature over the text they saw (its hash must be this signing's)."""
        self._require_open()
        if signature.signed_at is not None:
            raise TransitionError("该签名链接已使用")
        if seen_sha256 != self.text_sha256:
            raise TransitionError("协议文本已变化，请重新打开签名页面")
        check_png(png)
        signature.way, signature.image, signature.signed_at = "screen", png, clock.now()
        signature.text_sha256 = self.text_sha256  # the token stays: a second use is told "already used"
        self._maybe_complete()

    @property
    def pending(self):
        return [s for s in self.signatures if s.signed_at is None]

    def _maybe_complete(self):
        """Art. 29: effective when every party and the mediator have signed; the case succeeds today."""
        if self.pending:
            return
        self.state, self.completed_at = "complete", clock.now()
        fields = dict(self.fields, effective_on=clock.today())
        self.case.succeed(self.created_by, "written", fields)


class Signature(db.Model):
    __tablename__ = "door_signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    signing_id: Mapped[int] = mapped_column(ForeignKey("door_signing.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # party | mediator
    party_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_party.id"))
    name: Mapped[str] = mapped_column(String(200))
    side: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    link_issued_at: Mapped[datetime | None]
    way: Mapped[str | None] = mapped_column(String(10))  # screen | paper
    image: Mapped[bytes | None] = mapped_column(LargeBinary)
    signed_at: Mapped[datetime | None]
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    signing = relationship("Signing", back_populates="signatures")

    __audit_ignore__ = ("image", "token_hash")

    @property
    def way_label(self):
        return SIGN_WAYS.get(self.way, "待签名")

    @property
    def data_url(self):
        return "data:image/png;base64," + base64.b64encode(self.image).decode() if self.image else ""


def current_signing(case):
    """The case's open signing, if any."""
    return db.session.scalar(select(Signing).where(Signing.case_id == case.id, Signing.state == "open"))


def completed_signing(case):
    return db.session.scalar(select(Signing).where(Signing.case_id == case.id, Signing.state == "complete")
                             .order_by(Signing.id.desc()))


def by_token(token):
    """The signature a link points to: None for an unknown token; used links keep no token."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Signature).where(Signature.token_hash == _token_hash(token)))
