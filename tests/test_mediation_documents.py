"""Mediation documents read back with python-docx, hostile text intact, the case file in order, PDF."""
from datetime import date, datetime

import pytest

import docgen
from extensions import db
from models import Attachment
from models import clock
from tests import factories
from tests.docs import docx_text, to_pdf
from tests.mediation_factories import HOSTILE, make_case, party


def full_case(text=None, state="written"):
    """A court-referred case with an organisation as respondent, an agent, a follow-up and a confirmation."""
    parties = [party(name="赵大海", id_number="150203199001010010", agent="律师孙红霞"),
               party(name="钱小红", gender="female", ethnicity="蒙古族"),
               party("respondent", "鹿城物业有限公司", kind="organisation", id_number="91110000600037341L",
                     gender=None, birth_date=None)]
    case = make_case("worker_x", state=state, received_on=date(2026, 11, 2), source="court", text=text,
                     parties=parties, performance_due=date(2026, 11, 20) if state == "written" else None,
                     concluded_on=date(2026, 11, 10))
    admin = factories.user("contractor_x")
    if state == "written":
        case.add_follow_up(admin, {"visited_on": date(2026, 11, 25), "way": "visit", "visited_person": "赵大海",
                                   "visitor": "张志强", "performance": "full", "notes": text or "已全部履行"})
        case.record_confirmation(admin, {"applied_on": date(2026, 11, 12), "court": "昆都仑区人民法院",
                                         "court_number": "（2026）内0203民特7号", "result": "confirmed",
                                         "decided_on": date(2026, 11, 20)})
    case.add_file_item(admin, 3, Attachment.from_upload("身份证.pdf", "application/pdf", factories.PDF))
    db.session.flush()
    return case


def test_the_agreement_holds_every_part_the_law_lists(app):
    case = full_case()
    out = docx_text(docgen.render("mediation_agreement", case))
    assert "人民调解协议书" in out and "（2026）昆调字第1号" in out
    # The parties' basic data (art. 29), several on one side, an organisation with its credit code, an agent.
    for piece in ("申请人：赵大海", "男", "汉族", "51岁", "身份证号150203199001010010", "个体经营",
                  "住所：包头市昆都仑区阿尔丁大街 5 号", "电话：13900000001", "委托代理人：律师孙红霞",
                  "申请人：钱小红", "蒙古族", "被申请人：鹿城物业有限公司", "统一社会信用代码91110000600037341L"):
        assert piece in out, piece
    # Main facts and disputed matters, each party's responsibility, what was agreed, how and by when.
    for piece in ("漏水损失的赔偿", "楼上住户承担全部责任", "钱小红赔偿赵大海维修费 3000 元", "一次性现金支付",
                  "2026年11月20日前履行完毕"):
        assert piece in out, piece
    # Copies = parties + 1; effect on signatures and seal; the mediator; the committee's seal; the date.
    assert "本协议一式4份" in out and "人民调解员签名并加盖人民调解委员会印章之日起生效" in out
    assert "人民调解员（签名）：＿＿＿＿＿＿（张志强）" in out
    assert "和润调解中心（印）" in out and "2026年11月10日" in out
    assert out.count("（签名、盖章或者按指印）") == 3


@pytest.mark.parametrize("kind,needles", [
    ("mediation_application", ["人民调解申请书", "1. 赔偿维修费用", "2. 赔礼道歉", "自愿申请人民调解", "2026年11月2日"]),
    ("mediation_intake", ["人民调解受理登记表", "人民法院委托移送（包头市昆都仑区人民法院，（2026）内0203民诉前调1号）",
                          "邻里纠纷", "昆都仑区昆北街道", "人民币壹万贰仟元零伍角整（¥12,000.50）", "鹿城物业有限公司",
                          "登记人（签名）"]),
    ("mediation_notice", ["人民调解权利义务告知书", "选择或者接受人民调解员", "如实陈述纠纷事实",
                          "以上内容已于2026年11月2日告知"]),
    ("mediation_follow_up", ["人民调解回访记录", "（2026）昆调字第1号", "2026年11月25日", "上门回访", "已全部履行",
                             "回访人（签名）：＿＿＿＿＿＿（张志强）"]),
    ("mediation_case_file", ["人民调解卷宗", "卷内目录", "赵大海、钱小红、鹿城物业有限公司邻里纠纷"]),
])
def test_each_document_reads_back_with_the_case_data(app, kind, needles):
    case = full_case()
    target = case.follow_ups[0] if kind == "mediation_follow_up" else case
    out = docx_text(docgen.render(kind, target))
    for needle in needles:
        assert needle in out, needle


