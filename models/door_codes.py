"""Code lists of the parties' own door (public application, dispatch, signing)."""

# Townships (乡镇、街道) of each unit's area, offered on the application form; "" = not sure.
TOWNSHIPS = {
    "150200": ("稀土路街道", "万水泉镇", "民族东路街道"),
    "150202": ("和平路街道", "南门外街道", "西脑包街道", "河东街道", "东兴街道", "沙尔沁镇"),
    "150203": ("昆北街道", "阿尔丁街道", "团结街道", "少先路街道", "鞍山道街道", "沼潭街道", "友谊大街街道",
               "林荫路街道", "卜尔汉图镇"),
    "150204": ("先锋道街道", "幸福路街道", "钢铁大街街道", "自由路街道", "青福镇"),
    "150205": ("石拐街道", "大德恒街道", "五当召镇"),
    "150206": ("通阳道街道", "矿山路街道"),
    "150207": ("沙河街道", "赛汗街道", "萨如拉街道", "哈林格尔镇", "麻池镇"),
    "150221": ("萨拉齐镇", "双龙镇", "美岱召镇", "沟门镇"),
    "150222": ("金山镇", "西斗铺镇", "下湿壕镇"),
    "150223": ("百灵庙镇", "石宝镇", "满都拉镇"),
}

STATES = {
    "new": "已收到，待分派",
    "dispatched": "已分派调解组织，待受理",
    "accepted": "已受理",
    "declined": "调解组织不予受理，待重新分派",
    "closed": "不予受理",
}
OPEN_STATES = ("new", "dispatched", "declined")

STEPS = {
    "received": "申请已收到",
    "dispatched": "已分派给调解组织",
    "auto_dispatched": "已按服务合同自动分派给调解组织",
    "accepted": "调解组织已受理",
    "declined": "调解组织不予受理",
    "closed": "不予受理",
}

# What the applicant consents to (stored with the version shown).
CONSENT_VERSION = "2026-1"
CONSENT_PURPOSE = ("您填写的信息仅用于受理和办理本次人民调解申请：由纠纷发生地的司法局分派给人民调解组织，"
                   "调解组织据此联系您和对方当事人、登记案件并开展调解。信息不公开，不用于其他目的。")

SIGNING_STATES = {"open": "签署中", "complete": "已签署生效", "cancelled": "已作废"}
SIGN_WAYS = {"screen": "屏幕签名", "paper": "纸质签名（调解员记录）"}
