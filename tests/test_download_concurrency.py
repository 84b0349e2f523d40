"""Download counts under concurrent downloads, on PostgreSQL (make test's full suite): no count
is lost when the first downloads of the day race to create the day's row."""

import threading

import pytest
from django.db import connection
from django.test import Client

from cms.models import FormDownload
from tests import factories
from tests.test_downloads import body

pytestmark = pytest.mark.services


def test_concurrent_downloads_all_count_on_postgresql(transactional_db, django_db_serialized_rollback):
    """8 threads × 10 downloads, the first ones racing to create the day's row: exactly 80."""
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL (make test provides it): run it with DATABASE_URL set.")
    page = factories.live_procedure(factories.site_tree()[1])
    form = page.dossier_components.exclude(form=None).first().form
    url = form.document.url
    threads, per_thread = 8, 10
    start = threading.Barrier(threads)
    failures = []

    def download():
        try:
            client = Client()
            start.wait()
            for _ in range(per_thread):
                response = client.get(url)
                body(response)
                if response.status_code != 200:
                    failures.append(response.status_code)
        except Exception as error:  # reported by the assertion below
            failures.append(repr(error))
        finally:
            connection.close()

    workers = [threading.Thread(target=download) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)

    assert failures == []
    assert FormDownload.objects.get(form=form, file_format="docx").count == threads * per_thread
