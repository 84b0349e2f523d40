"""The Wagtail admin's parts for procedures: the editor's form, snippet viewsets, the report and
the reviewer's panel, and the guards the admin hooks run. ``cms/wagtail_hooks.py`` registers them."""
