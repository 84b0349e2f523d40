"""Where a form is used, on the form's edit view: before changing a form's file or title, an
editor sees every procedure it reaches now and every published version that carries it.

Two different things, both listed:
- live procedures whose current content names the form in their dossier
  (``DossierComponent.form``): a newly approved file reaches their pages with their next version;
- published versions whose frozen snapshot names the form (``snapshot_references``): legal
  references that keep the exact file they were published with, whatever happens to the form.
"""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from search.vietnamese import vietnamese_sort_key

from ..models import ProcedurePage, ProcedureVersion


class FormUsagePanel(Panel):
    """A read-only panel listing the form's procedures and published versions (see the module)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Sử dụng ở đâu"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/admin/form_usage_panel.html"

        def is_shown(self):
            return self.instance is not None and self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(form_usage(self.instance))
            return context


def form_usage(form):
    """``procedures`` (live, naming the form now) and ``versions`` (published, naming it), each
    row with what the admin shows and links to."""
    live = list(
        ProcedurePage.objects.live()
        .filter(dossier_components__form=form)
        .distinct()
        .select_related("replaced_by")
        .order_by("sort_key", "pk")
    )
    in_force = set(ProcedurePage.objects.in_force().filter(pk__in=[p.pk for p in live]).values_list("pk", flat=True))
    procedures = [
        {
            "title": page.title,
            "code": page.code,
            "edit_url": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
            "url": page.url,
            "status": procedure_status(page, page.pk in in_force),
        }
        for page in live
    ]
    latest_number = ProcedureVersion.objects.filter(page=OuterRef("page")).order_by("-number").values("number")[:1]
    named = ProcedureVersion.objects.select_related("page", "decision").annotate(latest_number=Subquery(latest_number))
    versions = [
        {
            "title": version.snapshot.get("title") or version.page.title,
            "code": version.snapshot.get("code", ""),
            "number": version.number,
            "effective_date": version.effective_date,
            "decision": version.decision.number if version.decision_id else "",
            "is_current": version.number == version.latest_number,
            "files": files_published(version.snapshot, form.pk),
            "url": version.get_url() if version.page.live else None,
        }
        for version in named.naming_form(form.pk)
    ]
    versions.sort(key=lambda row: (vietnamese_sort_key(row["title"]), row["number"]))
    return {"procedures": procedures, "versions": versions}


def procedure_status(page, in_force):
    if in_force:
        return _("Đang có hiệu lực")
    if page.replaced_by_id:
        return _("Đã được thay thế")
    return _("Đã bãi bỏ")


def files_published(snapshot, form_id):
    """The file names a snapshot published for the form (its files, once each)."""
    names = []
    for component in snapshot.get("dossier", []):
        named = component.get("form") or {}
        if named.get("form_id") != form_id:
            continue
        for file in named.get("files") or [{"filename": named.get("filename", "")}]:
            if file.get("filename") and file["filename"] not in names:
                names.append(file["filename"])
    return names
