"""What editors maintain for search (synonyms) and what search learns (queries nobody answered)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.counting import add_one

from .vietnamese import fold


class Synonym(models.Model):
    """Words that mean the same to people searching: "CCCD, căn cước, CMND".

    Expanded in Python before the query reaches the backend (search.synonyms), so SQLite,
    PostgreSQL and Elasticsearch expand them the same way. One-way: only the first term brings in
    the others ("người có công" finds "thương binh", a search for "thương binh" stays narrow).
    """

    terms = models.CharField(
        _("các từ đồng nghĩa"),
        max_length=500,
        help_text=_("Ngăn cách bằng dấu phẩy, ví dụ: CCCD, căn cước công dân, CMND, chứng minh nhân dân"),
    )
    one_way = models.BooleanField(
        _("một chiều"),
        default=False,
        help_text=_("Chỉ từ đầu tiên được mở rộng sang các từ còn lại, không có chiều ngược lại."),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("từ đồng nghĩa")
        verbose_name_plural = _("từ đồng nghĩa")
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def folded_terms(self):
        """Each term as its folded words, in the order written; empty terms dropped."""
        return [tuple(fold(term).split()) for term in self.terms.replace(";", ",").split(",") if fold(term)]


class UnansweredQuery(models.Model):
    """A public query that found nothing, counted per day (the query as stored by search.stats)."""

    query_string = models.CharField(_("từ khóa"), max_length=255)
    date = models.DateField(_("ngày"), default=timezone.localdate)
    hits = models.PositiveIntegerField(_("số lượt"), default=0)

    class Meta:
        verbose_name = _("từ khóa không có kết quả")
        verbose_name_plural = _("từ khóa không có kết quả")
        constraints = [models.UniqueConstraint(fields=["query_string", "date"], name="unanswered_query_day")]

    def __str__(self):
        return self.query_string

    @classmethod
    def add_hit(cls, query_string, date=None):
        """One more search for ``query_string`` today, safe when two requests count at once."""
        add_one(cls, "hits", query_string=query_string, date=date or timezone.localdate())
