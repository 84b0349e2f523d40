"""Time an initial load: N procedures imported with ``--publish`` into an empty installation.

Run by hand on a database you can empty (it refuses a database that already has procedures):

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python benchmarks/import_set.py --count 2000

It builds a set document of ``--count`` procedures from the demo's procedures (new codes and
names, the same shape and size), writes it as JSON, and runs ``import_procedures --publish`` on
it, printing the time. Set DATABASE_URL / ELASTICSEARCH_URL for PostgreSQL / Elasticsearch. It
asserts nothing (tests stay deterministic).
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from cms import roles  # noqa: E402
from cms.demo.generator import scaled, shapes  # noqa: E402
from cms.interchange.initial_load import ensure_search_indexes  # noqa: E402
from cms.models import ProcedurePage  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    if ProcedurePage.objects.exists():
        sys.exit("The database already has procedures: run this on an empty one (after migrate).")
    roles.setup_roles_and_workflow()
    ensure_search_indexes()  # before the demo's rolled-back saves reach Elasticsearch
    User = get_user_model()
    if not User.objects.filter(username="benchmark").exists():
        User.objects.create_superuser("benchmark", "benchmark@example.gov.vn", None)
    document = scaled(shapes(), args.count)  # the generator's procedures, as a file
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as handle:
        handle.write(json.dumps(document, ensure_ascii=False).encode())
    engine = connection.vendor
    start = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("import_procedures", handle.name, "--publish", "--user", "benchmark", stdout=quiet)
    elapsed = time.perf_counter() - start
    os.unlink(handle.name)
    print(
        f"{args.count} procedures imported with --publish on {engine}: {elapsed:.1f} s "
        f"({elapsed / args.count * 1000:.0f} ms each)"
    )


if __name__ == "__main__":
    main()
