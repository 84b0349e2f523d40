"""The admin's document form: uploads checked by content, published files never replaced."""

from django import forms
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

from ..document_checks import check_document_content
from ..publishing import document_is_published


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
            if self.instance.pk and "file" in self.changed_data and document_is_published(self.instance.pk):
                raise forms.ValidationError(
                    _(
                        "Tệp này đang được dùng cho biểu mẫu, quyết định công bố hoặc phiên bản thủ tục đã công bố nên "
                        "không thể thay thế. Hãy tải lên một tài liệu mới và chọn nó trong biểu mẫu hoặc quyết "
                        "định (nội dung đó sẽ qua quy trình duyệt)."
                    )
                )
        return uploaded
