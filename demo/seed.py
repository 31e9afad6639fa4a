"""`flask demo seed`: realistic demo data for every feature, in order (each step reads what the earlier
ones made). Idempotent: running it again changes nothing."""
from demo.dashboard import seed_dashboard
from demo.door import seed_door
from demo.evaluation import seed_evaluation
from demo.helpers import PASSWORD
from demo.inbox import seed_inbox
from demo.mediation import seed_mediation
from demo.organisations import seed_organisations
from demo.portal import seed_portal
from demo.purchasing import seed_purchasing, seed_supervision
from demo.rehabilitation import seed_rehabilitation


def seed():
    """Seed everything; the lines to print (the accounts and what each step added)."""
    created = seed_organisations()
    purchasing = seed_purchasing()
    rehabilitation = seed_rehabilitation()
    mediation = seed_mediation()
    lines = [f"演示数据已就绪（新增 {len(created)} 个承接主体）。所有演示账号的密码：{PASSWORD}",
             "  admin          系统管理员",
             "  city           市司法局（审核稀土高新区机构、查看全市）",
             "  kundulun       昆都仑区司法局（有待审核的申请）",
             "  donghe         东河区司法局",
             "  qingshan       青山区司法局",
             "  caizheng_kdl   昆都仑区财政局",
             "  herun          承接主体管理员：和润人民调解服务中心（已通过）",
             "  beifang        承接主体管理员：北方调解咨询有限公司（已退回，待修改）",
             "  lucheng        承接主体管理员：鹿城法律服务有限公司（待审核）",
             "  herun_tiaojie  调解员（和润人民调解服务中心）",
             "  pingjia        第三方评价机构"]

    supervision = seed_supervision()
    evaluation = seed_evaluation()
    return (lines + purchasing + rehabilitation + mediation + supervision + evaluation + seed_dashboard() + seed_portal()
            + seed_door() + seed_inbox())
