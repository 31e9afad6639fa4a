"""Password rules for every place a password is chosen (registration, own change, admin reset, new logins).

A password must have at least MIN_LENGTH characters, mix at least two kinds of characters (lower-case
letters, upper-case letters, digits, other signs), differ from the user name, and not be one of the
passwords every attacker tries first.
"""
from wtforms.validators import ValidationError

MIN_LENGTH = 10
MAX_LENGTH = 200

# The commonest passwords (international and Chinese lists), compared case-insensitively; only those
# that would otherwise pass the length and mix rules need to be here.
COMMON = frozenset("""
password123 password1234 password12 password01 passw0rd123 p@ssw0rd123 p@ssword123 qwerty1234 qwerty12345
qwertyuiop1 1qaz2wsx3edc 1q2w3e4r5t 1q2w3e4r5t6y qaz123456789 zxcvbnm123 asdfghjkl1 abc1234567 abcd123456
abc123456789 a123456789 a1234567890 aa123456789 woaini1314 woaini123456 iloveyou123 iloveyou12 admin12345
admin123456 administrator1 root123456 welcome123 welcome1234 letmein123 changeme123 test123456 123456789a
1234567890a 123456abcd 123qweasd 123qweasdzxc qweasdzxc123 fengqiao123 fengqiao2026 sifaju123456
tiaojie123456 zhangsan123 password2026 password2025 abcdefg123 88888888aa 5201314abc
""".split())


def _kinds(password):
    kinds = set()
    for ch in password:
        if ch.isdigit():
            kinds.add("digit")
        elif ch.isalpha():
            kinds.add("upper" if ch.isupper() else "lower" if ch.islower() else "letter")
        else:
            kinds.add("other")
    return kinds


def problem(password, username=None):
    """What is wrong with the password (a Chinese sentence), or None if it may be used."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位"
    if len(password) > MAX_LENGTH:
        return f"密码最多 {MAX_LENGTH} 位"
    if len(_kinds(password)) < 2:
        return "密码须包含至少两类字符（小写字母、大写字母、数字、符号）"
    lowered = password.lower()
    if username and username.strip() and username.strip().lower() in lowered:
        return "密码不能包含用户名"
    if lowered in COMMON:
        return "该密码过于常见，容易被猜中，请换一个"
    return None


class StrongPassword:
    """WTForms validator. The user name comes from the form's `username` field or `password_owner`."""

    def __call__(self, form, field):
        owner = getattr(form, "password_owner", None)
        if owner is None and "username" in form:
            owner = form["username"].data
        message = problem(field.data, owner)
        if message:
            raise ValidationError(message)


RULES_TEXT = f"至少 {MIN_LENGTH} 位，含两类以上字符（字母、数字、符号），不含用户名，不用常见密码。"
