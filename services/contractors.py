"""Work on contractors that spans several models: registration from a validated form."""
from flask import current_app
from sqlalchemy import select

from extensions import db
from models import Attachment, Contractor, Qualification, Unit, User
from models.codes import CONDITIONS
from models.contractor import MAX_EVIDENCE_FILES
from models.identifiers import normalize_uscc, uscc_error
from services.pending_uploads import Upload
from services.uploads import read_upload, safe_filename


def max_file_size():
    from services import settings

    return min(settings.get("upload.max_file_mb") * 1024 * 1024, current_app.config["MAX_FILE_SIZE"])


def read_evidence(field, required=True):
    """An Attachment from a file field, or None; errors go beside the field."""
    storage = field.data
    if not storage or not getattr(storage, "filename", ""):
        if required:
            field.errors = list(field.errors) + ["请上传证明材料"]
        return None
    try:
        name, content_type, data = read_upload(storage, max_file_size())
    except ValueError as e:
        field.errors = list(field.errors) + [str(e)]
        return None
    return Attachment.from_upload(name, content_type, data)


def read_evidence_files(field, kept=(), required=True):
    """The evidence of one condition: the files chosen in a multiple file field (checked one by one,
    errors beside the field), else the ones kept from a refused submission. A list of Upload."""
    chosen = [s for s in (field.data or []) if getattr(s, "filename", "")]
    if len(chosen) > MAX_EVIDENCE_FILES:
        field.errors = list(field.errors) + [f"每个条件最多上传 {MAX_EVIDENCE_FILES} 个文件"]
        return []
    files = []
    for storage in chosen:
        try:
            files.append(Upload(*read_upload(storage, max_file_size())))
        except ValueError as e:
            field.errors = list(field.errors) + [f"{safe_filename(storage.filename)}：{e}" if len(chosen) > 1
                                                 else str(e)]
    if field.errors:
        return files
    files = files or list(kept)
    if not files and required:
        field.errors = list(field.errors) + ["请上传证明材料"]
    return files


def optional_upload(field):
    """An Attachment from an optional file field, None when empty; a bad file is a RuleError beside it."""
    from models import RuleError

    attachment = read_evidence(field, required=False)
    if field.errors:
        message = "；".join(field.errors)
        field.errors = []
        raise RuleError(message, field=field.name)
    return attachment


def check_uscc(code):
    """A Chinese message when the code is malformed or already registered, else None."""
    error = uscc_error(code)
    if error:
        return error
    if db.session.scalar(select(Contractor.id).where(Contractor.uscc == normalize_uscc(code))):
        return "该统一社会信用代码已注册。如需找回账号，请联系住所地司法局。"
    return None


def register(form, kept=None):
    """Validate a registration beyond the form's own checks and create it; None if refused.

    `kept`: {condition: [Upload]} from an earlier refused submission (services.pending_uploads); a
    condition without a new file uses them. Everything is checked before anything is added, so a refusal
    writes nothing; `form.evidence_files` is left holding each condition's good files, for the caller to
    keep.
    """
    kept = kept or {}
    ok = form.validate()
    if form.uscc.data:
        error = check_uscc(form.uscc.data)
        if error:
            form.uscc.errors = list(form.uscc.errors) + [error]
            ok = False
    if form.username.data and db.session.scalar(select(User.id).where(User.username == form.username.data.strip())):
        form.username.errors = list(form.username.errors) + ["该用户名已被使用"]
        ok = False
    evidence = {n: read_evidence_files(form.evidence(n), kept.get(n, ())) for n in CONDITIONS}
    form.evidence_files = evidence
    if not ok or any(form.evidence(n).errors for n in CONDITIONS):
        return None
    org = Contractor(
        name=form.name.data.strip(), org_type=form.org_type.data, uscc=normalize_uscc(form.uscc.data),
        seat_unit_id=form.seat_unit_id.data, legal_representative=form.legal_representative.data.strip(),
        address=form.address.data.strip(), contact_name=form.contact_name.data.strip(),
        contact_phone=form.contact_phone.data.strip(), serves_mediation=form.serves_mediation.data,
        serves_assistance=form.serves_assistance.data, status="pending",
        target_units=list(db.session.scalars(select(Unit).where(Unit.id.in_(form.target_units.data)))),
    )
    for n in CONDITIONS:
        expires = form.expires_on(n)
        org.qualifications.append(Qualification(
            condition=n, statement=form.statement(n).data,
            files=[Attachment.from_upload(u.filename, u.content_type, u.data) for u in evidence[n]],
            expires_on=expires.data if expires else None))
    admin = User(username=form.username.data.strip(), display_name=form.admin_name.data.strip(),
                 role="contractor", contractor=org)
    admin.set_password(form.password.data)
    db.session.add_all([org, admin])
    db.session.flush()
    if org.serves_mediation:
        org.number_code()  # its code in case numbers: the seat unit's short name, or 昆2 … if taken
    for q in org.qualifications:
        for att in q.files:
            att.uploaded_by_id = admin.id
    org.submit(admin)
    return org, admin
