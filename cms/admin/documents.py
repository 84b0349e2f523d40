"""The admin's document form: uploads checked by content, published files never replaced."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.documents.forms import BaseDocumentForm
from wagtail.documents.views import documents

from .. import virus_scan
from ..document_checks import check_document_content
from ..publishing import document_is_frozen, document_is_published, documents_in_review

PUBLISHED_DOCUMENT_CANNOT_BE_DELETED = gettext_lazy(
    "Không thể xóa tài liệu này: nó đang được dùng cho biểu mẫu, quyết định công bố hoặc phiên bản thủ tục "
    "đã công bố (văn bản để tra cứu), hoặc đang trong quy trình duyệt."
)


class CheckedDocumentForm(BaseDocumentForm):
    """Wagtail's document form with the content check above (WAGTAILDOCS_DOCUMENT_FORM_BASE)."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and hasattr(uploaded, "read") and getattr(uploaded, "name", None):
            position = uploaded.tell() if hasattr(uploaded, "tell") else 0
            uploaded.seek(0)
            data = uploaded.read()
            uploaded.seek(position)
            check_document_content(uploaded.name, data)
            if virus_scan.scanning_enabled():
                try:
                    virus_scan.scan(data)
                except virus_scan.ScanRefused as refusal:
                    raise forms.ValidationError(str(refusal)) from None
            replacing = bool(self.instance.pk) and "file" in self.changed_data
            if replacing and self.instance.pk in documents_in_review():
                raise forms.ValidationError(
                    _(
                        "Tệp này thuộc một biểu mẫu hoặc quyết định đang trong quy trình duyệt nên không thể "
                        "thay thế cho đến khi quy trình duyệt kết thúc."
                    )
                )
            if replacing and document_is_published(self.instance.pk):
                raise forms.ValidationError(
                    _(
                        "Tệp này đang được dùng cho biểu mẫu, quyết định công bố hoặc phiên bản thủ tục đã công bố nên "
                        "không thể thay thế. Hãy tải lên một tài liệu mới và chọn nó trong biểu mẫu hoặc quyết "
                        "định (nội dung đó sẽ qua quy trình duyệt)."
                    )
                )
        return uploaded

    def _post_clean(self):
        """One message per refused file: the model's own extension check, run after ours refused
        the file, would add a second one about an empty extension (it sees no file)."""
        refusals = list(self.errors.get("file", []))
        super()._post_clean()
        if refusals:
            self.errors["file"] = self.error_class(refusals)


class DocumentDeleteView(documents.DeleteView):
    """Wagtail's delete view for documents, refusing a published file with a message on its page.

    The document model's ``pre_delete`` guard (``cms.publishing``) would refuse too, but as a
    bare "permission denied"; here the user stays on the document and reads why.
    """

    def form_valid(self, form):
        if document_is_frozen(self.object.pk):
            messages.error(self.request, PUBLISHED_DOCUMENT_CANNOT_BE_DELETED)
            return redirect("wagtaildocs:edit", self.object.pk)
        return super().form_valid(form)
