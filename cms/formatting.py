"""Money, dates and numbers as the public reads and types them (a pure module).

Money is in đồng with dots between thousands; dates read dd/mm/yyyy everywhere. Query-string
values are parsed leniently: anything odd is "no value", never an error.
"""

import datetime
import re

from django.utils.translation import gettext as _

_SMALL_NUMBER = re.compile(r"[0-9]{1,8}")


def vnd(amount):
    """1500000 -> "1.500.000 đồng"; 0 -> "Không"; None -> ""."""
    if amount in (None, ""):
        return ""
    amount = int(amount)
    if amount == 0:
        return _("Không")
    return f"{amount:,}".replace(",", ".") + " " + _("đồng")


def dmy(iso_date):
    """ "2025-07-01" -> "01/07/2025"; "" or None -> ""."""
    return "/".join(reversed(iso_date.split("-"))) if iso_date else ""


def parse_iso_date(iso_date):
    """A date stored as ISO text in a snapshot, or None."""
    return datetime.date.fromisoformat(iso_date) if iso_date else None


def parse_typed_date(value):
    """A date typed as dd/mm/yyyy (or yyyy-mm-dd from a date input); None when not a date."""
    value = (value or "").strip()[:20]
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def parse_small_int(value):
    """A non-negative number of at most eight digits, or None (``?tu=²`` is not a number)."""
    return int(value) if _SMALL_NUMBER.fullmatch(value or "") else None


def file_size(size):
    """A file's size as a citizen reads it before downloading, with a decimal comma.

    24_576 -> "24 KB"; 1_572_864 -> "1,5 MB"; 300 -> "1 KB" (nothing reads as "0 KB");
    None or 0 -> "" (unknown).
    """
    if not size:
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    megabytes = f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")
    return f"{megabytes} MB"
