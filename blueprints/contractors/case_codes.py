"""The code in each mediation organisation's case numbers: the example number a page shows, and the
administrator's page of every organisation's code (shared by the contractor and admin views)."""
from sqlalchemy import select

from blueprints.contractors.forms import CaseCodeForm
from extensions import db
from models import Contractor, clock
from services import settings
from services.web import render


def number_example(org):
    """How its next case numbers read, e.g. （2026）昆2调字第1号 (without giving it a code on a read)."""
    if not org.serves_mediation:
        return None
    code = org.case_code or org.default_case_code()
    return settings.get("mediation.number_pattern").format(year=clock.today().year, short=code, seq=1)


def case_codes_page(status=200, failed=None):
    """Every mediation organisation with the code of its case numbers; `failed`: (id, form) to re-show."""
    rows = db.session.scalars(select(Contractor).where(Contractor.serves_mediation.is_(True))
                              .order_by(Contractor.seat_unit_id, Contractor.id)).all()
    forms = {org.id: CaseCodeForm(formdata=None, case_code=org.case_code) for org in rows}
    if failed:
        forms[failed[0]] = failed[1]
    return render("admin/case_codes.html", rows=rows, forms=forms, examples={o.id: number_example(o) for o in rows},
                  status=status)
