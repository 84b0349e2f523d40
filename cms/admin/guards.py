"""What the admin hooks run before deleting, publishing, copying or serving: the publication
rules (``cms.publishing``) turned into a Vietnamese message on the page the user was on."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.documents import get_document_model
from wagtail.models import Page

from .. import publishing
from ..models import ProcedurePage
from .documents import PUBLISHED_DOCUMENT_CANNOT_BE_DELETED
from .viewsets import warn_already_in_moderation


def explain_resubmitting_pages_in_moderation(request, page):
    """The page editor turns "submit" on a page already in moderation into a plain save; say why."""
    if request.method == "POST" and request.POST.get("action-submit") and page.workflow_in_progress:
        warn_already_in_moderation(request, page, saved=False)
    return None


def refuse_deleting_published_procedures(request, page):
    """A published procedure is a legal reference: it is abolished (bãi bỏ), never deleted."""
    if publishing.has_published_versions([page]):
        _refuse_deleting_published(request)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


def _refuse_deleting_published(request):
    """The single and the bulk delete refuse with the same words."""
    messages.error(
        request,
        _(
            "Không thể xóa thủ tục đã từng được công bố: các phiên bản đã công bố là văn bản để tra cứu. "
            "Hãy công bố bãi bỏ thủ tục (loại thay đổi “Bãi bỏ”) theo quyết định công bố."
        ),
    )


def guard_bulk_page_actions(request, action_type, objects, action):
    """Wagtail's page bulk actions skip ``before_delete_page`` and publish without a form.

    Bulk delete would end in a server error on a published procedure (its versions are
    protected), and bulk publish in one on a revision that fails validation (a procedure code
    already live elsewhere). Refuse both with a message instead; who may publish, unpublish or
    move is still Wagtail's permission check (editors may not publish or unpublish).
    """
    if not objects:
        return None
    if issubclass(action.model, get_document_model()):
        return _guard_bulk_document_actions(request, action_type, objects)
    if not issubclass(action.model, Page):
        return None
    if action_type == "delete" and publishing.has_published_versions(objects):
        _refuse_deleting_published(request)
        return _back_from_bulk_action(request, objects)
    if action_type == "publish":
        include_descendants = action.cleaned_form.cleaned_data.get("include_descendants")
        problems = publishing.bulk_publication_problems(objects, include_descendants)
        if problems:
            for problem in problems:
                messages.error(request, problem)
            return _back_from_bulk_action(request, objects)
    return None


def _guard_bulk_document_actions(request, action_type, documents):
    if action_type == "delete" and any(publishing.document_is_frozen(document.pk) for document in documents):
        messages.error(request, PUBLISHED_DOCUMENT_CANNOT_BE_DELETED)
        return redirect(get_valid_next_url_from_request(request) or reverse("wagtaildocs:index"))
    return None


def _back_from_bulk_action(request, objects):
    """Back to the listing the action came from (or the parent's), where the messages show."""
    return redirect(
        get_valid_next_url_from_request(request) or reverse("wagtailadmin_explore", args=(objects[0].get_parent().pk,))
    )


def refuse_publishing_copies_of_procedures(request, page):
    """A copy of a procedure is a new procedure: it goes through approval as a draft.

    Publishing the copy (or making it an alias, which is live) would put a second live procedure
    with the same code online without review, and ends in a server error (the code must be
    unique among live procedures). Copying as a draft stays possible.
    """
    if request.method != "POST" or not _copy_would_be_live(request):
        return None
    if not page.get_descendants(inclusive=True).type(ProcedurePage).exists():
        return None
    messages.error(
        request,
        _(
            "Bản sao của thủ tục hành chính phải được trình duyệt trước khi công khai: hãy sao chép thành "
            "bản nháp (không chọn đăng bản sao, không tạo trang bí danh), rồi gửi duyệt."
        ),
    )
    return redirect(request.get_full_path())


def _copy_would_be_live(request):
    """Whether the copy form asks to publish the copies or make a (live) alias, read as Django would."""
    checkbox = forms.CheckboxInput()
    return any(checkbox.value_from_datadict(request.POST, None, name) for name in ("publish_copies", "alias"))


def serve_only_published_documents(document, request):
    """Drafts and revisions in moderation are never public, and neither are their files.

    The public downloads a file only when a live form or decision, or a published procedure
    version, links to it; anyone who may use the admin downloads any file (editors preview
    drafts). A refused download is the same 404 as a missing file: ids are sequential.
    """
    if request.user.has_perm("wagtailadmin.access_admin") or publishing.document_is_published(document.pk):
        return None
    raise Http404


def refuse_deleting_referenced_snippets(request, instances):
    """Sectors, agencies, levels, forms, decisions and legal documents a published version names stay."""
    named = publishing.first_named_by_published_version(instances)
    if named is None:
        return None
    messages.error(
        request,
        _(
            "Không thể xóa “%(name)s”: một phiên bản thủ tục đã công bố có sử dụng. "
            "Hãy đánh dấu thôi sử dụng và chọn đơn vị kế thừa."
        )
        % {"name": named},
    )
    return redirect(_same_site_referer(request) or "wagtailadmin_home")


def _same_site_referer(request):
    """The page the user came from, if it is on this site (a Referer is whatever the client sends)."""
    referer = request.META.get("HTTP_REFERER", "")
    allowed = url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure())
    return referer if allowed else None


def record_who_published(request, page):
    """Direct publications are logged after page_published fires: take the user from the request."""
    publishing.record_direct_publisher(page, request.user)
