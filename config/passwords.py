"""A password validator that knows the passwords Vietnamese users pick.

Django's list of common passwords is English-centred: "matkhau123" (mật khẩu = password) or
"anhyeuem2024" pass it. Passwords are compared folded (no diacritics, lower case) and without
the digits and symbols people add at the ends, against common Vietnamese words and phrases.
"""

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from search.vietnamese import fold

COMMON_WORDS_FILE = Path(__file__).resolve().parent / "common_passwords_vi.txt"
_ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def _fold(text):
    """The project's Vietnamese folding, without spaces ("Mật khẩu" and "matkhau" are one)."""
    return fold(text).replace(" ", "")


class VietnameseCommonPasswordValidator:
    def __init__(self, words_file=COMMON_WORDS_FILE):
        lines = Path(words_file).read_text(encoding="utf-8").splitlines()
        self.words = {_fold(line) for line in lines if line.strip() and not line.startswith("#")}

    def validate(self, password, user=None):
        folded = _fold(password)
        if folded in self.words or _ENDS.sub("", folded) in self.words:
            raise ValidationError(
                _("Mật khẩu này quá phổ biến (ví dụ: “matkhau123”), dễ bị đoán. Hãy chọn mật khẩu khác."),
                code="password_too_common_vi",
            )

    def get_help_text(self):
        return _("Mật khẩu không được là từ hoặc cụm từ phổ biến (kể cả khi thêm số ở đầu hoặc cuối).")
