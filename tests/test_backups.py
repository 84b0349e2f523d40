"""Issue 7, finding 10: ``manage.py backup`` and ``restore`` round trips.

Each test builds a real installation in its own database (the demo set, with versions,
revisions and form files), backs it up, restores it into a freshly migrated installation (which
has Wagtail's defaults: a "Moderators" group, a welcome page, a localhost site) and compares
everything byte for byte. The commands run as an administrator would run them, in subprocesses.
"""

import filecmp
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parent.parent
# Every procedure, version snapshot, revision, file record, user, group and site, whole rows.
COMPARED_TABLES = [
    "wagtailcore_page",
    "cms_procedurepage",
    "cms_procedurestep",
    "cms_submissionchannel",
    "cms_procedureversion",
    "wagtailcore_revision",
    "wagtaildocs_document",
    "cms_form",
    "auth_user",
    "auth_group",
    "wagtailcore_site",
]


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def installation_env(database_url, media_root):
    env = {key: value for key, value in os.environ.items() if key not in ("ELASTICSEARCH_URL",)}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", DATABASE_URL=database_url, MEDIA_ROOT=str(media_root))
    return env


def round_trip(source_url, target_url, tmp_path):
    source = installation_env(source_url, tmp_path / "media-source")
    target = installation_env(target_url, tmp_path / "media-target")
    manage(source, "migrate", "--noinput", "-v0")
    manage(source, "load_demo")
    archive = tmp_path / "sao-luu.tar.gz"
    assert "42 thủ tục" in manage(source, "backup", "--output", str(archive))
    manage(target, "migrate", "--noinput", "-v0")  # an empty installation: Wagtail's defaults only
    assert "Đã phục hồi" in manage(target, "restore", str(archive))
    # Restoring over an installation that now has content is refused without the explicit flag.
    refused = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)], cwd=ROOT, env=target, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "đã có dữ liệu" in refused.stderr


def assert_same_files(left, right):
    comparison = filecmp.dircmp(left, right)
    assert comparison.left_only == [] and comparison.right_only == [] and comparison.funny_files == []
    _match, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    assert mismatch == [] and errors == []
    for directory in comparison.common_dirs:
        assert_same_files(Path(left) / directory, Path(right) / directory)


def test_round_trip_on_sqlite(tmp_path):
    round_trip(f"sqlite:///{tmp_path / 'source.db'}", f"sqlite:///{tmp_path / 'target.db'}", tmp_path)
    with sqlite3.connect(tmp_path / "source.db") as source, sqlite3.connect(tmp_path / "target.db") as target:
        for table in COMPARED_TABLES:
            query = f"SELECT * FROM {table} ORDER BY 1"
            assert source.execute(query).fetchall() == target.execute(query).fetchall(), table
        assert target.execute("SELECT count(*) FROM auth_group WHERE name IN ('Moderators', 'Editors')").fetchone() == (
            0,
        )
    assert_same_files(tmp_path / "media-source", tmp_path / "media-target")


@pytest.mark.services
def test_round_trip_on_postgresql(services_required, tmp_path):
    import psycopg2

    base = dj_database_url.parse(os.environ["DATABASE_URL"])
    suffix = uuid.uuid4().hex[:8]
    names = {"source": f"procedures_rt_{suffix}_source", "target": f"procedures_rt_{suffix}_target"}

    def connect(name):
        return psycopg2.connect(
            dbname=name, user=base["USER"], password=base["PASSWORD"], host=base["HOST"], port=base["PORT"]
        )

    admin = connect("postgres")
    admin.autocommit = True
    for name in names.values():
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        urls = {
            role: f"postgres://{base['USER']}:{base['PASSWORD']}@{base['HOST']}:{base['PORT']}/{name}"
            for role, name in names.items()
        }
        round_trip(urls["source"], urls["target"], tmp_path)
        with connect(names["source"]) as source, connect(names["target"]) as target:
            for table in COMPARED_TABLES:
                query = f"SELECT * FROM {table} ORDER BY 1"
                rows = []
                for connection in (source, target):
                    with connection.cursor() as cursor:
                        cursor.execute(query)
                        rows.append(cursor.fetchall())
                assert rows[0] == rows[1], table
                assert rows[0], f"{table} should not be empty in the demo installation"
            with target.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM auth_group WHERE name IN ('Moderators', 'Editors')")
                assert cursor.fetchone() == (0,)
                cursor.execute("SELECT count(*) FROM wagtailcore_page WHERE title LIKE 'Welcome%%'")
                assert cursor.fetchone() == (0,)
        assert_same_files(tmp_path / "media-source", tmp_path / "media-target")
    finally:
        for name in names.values():
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
