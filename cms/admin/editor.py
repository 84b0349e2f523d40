"""The procedure editor's form: checks that need the inline lists, and the change record."""

from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import timezone
from django.utils.dateformat import format as date_format
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
        stale = self.changes_since_loaded()
        if stale:
            self.add_error(None, stale)
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

    def changes_since_loaded(self):
        """Who saved this procedure since the editor opened it, and what they changed, or "".

        Wagtail's editor sends the id of the revision it was opened on; a save based on an older
        revision would silently overwrite the other person's work. The form is shown again with
        what this editor typed and this message; saving again (now based on the newest revision)
        is a deliberate choice.
        """
        latest = self.instance.get_latest_revision() if self.instance.pk else None
        loaded_id = self.data.get("overwrite_revision_id") or self.data.get("loaded_revision_id", "")
        if latest is None or not loaded_id.isdigit() or not self._is_stale(int(loaded_id), latest):
            return ""
        loaded = self.instance.revisions.filter(pk=int(loaded_id)).first()
        changed = self._changed_fields(loaded.content if loaded else {}, latest.content)
        return _(
            "Thủ tục này đã được %(user)s lưu lúc %(time)s, sau khi bạn mở trang (thay đổi: %(fields)s). Nội dung "
            "bạn nhập vẫn còn dưới đây; hãy đối chiếu với bản mới nhất, rồi bấm lưu lần nữa nếu muốn ghi đè."
        ) % {
            "user": (latest.user.get_full_name() or latest.user.get_username()) if latest.user else _("người khác"),
            "time": date_format(timezone.localtime(latest.created_at), "H:i d/m/Y"),
            "fields": ", ".join(changed) or _("không rõ"),
        }

    def _is_stale(self, loaded_id, latest):
        """As Wagtail's own check for autosaves: based on an older revision, or on the latest one
        after another session's autosave overwrote it (its creation time then differs)."""
        if loaded_id != latest.pk:
            return True
        if self.data.get("overwrite_revision_id"):
            return False  # this session's own autosave
        loaded_at = self.data.get("loaded_revision_created_at", "")
        return bool(loaded_at) and loaded_at != latest.created_at.isoformat()

    def get_field_updates_for_resave(self):
        """After an autosave, the page still open in the browser is based on the revision just saved:
        Wagtail's script writes these values into the form, so the next save is not taken for stale."""
        updates = super().get_field_updates_for_resave()
        revision = self.instance.latest_revision
        if revision is not None:
            updates += [
                ("loaded_revision_id", str(revision.pk)),
                ("loaded_revision_created_at", revision.created_at.isoformat()),
            ]
        return updates

    def _changed_fields(self, old, new):
        """Labels of the editor's fields and inline lists that differ between two revisions."""
        labels = []
        for name in [*self.fields, *self.formsets]:
            if name in new and old.get(name) != new.get(name):
                field = self.instance._meta.get_field(name)
                label = field.verbose_name if hasattr(field, "verbose_name") else field.related_model._meta.verbose_name
                labels.append(str(label))
        return labels

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
