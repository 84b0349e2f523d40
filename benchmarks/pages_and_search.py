"""Time the public pages and search on the configured database and search backend.

Run by hand, after `make run` (or `manage.py load_demo`) has built the demo site:

    .venv/bin/python benchmarks/pages_and_search.py [--repeat 50]

With DATABASE_URL / ELASTICSEARCH_URL set it measures PostgreSQL / Elasticsearch instead of the
embedded default. It prints figures; it asserts nothing (tests stay deterministic).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

from cms.models import ProcedurePage  # noqa: E402

QUERIES = ["tro cap mai tang", "trợ cấp", "dang ky", "1.001731", "người khuyết tật", "cham soc thay the tre em"]


def measure(client, url, repeat):
    timings, query_counts = [], []
    settings.DEBUG = True  # to count queries
    for _ in range(repeat):
        reset_queries()
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        timings.append((time.perf_counter() - start) * 1000)
        query_counts.append(len(connection.queries))
        assert response.status_code == 200, (url, response.status_code)
    settings.DEBUG = False
    return statistics.median(timings), max(timings), statistics.median(query_counts)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    client = Client()
    procedure = ProcedurePage.objects.live().get(code="1.001731")
    urls = [
        "/",
        "/thu-tuc/",
        "/thu-tuc/?cap=cap-xa",
        "/thu-tuc/linh-vuc/bao-tro-xa-hoi/",
        procedure.url,
        f"{procedure.url}phien-ban/1/",
        f"{procedure.url}so-sanh/?tu=1&den=3",
        "/thu-tuc/bo-thu-tuc-hien-hanh/",
    ] + [f"/tim-kiem/?q={query}" for query in QUERIES]
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"database {engine}, search {backend}, {args.repeat} requests per URL")
    print(f"{'URL':70} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for url in urls:
        median, worst, queries = measure(client, url, args.repeat)
        print(f"{url[:70]:70} {median:10.1f} {worst:8.1f} {queries:8.0f}")


if __name__ == "__main__":
    main()
