"""Readable ASCII slugs for pages and snippets: "đ" becomes "d", namesakes get "-2"."""

from search.vietnamese import vietnamese_slug


def unique_slug(model, base, pk=None, field="slug"):
    """``base``, or ``base-2``, ``base-3``... whichever is free (two agencies may share a name)."""
    base = base or "muc"
    candidate, number = base, 1
    others = model.objects.exclude(pk=pk) if pk else model.objects.all()
    while others.filter(**{field: candidate}).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


class VietnameseSlugMixin:
    """Pages whose automatic slugs keep "đ" as "d" (Wagtail's own drops it)."""

    def full_clean(self, *args, **kwargs):
        if self.title:
            self.slug = vietnamese_slug(self.slug, self.title)
        return super().full_clean(*args, **kwargs)
