"""The editors' guide, in Vietnamese, where the admin's Help menu points."""

from django.shortcuts import render


def editor_guide(request):
    return render(request, "cms/admin/editor_guide.html")
