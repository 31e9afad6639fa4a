"""Check characters of the resident ID number (GB 11643) and the unified social credit code (GB 32100)."""
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_number_error(value, today=None):
    """None when valid, else a message in Chinese. Lower-case x is accepted."""
    v = (value or "").strip().upper()
    if len(v) != 18 or not v[:17].isdigit() or not (v[17].isdigit() or v[17] == "X"):
        return "居民身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X"
    try:
        born = date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "身份证号中的出生日期不存在"
    if today is not None and born > today:
        return "身份证号中的出生日期晚于今天"
    if born.year < 1900:
        return "身份证号中的出生日期不合理"
    total = sum(int(d) * w for d, w in zip(v[:17], _ID_WEIGHTS))
    if _ID_CHECK[total % 11] != v[17]:
        return "身份证号校验位不正确，请核对"
    return None


def normalize_id_number(value):
    return (value or "").strip().upper()


def id_number_gender(value):
    v = normalize_id_number(value)
    return "男" if int(v[16]) % 2 else "女"


def mask_id_number(value):
    v = normalize_id_number(value)
    return v[:6] + "********" + v[-4:] if len(v) == 18 else "****"


def uscc_check_char(first17):
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def uscc_error(value):
    """None when valid, else a message in Chinese."""
    v = (value or "").strip().upper()
    if len(v) != 18:
        return "统一社会信用代码应为 18 位"
    bad = sorted({c for c in v if c not in _USCC_CHARS})
    if bad:
        return "统一社会信用代码含有不允许的字符：" + "".join(bad) + "（不使用 I、O、S、V、Z）"
    if uscc_check_char(v[:17]) != v[17]:
        return "统一社会信用代码校验位不正确，请核对"
    return None


def normalize_uscc(value):
    return (value or "").strip().upper()
