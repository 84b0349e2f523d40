"""Form files as citizens download them (cms.downloads): Vietnamese names, validators, HEAD and
byte ranges, the stable URL of a form's current file beside the exact files of old versions, the
counts per form and format (also under concurrent downloads on PostgreSQL), the home page's most
downloaded forms and the admin report; unpublished files stay out of the public's reach."""

import datetime
import hashlib
import re
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.http import http_date
from wagtail.documents import get_document_model

from cms import downloads
from cms.download_counts import record_download
from cms.models import Form, FormDownload
from tests import factories
from tests.helpers import as_user, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORM_NAME = "Mẫu số 04 - Tờ khai đề nghị hỗ trợ chi phí mai táng"
DISPOSITION = re.compile(r"""^attachment; filename="([^"\\]*)"; filename\*=UTF-8''([A-Za-z0-9%._~-]+)$""")


@pytest.fixture
def form(live_page):
    """The live form of ``live_page`` (Mẫu số 04), whose file a published version names."""
    return live_page.dossier_components.exclude(form=None).first().form


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def stored_bytes(document):
    with document.file.open("rb") as handle:
        return handle.read()


def names(response):
    """(ASCII fallback, decoded UTF-8 name) of the response's Content-Disposition."""
    match = DISPOSITION.match(response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    return match.group(1), unquote(match.group(2), encoding="utf-8", errors="strict")


def count_of(form, file_format="docx"):
    row = FormDownload.objects.filter(form=form, file_format=file_format, date=timezone.localdate()).first()
    return row.count if row else 0


def pdf_document(title="Bản để in"):
    document = get_document_model()(title=title)
    document.file.save("ban-in.pdf", ContentFile(b"%PDF-1.4\n" + b"0123456789" * 50 + b"\n%%EOF\n"), save=False)
    document.save()
    return document


# --- the document URL -----------------------------------------------------------------------------


def test_wagtails_document_url_leads_to_the_projects_view(form):
    document = form.document
    assert document.url == f"/tai-lieu/{document.pk}/{document.filename}"
    assert resolve(document.url).func is downloads.serve_document
    assert resolve(document.url).url_name == "wagtaildocs_serve"


def test_a_forms_file_carries_its_vietnamese_name_and_honest_headers(client, form):
    document = form.document
    data = stored_bytes(document)

    response = client.get(document.url)

    assert response.status_code == 200
    assert body(response) == data
    assert response.streaming  # streamed in blocks, never read whole
    fallback, name = names(response)
    assert name == f"{FORM_NAME}.docx"
    assert fallback == "Mau so 04 - To khai de nghi ho tro chi phi mai tang.docx"
    assert response["Content-Type"] == DOCX
    assert response["Content-Length"] == str(len(data))
    assert response["ETag"] == f'"{hashlib.sha1(data).hexdigest()}"'
    assert response["Last-Modified"]
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "Content-Encoding" not in response


def test_the_ascii_fallback_is_cut_between_words_and_safe_in_quotes(live_page):
    title = (
        "Tờ khai đề nghị trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở cho hộ gia đình có nhà "
        'bị đổ, sập, trôi, cháy hoàn toàn do thiên tai "năm 2025" \\ theo Nghị định 20/2021/NĐ-CP'
    )
    long_form = factories.form(code="Mẫu số 01", title=title)
    response = Client().get(long_form.document.url)
    fallback, name = names(response)

    expected = re.sub(r" +", " ", f"Mẫu số 01 - {title}".replace('"', " ").replace("\\", "-").replace("/", "-"))
    shown = name.removesuffix(".docx")
    assert expected.startswith(shown) and expected[len(shown)] in " ,", (shown, expected)  # cut between words
    assert len(shown.encode()) <= downloads.UNICODE_NAME_BYTES
    assert shown.startswith("Mẫu số 01 - Tờ khai đề nghị trợ giúp xã hội khẩn cấp")
    stem = fallback.removesuffix(".docx")
    full = downloads.ascii_name(expected)
    assert fallback.endswith(".docx") and len(stem) <= downloads.ASCII_NAME_LENGTH
    assert full.startswith(stem) and full[len(stem)] in " ,-", (stem, full)  # never inside a word
    assert stem.isascii() and '"' not in stem and "\\" not in stem


def test_a_decisions_file_is_named_after_its_title(client, live_page):
    document = pdf_document(title="Quyết định 1023/QĐ-UBND – công bố thủ tục")
    decision = live_page.announcing_decision
    decision.document = document
    decision.save_revision().publish()

    response = client.get(document.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert names(response) == (
        "Quyet dinh 1023-QD-UBND - cong bo thu tuc.pdf",
        "Quyết định 1023-QĐ-UBND – công bố thủ tục.pdf",
    )
    assert not FormDownload.objects.exists()  # not a form's file: nothing to count


def test_head_sends_the_headers_without_the_file_and_counts_nothing(client, form):
    document = form.document
    size = len(stored_bytes(document))

    response = client.head(document.url)

    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Length"] == str(size)
    assert response["ETag"] and response["Accept-Ranges"] == "bytes"
    assert names(response)[1] == f"{FORM_NAME}.docx"
    assert "Content-Encoding" not in response
    assert count_of(form) == 0


def test_byte_ranges(client, form):
    document = form.document
    data = stored_bytes(document)
    size = len(data)

    first = client.get(document.url, headers={"range": "bytes=0-9"})
    assert first.status_code == 206
    assert body(first) == data[:10]
    assert first["Content-Range"] == f"bytes 0-9/{size}"
    assert first["Content-Length"] == "10"

    rest = client.get(document.url, headers={"range": "bytes=10-"})
    assert rest.status_code == 206 and body(rest) == data[10:]
    assert rest["Content-Range"] == f"bytes 10-{size - 1}/{size}"

    tail = client.get(document.url, headers={"range": "bytes=-5"})
    assert tail.status_code == 206 and body(tail) == data[-5:]

    past_the_end = client.get(document.url, headers={"range": "bytes=0-99999999"})
    assert past_the_end.status_code == 206 and body(past_the_end) == data

    unsatisfiable = client.get(document.url, headers={"range": f"bytes={size}-"})
    assert unsatisfiable.status_code == 416
    assert unsatisfiable["Content-Range"] == f"bytes */{size}"

    several = client.get(document.url, headers={"range": "bytes=0-1,5-6"})
    assert several.status_code == 200 and body(several) == data

    etag = first["ETag"]
    same_file = client.get(document.url, headers={"range": "bytes=5-9", "if-range": etag})
    assert same_file.status_code == 206 and body(same_file) == data[5:10]
    other_file = client.get(document.url, headers={"range": "bytes=5-9", "if-range": '"' + "0" * 40 + '"'})
    assert other_file.status_code == 200 and body(other_file) == data


def test_conditional_get(client, form):
    document = form.document
    first = client.get(document.url)
    etag, modified = first["ETag"], first["Last-Modified"]

    unchanged = client.get(document.url, headers={"if-none-match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == etag and unchanged["Cache-Control"] == "public, max-age=3600"
    assert client.get(document.url, headers={"if-none-match": f"W/{etag}"}).status_code == 304
    assert client.head(document.url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(document.url, headers={"if-modified-since": modified}).status_code == 304
    earlier = http_date(timezone.now().timestamp() - 10 * 365 * 86400)
    assert client.get(document.url, headers={"if-modified-since": earlier}).status_code == 200
    assert client.get(document.url, headers={"if-none-match": '"autre"'}).status_code == 200
    assert count_of(form) == 3  # the three full downloads, not the 304s


def test_a_missing_file_hash_is_computed_and_stored(client, form):
    """Documents made before ``fill_file_metadata`` (the issue's demo) had ``ETag: ""``."""
    document = form.document
    type(document).objects.filter(pk=document.pk).update(file_hash="", file_size=None)
    data = stored_bytes(document)

    response = client.get(document.url)

    assert response["ETag"] == f'"{hashlib.sha1(data).hexdigest()}"'
    document.refresh_from_db()
    assert (document.file_hash, document.file_size) == (hashlib.sha1(data).hexdigest(), len(data))


def test_the_stable_hash_url_uses_the_same_view(client, form):
    response = client.get(reverse("document_by_hash", args=(form.document.file_hash,)))
    assert response.status_code == 200
    assert names(response)[1] == f"{FORM_NAME}.docx"
    assert response["Accept-Ranges"] == "bytes"


def test_only_get_and_head(client, form):
    assert client.post(form.document.url).status_code == 405


# --- unpublished files -----------------------------------------------------------------------------


def test_a_draft_forms_file_is_not_public(client, users, live_page):
    draft = Form(code="Mẫu số 98", title="Mẫu dự thảo", document=factories.document("du-thao.docx"), live=False)
    draft.save()
    draft.save_revision()
    document = draft.document
    stable = reverse("form_file", args=(draft.pk, "docx"))

    anonymous = as_user(client, users, "anonymous")
    assert anonymous.get(document.url).status_code == 404
    assert anonymous.get(document.url, headers={"range": "bytes=0-9"}).status_code == 404
    assert anonymous.head(document.url).status_code == 404
    assert anonymous.get(stable).status_code == 404
    assert anonymous.get(reverse("document_by_hash", args=(document.file_hash,))).status_code == 404

    editor = as_user(client, users, "editor")
    seen = editor.get(document.url)
    assert seen.status_code == 200  # editors check the file they submit
    assert seen["Cache-Control"] == "private, no-cache"  # never kept by a shared cache
    assert editor.get(stable).status_code == 404  # the stable URL is the live form's only
    assert not FormDownload.objects.exists()

    draft.get_latest_revision().publish()
    as_user(client, users, "anonymous")
    assert client.get(document.url).status_code == 200
    assert client.get(stable).status_code == 200


# --- the stable URL of a form's current file --------------------------------------------------------


def test_the_stable_url_follows_the_published_file_while_old_versions_keep_theirs(client, live_page, form):
    old_document = form.document
    old_bytes = stored_bytes(old_document)
    stable = reverse("form_file", args=(form.pk, "docx"))
    assert stable == f"/bieu-mau/{form.pk}/tai-ve.docx"
    assert downloads.form_file_url(form, old_document) == stable
    assert body(client.get(stable)) == old_bytes

    form.document = factories.document("mau-04-moi.docx", title="Mẫu mới", code="Mẫu số 04 (mới)")
    form.save_revision().publish()
    new_bytes = stored_bytes(form.document)
    assert new_bytes != old_bytes

    current = client.get(stable)
    assert current.status_code == 200 and body(current) == new_bytes
    assert names(current)[1] == f"{FORM_NAME}.docx"
    assert current["Cache-Control"] == "public, max-age=300"
    version_html = client.get(f"{live_page.url}phien-ban/1/").content.decode()
    assert f'href="{old_document.url}"' in version_html
    old = client.get(old_document.url)
    assert old.status_code == 200 and body(old) == old_bytes
    assert names(old)[1] == f"{FORM_NAME}.docx"  # named after the form it was published with
    assert count_of(form) == 3  # both files are the form's


def test_the_stable_url_serves_each_format_and_nothing_else(client, form):
    form.print_document = pdf_document()
    form.save_revision().publish()

    printed = client.get(reverse("form_file", args=(form.pk, "pdf")))
    assert printed.status_code == 200
    assert printed["Content-Type"] == "application/pdf"
    assert names(printed)[1] == f"{FORM_NAME}.pdf"
    assert body(printed) == stored_bytes(form.print_document)
    assert client.get(reverse("form_file", args=(form.pk, "xlsx"))).status_code == 404
    assert client.get(reverse("form_file", args=(form.pk + 1000, "docx"))).status_code == 404
    assert count_of(form, "pdf") == 1

    form.unpublish()
    assert client.get(reverse("form_file", args=(form.pk, "pdf"))).status_code == 404


# --- counts ----------------------------------------------------------------------------------------


def test_downloads_are_counted_per_form_format_and_day(client, form):
    url = form.document.url
    client.get(url)
    client.get(reverse("form_file", args=(form.pk, "docx")))
    client.head(url)
    client.get(url, headers={"range": "bytes=0-99"})  # a download's first part: one download
    client.get(url, headers={"range": "bytes=100-"})  # its continuation: not another
    client.get(url, headers={"range": "bytes=999999999-"})  # 416

    row = FormDownload.objects.get()
    assert (row.form_id, row.file_format, row.date, row.count) == (form.pk, "docx", timezone.localdate(), 3)
    # Aggregate only: a count per day, nothing about who.
    assert {field.name for field in FormDownload._meta.get_fields()} == {"id", "form", "file_format", "date", "count"}


def test_record_download_creates_then_increments(form):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    record_download(form.pk, "docx", yesterday)
    record_download(form.pk, "docx", yesterday)
    record_download(form.pk, "pdf", yesterday)
    assert dict(FormDownload.objects.values_list("file_format", "count")) == {"docx": 2, "pdf": 1}


# --- what the counts show --------------------------------------------------------------------------


def test_the_home_page_lists_the_most_downloaded_forms(client, live_page, form):
    other = factories.form(code="Mẫu số 05", title="Tờ khai ít người tải")
    other.print_document = pdf_document()
    other.save_revision().publish()
    hidden = factories.form(code="Mẫu số 06", title="Mẫu đã thôi công khai")
    today = timezone.localdate()
    FormDownload.objects.create(form=form, file_format="docx", date=today, count=12)
    FormDownload.objects.create(form=other, file_format="pdf", date=today - datetime.timedelta(days=3), count=4)
    FormDownload.objects.create(form=other, file_format="docx", date=today - datetime.timedelta(days=40), count=99)
    FormDownload.objects.create(form=hidden, file_format="docx", date=today, count=50)
    Form.objects.get(pk=hidden.pk).unpublish()  # the builder's instance predates its publication

    response = client.get("/")

    html = response.content.decode()
    text = text_of(response)
    assert "Biểu mẫu được tải nhiều nhất" in text
    section = html[html.index('id="popular-forms-title"') :]
    assert section.index("Mẫu số 04") < section.index("Mẫu số 05")  # 12 before 4 (the 99 are too old)
    assert "Mẫu số 06" not in section  # no longer live
    assert "12 lượt tải trong 30 ngày qua" in text and "4 lượt tải trong 30 ngày qua" in text
    assert f'href="{reverse("form_file", args=(form.pk, "docx"))}"' in section
    assert f'href="{reverse("form_file", args=(other.pk, "pdf"))}"' in section
    assert re.search(r"DOCX, \d+ KB", text)


def test_the_home_page_has_no_empty_section(client, live_page):
    assert "Biểu mẫu được tải nhiều nhất" not in text_of(client.get("/"))


def test_the_admin_report_counts_per_form_and_format(client, users, form):
    other = factories.form(code="Mẫu số 05", title="Tờ khai khác")
    today = timezone.localdate()
    FormDownload.objects.create(form=form, file_format="docx", date=today, count=7)
    FormDownload.objects.create(form=form, file_format="pdf", date=today - datetime.timedelta(days=20), count=2)
    FormDownload.objects.create(form=other, file_format="docx", date=today - datetime.timedelta(days=100), count=30)
    as_user(client, users, "reviewer")

    month = client.get(reverse("form_downloads_report"))
    assert month.status_code == 200
    tbody = month.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", tbody, flags=re.S)
    assert len(rows) == 1 and "Mẫu số 04" in rows[0]
    assert [int(n) for n in re.findall(r"<td>(?:<strong>)?(\d+)", rows[0])] == [7, 2, 9]  # DOCX, PDF, total
    week = text_of(client.get(reverse("form_downloads_report"), {"ngay": 7}))
    assert "Mẫu số 04" in week and "Mẫu số 05" not in week
    year = text_of(client.get(reverse("form_downloads_report"), {"ngay": 365}))
    assert "Mẫu số 05: Tờ khai khác" in year
    assert reverse("form_downloads_report") in client.get(reverse("wagtailadmin_home")).content.decode()  # the menu

    as_user(client, users, "anonymous")
    assert client.get(reverse("form_downloads_report")).status_code == 302  # to the login