def test_records_and_the_oral_agreement_form(app):
    case = full_case(state="oral")
    out = docx_text(docgen.render("mediation_investigation", case.investigations[0]))
    assert "人民调解调查记录" in out and "问：何时漏水？答：上月。" in out and "2026年11月2日 09:30" in out
    out = docx_text(docgen.render("mediation_session", case.sessions[0]))
    for needle in ("人民调解记录", "社区网格员", "双方陈述各自意见。", "漏水属实", "告知诉讼风险", "达成协议",
                   "以上记录已向当事人宣读"):
        assert needle in out, needle
    out = docx_text(docgen.render("mediation_oral_agreement", case))
    assert "口头调解协议登记表" in out and "口头协议自达成之日起生效" in out and "钱小红赔偿赵大海维修费 3000 元" in out


def test_hostile_text_survives_in_every_document(app):
    case = full_case(text=HOSTILE)
    for kind, target in (("mediation_agreement", case), ("mediation_application", case), ("mediation_intake", case),
                         ("mediation_investigation", case.investigations[0]),
                         ("mediation_session", case.sessions[0]), ("mediation_follow_up", case.follow_ups[0]),
                         ("mediation_case_file", case)):
        out = docx_text(docgen.render(kind, target))
        assert HOSTILE in out, kind


def test_the_case_file_has_its_parts_in_order(app):
    case = full_case()
    case.add_file_item(factories.user("contractor_x"), 9, Attachment.from_upload("收据.pdf", "application/pdf",
                                                                                 factories.PDF))
    clock.set_now(datetime(2026, 11, 27, 10, 0))
    case.archive(factories.user("contractor_x"), "30")
    db.session.flush()
    out = docx_text(docgen.render("mediation_case_file", case))
    body = out.split("卷宗封底")[0]
    order = ["人民调解卷宗", "卷内目录", "人民调解申请书", "人民调解受理登记表", "人民调解权利义务告知书", "身份证明",
             "人民调解调查记录", "人民调解记录", "人民调解协议书", "履行凭证", "人民调解回访记录", "司法确认材料"]
    positions = [body.index(title) for title in order]
    assert positions == sorted(positions), list(zip(order, positions))
    assert "卷宗封底" in out and "保管期限：30年" in out and "立卷日期：2026年11月27日" in out
    assert "身份证.pdf" in out and "收据.pdf" in out and "（2026）内0203民特7号" in out
    # The contents table lists the parts present, numbered, in the same order.
    assert "调解协议书" in out and "本卷共10件材料。" in out


def test_every_document_converts_to_pdf(app):
    case = full_case(text=HOSTILE[:300])
    oral = full_case(state="oral")
    for kind, target in (("mediation_agreement", case), ("mediation_oral_agreement", oral),
                         ("mediation_application", case), ("mediation_intake", case), ("mediation_notice", case),
                         ("mediation_investigation", case.investigations[0]), ("mediation_session", case.sessions[0]),
                         ("mediation_follow_up", case.follow_ups[0]), ("mediation_case_file", case)):
        assert to_pdf(docgen.render(kind, target)).startswith(b"%PDF-"), kind


def test_templates_are_what_the_build_script_makes(app):
    import io
    import os

    from docx import Document

    from docgen import TEMPLATES
    from docgen.build import build_bytes
    from docgen.mediation import TEMPLATES as MINE

    for name, (builder, options) in MINE.items():
        built = Document(io.BytesIO(build_bytes(builder, options)))
        with open(os.path.join(TEMPLATES, name), "rb") as fh:
            committed = Document(fh)
        assert [p.text for p in built.paragraphs] == [p.text for p in committed.paragraphs], name
