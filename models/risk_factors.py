"""The factors of the re-offending risk score (DOMAIN.md §8) and their default points: data only, so that
the settings' defaults (`models.setting`) and the scoring (`models.risk`) can both take them."""

# factor: (label, {answer: (label, points)})
FACTORS = {
    "age_at_release": ("释放时年龄", {"under25": ("25岁以下", 2), "25to35": ("25-35岁", 1), "over35": ("35岁以上", 0)}),
    "prior_convictions": ("前科次数", {"0": ("无", 0), "1": ("1次", 2), "2plus": ("2次及以上", 3)}),
    "first_offence_age": ("初次犯罪年龄", {"under18": ("18岁以下", 2), "18to25": ("18-25岁", 1), "older": ("25岁以上", 0)}),
    "offence_type": ("犯罪类型", {"violent": ("暴力、毒品或涉黑涉恶", 2), "property": ("财产犯罪", 1), "other": ("其他", 0)}),
    "long_sentence": ("刑期五年以上", {"yes": ("是", 1), "no": ("否", 0)}),
    "custody_conduct": ("服刑（矫正）期间表现", {"punished": ("受过处罚", 2), "ordinary": ("一般", 1), "rewarded": ("受过奖励", 0)}),
    "remorse": ("悔罪态度", {"none": ("无", 2), "partial": ("部分", 1), "clear": ("明确", 0)}),
    "family_housing": ("家庭支持和住所", {"none": ("无", 2), "weak": ("薄弱", 1), "stable": ("稳定", 0)}),
    "work_income": ("工作和收入", {"none": ("无", 2), "unstable": ("不稳定", 1), "stable": ("稳定", 0)}),
    "substance_gambling": ("吸毒、酗酒或赌博", {"current": ("目前存在", 2), "past": ("曾经有", 1), "none": ("无", 0)}),
    "antisocial_peers": ("不良交往", {"yes": ("有", 2), "no": ("无", 0)}),
    "mental_health": ("心理健康问题", {"untreated": ("未治疗", 2), "treated": ("已治疗", 1), "none": ("无", 0)}),
    "debts_victim": ("债务或与被害人矛盾", {"yes": ("有", 1), "no": ("无", 0)}),
}
LEVELS = {"low": "低", "medium": "中", "high": "高"}

DEFAULT_POINTS = {factor: {answer: points for answer, (_, points) in options.items()}
                  for factor, (_, options) in FACTORS.items()}
