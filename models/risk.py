"""The re-offending risk score of DOMAIN.md §8: points per factor, a total, and a level (advisory)."""
from models.risk_factors import DEFAULT_POINTS, FACTORS, LEVELS  # noqa: F401
from models.setting import Setting


def points():
    """The points per factor and answer: the DOMAIN.md §8 defaults, or the city's setting."""
    return Setting.get("risk.points")


def score(answers):
    """(total points, level) for a complete set of answers; KeyError names a missing or unknown answer."""
    table = points()
    total = 0
    for factor, (_, options) in FACTORS.items():
        options[answers[factor]]  # an unknown answer is a KeyError even where the setting lacks it
        total += table[factor][answers[factor]]
    return total, level_for(total)


def level_for(total):
    if total >= Setting.get("risk.high_from"):
        return "high"
    if total >= Setting.get("risk.medium_from"):
        return "medium"
    return "low"


def describe(answers):
    """[(factor label, answer label, points)] for forms and documents."""
    table = points()
    out = []
    for factor, (label, options) in FACTORS.items():
        answer = answers.get(factor)
        if answer in options:
            out.append((label, options[answer][0], table[factor][answer]))
    return out
