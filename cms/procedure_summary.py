"""What a citizen asks first about a procedure, read from its snapshot (a pure module).

How long, how much, where to go, what to download: the summary at the top of the procedure
page, its meta description (what a link shared in Zalo or Facebook previews) and the printed
guidance sheet all say it the same way, so it is worked out once, here, from the published
snapshot (``cms.snapshots``) and never from the editable page.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import AgencyRole
from .formatting import vnd

# A phone number that can be dialled as written (digits, spaces, dots, dashes, brackets, a
# leading +); anything else ("0200 3 000 000 – máy lẻ 12", two numbers) is shown, not linked.
_DIALLABLE = re.compile(r"\+?[0-9][0-9 .()-]{5,18}[0-9]")


def channel_time_limit(channel):
    """One channel's time limit, said once: "5 ngày làm việc", the editor's text, or both.

    Editors often type the days again in the explanation ("05 ngày làm việc kể từ ngày nhận đủ
    hồ sơ hợp lệ"); printing "5 ngày làm việc" above it was the page saying it twice.
    """
    days = channel.get("time_limit_days")
    text = (channel.get("time_limit_text") or "").strip()
    if not days:
        return text
    days_text = ngettext("%(days)s ngày làm việc", "%(days)s ngày làm việc", days) % {"days": days}
    if not text:
        return days_text
    if re.search(rf"(?<![0-9])0*{days}\s*ngày", text):
        return text
    return f"{days_text} {text}"


def channel_fee(channel):
    """One channel's fees and charges in VND, or "Không mất phí" when nothing is charged."""
    parts = []
    for key, label in (("fee_amount", _("Phí")), ("charge_amount", _("Lệ phí"))):
        if channel.get(key):
            parts.append(f"{label}: {vnd(channel[key])}")
    description = (channel.get("fee_description") or "").strip()
    if description:
        parts.append(description)
    return "; ".join(parts) if parts else _("Không mất phí")


def _grouped(channels, text_of):
    """``[{"channels": [labels], "text": text}]``: channels saying the same thing share a line,
    so a time limit common to every channel is printed once."""
    groups = []
    for channel in channels:
        text = text_of(channel)
        if not text:
            continue
        for group in groups:
            if group["text"] == text:
                group["channels"].append(channel["channel"])
                break
        else:
            groups.append({"channels": [channel["channel"]], "text": text})
    return groups


def time_limits(channels):
    return _grouped(channels, channel_time_limit)


def fees(channels):
    return _grouped(channels, channel_fee)


def one_line(groups):
    """Grouped lines as one line of text: "5 ngày làm việc", or per channel when they differ."""
    if len(groups) == 1:
        return groups[0]["text"]
    return "; ".join(f"{', '.join(group['channels'])}: {group['text']}" for group in groups)


def dialable(phone):
    """``phone`` as a ``tel:`` number, or "" when it cannot be dialled as written."""
    phone = (phone or "").strip()
    if not _DIALLABLE.fullmatch(phone):
        return ""
    return ("+" if phone.startswith("+") else "") + re.sub(r"[^0-9]", "", phone)


def agency_rows(agencies):
    """Every agency of the snapshot with its contacts, in the national standard's order of roles.

    Snapshots published before agencies had contacts have no address, phone or hours: they read
    as empty, never as an error.
    """
    order = {str(label): index for index, label in enumerate(AgencyRole.labels)}
    rows = [
        {
            "role": agency["role"],
            "role_code": agency.get("role_code", ""),
            "name": agency["name"],
            "agency_id": agency.get("agency_id"),
            "address": agency.get("address") or "",
            "phone": agency.get("phone") or "",
            "tel": dialable(agency.get("phone")),
            "opening_hours": agency.get("opening_hours") or "",
        }
        for agency in agencies
    ]
    return sorted(rows, key=lambda row: order.get(row["role"], len(order)))


def contact_columns(rows):
    """The contact columns that have something in them (no empty column on the page)."""
    return {name: any(row[name] for row in rows) for name in ("address", "opening_hours", "phone")}


def where_to_go(agencies):
    """The agencies a citizen goes to, with their contacts: those implementing the procedure
    (by role code, or by label for snapshots without codes), each once, and only those whose
    address, hours or phone is known."""
    implementing = str(AgencyRole.IMPLEMENTING.label)
    seen, found = set(), []
    for row in agency_rows(agencies):
        if row["role_code"] != AgencyRole.IMPLEMENTING and row["role"] != implementing:
            continue
        key = row["agency_id"] or row["name"]
        if key in seen or not (row["address"] or row["phone"] or row["opening_hours"]):
            continue
        seen.add(key)
        found.append(row)
    return found


def forms_to_download(dossier_groups):
    """Each form of the dossier once, with its files (format, size, URL of the exact file)."""
    seen, forms = set(), []
    for _case, components in dossier_groups:
        for component in components:
            form = component.get("form")
            if form and form["form_id"] not in seen:
                seen.add(form["form_id"])
                forms.append(form)
    return forms


def print_file(form):
    """The file a printed QR code leads to: the PDF to print when the form has one (a phone opens
    it anywhere), else its only file."""
    files = form["files"]
    return next((file for file in files if file["extension"] == "PDF"), files[0])


def description(snapshot):
    """One sentence for the meta description and Open Graph (what a shared link previews): the
    name and code, then the time limit and the fees.

    "Hỗ trợ chi phí mai táng… (mã 1.001731): thời hạn giải quyết 5 ngày làm việc; không mất phí. …"
    """
    channels = snapshot.get("channels", [])
    name = snapshot["title"] + (f" ({_('mã')} {snapshot['code']})" if snapshot.get("code") else "")
    details = []
    if limit := one_line(time_limits(channels)):
        details.append(_("thời hạn giải quyết %(limit)s") % {"limit": limit})
    if charged := fees(channels):
        fee = one_line(charged)
        details.append(_("không mất phí") if fee == _("Không mất phí") else _("phí, lệ phí: %(fee)s") % {"fee": fee})
    lead = f"{name}: {'; '.join(details)}." if details else f"{name}."
    return f"{lead} {_('Trình tự, hồ sơ, biểu mẫu và nơi nộp hồ sơ.')}"
