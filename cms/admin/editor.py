"""The procedure editor's form: checks that need the inline lists, and the change record."""

from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from ..publishing import change_record_errors


class ProcedurePageForm(WagtailAdminPageForm):
    """Messages in Vietnamese by field; installed as ``ProcedurePage.base_form_class`` by the hooks
    (the model cannot import the publication rules this form asks)."""

    # The editor's buttons that publish, or send towards publication, what is being saved.
    PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow", "action-workflow-action")

    def clean(self):
        cleaned_data = super().clean()
        for name, message in [
            ("steps", _("Thủ tục phải có ít nhất một bước trong trình tự thực hiện.")),
            ("submission_channels", _("Thủ tục phải có ít nhất một cách thức thực hiện.")),
        ]:
            formset = self.formsets.get(name)
            if formset is not None and not self._remaining_forms(formset):
                self.add_error(None, message)
        if self.leads_to_publication():
            errors = change_record_errors(
                self.instance,
                cleaned_data.get("announcing_decision"),
                cleaned_data.get("effective_date"),
                cleaned_data.get("change_type"),
                cleaned_data.get("change_note"),
            )
            for field, message in errors.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned_data

    @staticmethod
    def _remaining_forms(formset):
        """The rows that will exist after saving: filled in or already saved, and not deleted."""
        formset.is_valid()  # cleans every form, so deletion marks can be read below
        return [
            form
            for form in formset.forms
            if (form.has_changed() or form.instance.pk)
            and not (formset.can_delete and getattr(form, "cleaned_data", {}).get(DELETION_FIELD_NAME))
        ]

    def leads_to_publication(self):
        """Saving a draft never needs the change record; publishing, submitting or approving does."""
        if "action-workflow-action" in self.data and self.data.get("workflow-action-name") not in ("approve", None):
            return False  # e.g. "reject" from the editor: the editor gets the item back as it is
        return any(action in self.data for action in self.PUBLISHING_ACTIONS)
