"""Readable ASCII slugs for pages and snippets: "đ" becomes "d", namesakes get "-2"."""

from search.vietnamese import vietnamese_slug


def unique_slug(model, base, pk=None, field="slug"):
    """``base``, or ``base-2``, ``base-3``... whichever is free (two agencies may share a name).

    One query for all the taken ones: many names share their first words, and slugs are cut.
    """
    base = base or "muc"
    others = model.objects.exclude(pk=pk) if pk else model.objects.all()
    taken = set(others.filter(**{f"{field}__startswith": base}).order_by().values_list(field, flat=True))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


class VietnameseSlugMixin:
    """Pages whose automatic slugs keep "đ" as "d" (Wagtail's own drops it)."""

    def full_clean(self, *args, **kwargs):
        if self.title:
            self.slug = vietnamese_slug(self.slug, self.title)
        return super().full_clean(*args, **kwargs)
