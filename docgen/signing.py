"""The written agreement with its on-screen signatures (law art. 29): each party's and the mediator's
signature image in its signature line (docxtpl InlineImage), the signing time, and the SHA-256 of the
agreement text that was signed. Paper signatures leave the line for the pen, noted as recorded."""
import io

from docx.shared import Mm
from docxtpl import InlineImage

from docgen.registry import IMAGES, register
from docgen.formats import cn_date
from docgen.mediation import BLANK, case_context
from models.signing import completed_signing


def _note(signature):
    if signature.signed_at is None:
        return "（待签名）"
    when = f"{cn_date(signature.signed_at)} {signature.signed_at:%H:%M}"
    return f"（{when}屏幕签名）" if signature.way == "screen" else f"（{when}记录已在纸质协议上签名）"


def _image(tpl, signature):
    if signature.way == "screen" and signature.image:
        return InlineImage(tpl, io.BytesIO(signature.image), height=Mm(12))
    return BLANK


def has_images(signing):
    return any(s.way == "screen" and s.image for s in signing.signatures)


def add_signatures(signing, tpl, context):
    """Put the signing's signatures into an agreement context built from its case."""
    by_party = {s.party_id: s for s in signing.signatures if s.role == "party"}
    parties = signing.case.parties
    for p, row in zip(parties, context["c"]["parties"]):
        s = by_party.get(p.id)
        if s is not None:
            row["sign"], row["signed_note"] = _image(tpl, s), _note(s)
    mediator = next((s for s in signing.signatures if s.role == "mediator"), None)
    a = context["a"]
    if mediator is not None:
        a["mediator_sign"], a["mediator_note"] = _image(tpl, mediator), _note(mediator)
    a["sha256"] = signing.text_sha256


def signing_context(signing):
    case = signing.case
    due = signing.performance_due
    return {"c": case_context(case), "a": {
        "matters": signing.matters, "responsibility": signing.responsibility, "terms": signing.terms,
        "performance": signing.performance, "performance_due": f"（{cn_date(due)}前履行完毕）" if due else "",
        "effective_on": cn_date(signing.completed_at) if signing.completed_at else "（各方签名后生效）",
        "copies": str(len(case.parties) + 1), "mediator_sign": BLANK, "mediator_note": "", "sha256": ""}}


@register("mediation_signed_agreement", "mediation_agreement.docx",
          lambda s: f"调解协议书（签署）-{s.case.number}.docx")
def signed_agreement_doc(signing):
    """The agreement of a signing (open or complete). Without screen signatures no images are needed,
    so the names, times and hash are filled here; with them, the image hook fills the same fields."""
    context = signing_context(signing)
    if not has_images(signing):
        add_signatures(signing, None, context)
    return context


def _signed_agreement_images(signing):
    return (lambda tpl, context: add_signatures(signing, tpl, context)) if has_images(signing) else None


def _case_agreement_images(case):
    """The case's agreement document carries the signatures of the signing that made it effective
    (a signing on paper only leaves the case's document as it always was: lines for the pen)."""
    signing = completed_signing(case)
    if signing is None or not has_images(signing):
        return None
    return lambda tpl, context: add_signatures(signing, tpl, context)


IMAGES["mediation_signed_agreement"] = _signed_agreement_images
IMAGES["mediation_agreement"] = _case_agreement_images
