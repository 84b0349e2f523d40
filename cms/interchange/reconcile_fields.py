"""Comparing one procedure field by field: the official snapshot against another system's row.

Other lists write time limits and fees as free text ("05 ngày làm việc kể từ ngày nhận đủ hồ sơ
hợp lệ", "Phí: Không; Lệ phí: Không"), while a published snapshot has numbers per submission
channel. Numbers are read from the text where that is unambiguous and compared as numbers, so
"05 ngày" equals the official 5 days whatever words follow; where the text cannot be read as a
number the two texts are compared folded, and a fee that still cannot be compared is said so
rather than counted as a difference. Every comparison ignores diacritics, case and punctuation
(other systems often lose marks or add a full stop), but reports the original texts.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.formatting import vnd
from search.vietnamese import fold

from .reconcile_read import AGENCY, CHANNELS, CODE, FEE, LEVELS, NAME, TIME_LIMIT

FIELD_LABELS = {
    CODE: gettext_lazy("Mã thủ tục"),
    NAME: gettext_lazy("Tên thủ tục"),
    TIME_LIMIT: gettext_lazy("Thời hạn giải quyết"),
    FEE: gettext_lazy("Phí, lệ phí"),
    LEVELS: gettext_lazy("Cấp thực hiện"),
    AGENCY: gettext_lazy("Cơ quan thực hiện"),
}
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_DAYS = re.compile(r"(?<![0-9])([0-9]{1,4}) *ngay")
_AMOUNT = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{3})+|[0-9]+")
_LEVEL_SEPARATORS = re.compile(r"[,;/\n]| [-–] |->| va ")
_AGENCY_SEPARATORS = re.compile(r"[;\n]+")
_UBND = re.compile(r"\bubnd\b")
_CAP = re.compile(r"(?:^| )cap(?= |$)")


@dataclass(frozen=True)
class FieldIssue:
    """One field of one procedure: a difference, or (with ``note``) a field not comparable."""

    field: str
    official: str
    theirs: str
    note: str = ""

    @property
    def label(self):
        return str(FIELD_LABELS.get(self.field, self.field))


def normalise_text(text):
    """Folded, every run of punctuation and spaces one space: "Thờ cúng liệt sĩ." ≈ "thờ cúng liệt sĩ"."""
    return _NOT_WORD.sub(" ", fold(text)).strip()


def names_differ(official, theirs):
    return normalise_text(official) != normalise_text(theirs)


def compare_fields(row, snapshot):
    """(differences, not comparable) between ``row`` (reconcile_read.TheirRow) and ``snapshot``,
    as ``FieldIssue`` lists, for the fields the row gives."""
    differences, not_compared = [], []
    channels = snapshot.get("channels", [])
    values = row.values
    checks = []
    if CHANNELS in values:
        checks += [
            _compare_structured_days(values[CHANNELS], channels),
            _compare_structured_fees(values[CHANNELS], channels),
        ]
    if TIME_LIMIT in values and CHANNELS not in values:
        checks.append(_compare_time_limit(values[TIME_LIMIT], channels))
    if FEE in values and CHANNELS not in values:
        checks.append(_compare_fee(values[FEE], channels))
    if LEVELS in values:
        checks.append(_compare_levels(values[LEVELS], snapshot.get("levels", [])))
    if AGENCY in values:
        checks.append(_compare_agencies(values[AGENCY], snapshot.get("agencies", [])))
    for issue in filter(None, checks):
        (not_compared if issue.note else differences).append(issue)
    return differences, not_compared


def _by_channel(channels, describe):
    """One text for the channels: shared when they agree, else "Trực tiếp: …; Trực tuyến: …"."""
    described = [(channel.get("channel", ""), describe(channel)) for channel in channels]
    distinct = list(dict.fromkeys(text for _label, text in described))
    if len(distinct) <= 1:
        return distinct[0] if distinct else ""
    return "; ".join(f"{label}: {text}" if label else text for label, text in described)


# --- time limits --------------------------------------------------------------------------------
def parse_days(text):
    """The number of days a free-text time limit states first ("Không quá 07 ngày làm việc" → 7)."""
    match = _DAYS.search(fold(text))
    return int(match.group(1)) if match else None


def describe_time_limit(channel):
    days, text = channel.get("time_limit_days"), channel.get("time_limit_text") or ""
    if days and text and parse_days(text) == days:
        return text
    if days:
        worded = _("%(days)s ngày làm việc") % {"days": days}
        return f"{worded}, {text}" if text else worded
    return text or _("Không ghi")


def _time_limit_texts(channels):
    return {normalise_text(describe_time_limit(channel)) for channel in channels} | {
        normalise_text(channel.get("time_limit_text")) for channel in channels if channel.get("time_limit_text")
    }


def _compare_time_limit(text, channels):
    official_days = {channel.get("time_limit_days") for channel in channels} - {None}
    days = parse_days(text)
    if days is not None and official_days:
        same = days in official_days
    else:
        same = normalise_text(text) in _time_limit_texts(channels)
    if not same:
        return FieldIssue(TIME_LIMIT, _by_channel(channels, describe_time_limit), text)
    return None


def _compare_structured_days(theirs, channels):
    their_days = {channel["time_limit_days"] for channel in theirs} - {None}
    official_days = {channel.get("time_limit_days") for channel in channels} - {None}
    if their_days or official_days:
        same = their_days == official_days
    else:
        same = {normalise_text(c["time_limit_text"]) for c in theirs} <= _time_limit_texts(channels)
    if not same:
        return FieldIssue(
            TIME_LIMIT, _by_channel(channels, describe_time_limit), _by_channel(theirs, describe_time_limit)
        )
    return None


# --- fees and charges ---------------------------------------------------------------------------
def describe_fee(channel):
    fee, charge = channel.get("fee_amount"), channel.get("charge_amount")
    if fee is None and charge is None:
        text = _("Không ghi")
    else:
        text = _("Phí: %(fee)s; Lệ phí: %(charge)s") % {
            "fee": vnd(fee) or _("không ghi"),
            "charge": vnd(charge) or _("không ghi"),
        }
    description = channel.get("fee_description") or ""
    return f"{text} ({description})" if description else text


def _known_amounts(channels):
    """(fee, charge) of each channel that states either; the other one unstated counts as none."""
    pairs = [(channel.get("fee_amount"), channel.get("charge_amount")) for channel in channels]
    return {(fee or 0, charge or 0) for fee, charge in pairs if fee is not None or charge is not None}


def parse_amount(text):
    """An amount in đồng from "50.000 đồng", "Không", "Miễn phí", "0"; None when it is not one amount."""
    folded = fold(text).strip(" .:-")
    amounts = _AMOUNT.findall(folded)
    if not amounts:
        return 0 if folded.startswith(("khong", "mien")) else None
    return int(re.sub(r"[.,]", "", amounts[0])) if len(amounts) == 1 else None


def parse_fee(text):
    """What a free-text fee says, as claims each channel must match; None when it cannot be read.

    A claim is ("split", fee, charge) for "Phí: …; Lệ phí: …" (a part not stated is None), or
    ("total", amount) for an amount without a label ("Không", "50.000 đồng"). Channels are
    separated by "|" (as this project's CSV export writes them) or, for totals, by ";".
    """
    claims = []
    for group in filter(str.strip, text.split("|")):
        labelled, totals = {}, []
        for part in filter(str.strip, re.split(r"[;\n]+", group)):
            head, colon, value = part.partition(":")
            head = normalise_text(head) if colon else ""
            if head.startswith("le phi"):
                key = "charge"
            elif head.startswith("phi") and "le phi" not in head:
                key = "fee"
            else:
                key, value = None, value if colon else part
            amount = parse_amount(value)
            if amount is None or (key and key in labelled):
                return None
            if key:
                labelled[key] = amount
            else:
                totals.append(("total", amount))
        if labelled and totals:
            return None
        claims += [("split", labelled.get("fee"), labelled.get("charge"))] if labelled else totals
    return claims or None


def _claim_matches(claim, known):
    if claim[0] == "split":
        _kind, fee, charge = claim
        return any((fee is None or fee == f) and (charge is None or charge == c) for f, c in known)
    return claim[1] in {f + c for f, c in known}


def _compare_fee(text, channels):
    known = _known_amounts(channels)
    official = _by_channel(channels, describe_fee)
    claims = parse_fee(text)
    if claims is None:
        descriptions = {normalise_text(channel.get("fee_description")) for channel in channels}
        if normalise_text(text) in descriptions - {""}:
            return None
        return FieldIssue(FEE, official, text, _("Không đọc được số tiền trong nội dung của hệ thống kia."))
    if not known:
        return FieldIssue(FEE, official, text, _("Bộ thủ tục hiện hành không ghi số tiền phí, lệ phí."))
    return None if all(_claim_matches(claim, known) for claim in claims) else FieldIssue(FEE, official, text)


def _compare_structured_fees(theirs, channels):
    their_known, known = _known_amounts(theirs), _known_amounts(channels)
    if not their_known:
        return None
    official = _by_channel(channels, describe_fee)
    theirs_text = _by_channel(theirs, describe_fee)
    if not known:
        return FieldIssue(FEE, official, theirs_text, _("Bộ thủ tục hiện hành không ghi số tiền phí, lệ phí."))
    return None if their_known == known else FieldIssue(FEE, official, theirs_text)


# --- levels and agencies ------------------------------------------------------------------------
def level_key(name):
    """ "Cấp tỉnh", "tỉnh", "TINH" → "tinh": a level is named with or without "cấp"."""
    key = normalise_text(name)
    return key[4:] if key.startswith("cap ") else key


def _their_levels(value):
    if isinstance(value, list):
        return {level_key(item) for item in value} - {""}
    text = fold(_BRACKETED.sub(" ", value))
    return {level_key(item) for item in _LEVEL_SEPARATORS.split(text)} - {""}


def _compare_levels(value, official_levels):
    theirs = _their_levels(value)
    if not theirs or theirs == {level_key(name) for name in official_levels}:
        return None
    shown = ", ".join(value) if isinstance(value, list) else value
    return FieldIssue(LEVELS, ", ".join(official_levels), shown)


def agency_key(name):
    """ "UBND xã" ≈ "Ủy ban nhân dân cấp xã": the abbreviation spelt out, the word "cấp" dropped."""
    return _CAP.sub(" ", normalise_text(_UBND.sub("uy ban nhan dan", fold(name)))).strip()


def _compare_agencies(value, official_agencies):
    """Each agency the other list names must be one of the procedure's agencies (in any role):
    other lists name some of them, usually only the implementing one."""
    names = value if isinstance(value, list) else _AGENCY_SEPARATORS.split(value)
    theirs = {agency_key(name) for name in names} - {""}
    official_names = list(dict.fromkeys(agency["name"] for agency in official_agencies))
    if not theirs or theirs <= {agency_key(name) for name in official_names}:
        return None
    shown = "; ".join(value) if isinstance(value, list) else value
    return FieldIssue(AGENCY, "; ".join(official_names), shown)
