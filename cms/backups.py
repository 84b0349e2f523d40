"""One archive with everything an installation holds: the database and the uploaded files.

The database is copied with its own tools, not through Django's dumpdata: ``pg_dump`` for
PostgreSQL (custom format, restored with ``pg_restore``), SQLite's online backup API for SQLite.
A restore therefore gives back exactly the tables that were saved, Wagtail's defaults included
only if they were there (``setup_roles`` retires them), and nothing of what the target held.

Archive layout (a .tar.gz): ``manifest.json`` (format, date, database vendor, counts),
``database.dump`` (PostgreSQL) or ``database.sqlite3`` (SQLite), and ``media/`` (MEDIA_ROOT).
"""

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections

ARCHIVE_FORMAT = 1
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """Why a backup or restore cannot be done, in Vietnamese."""


def _database(alias="default"):
    config = settings.DATABASES[alias]
    vendor = connections[alias].vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {vendor}.")
    return vendor, config


def _postgres_env(config):
    env = dict(os.environ)
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = config["PASSWORD"]
    return env


def _postgres_args(config):
    args = ["--dbname", config["NAME"]]
    if config.get("HOST"):
        args += ["--host", config["HOST"]]
    if config.get("PORT"):
        args += ["--port", str(config["PORT"])]
    if config.get("USER"):
        args += ["--username", config["USER"]]
    return args


def _run(command, env=None):
    """Run a database tool; its output, or a BackupError with what it said."""
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} thất bại: {result.stderr.strip()}")
    return result.stdout


def dump_database(target_path, alias="default"):
    vendor, config = _database(alias)
    if vendor == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(target_path), *_postgres_args(config)],
            env=_postgres_env(config),
        )
    else:
        connections[alias].close()
        with sqlite3.connect(config["NAME"]) as source, sqlite3.connect(target_path) as target:
            source.backup(target)
    return vendor


def load_database(source_path, vendor, alias="default"):
    target_vendor, config = _database(alias)
    if vendor != target_vendor:
        raise BackupError(
            f"Bản sao lưu được tạo từ {vendor}; hãy phục hồi vào một cài đặt dùng {vendor} (đang dùng {target_vendor})."
        )
    connections[alias].close()
    if vendor == "postgresql":
        contents = Path(source_path).with_suffix(".list")
        contents.write_text(_restorable_entries(source_path))
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--use-list",
                str(contents),
                *_postgres_args(config),
                str(source_path),
            ],
            env=_postgres_env(config),
        )
    else:
        with sqlite3.connect(source_path) as source, sqlite3.connect(config["NAME"]) as target:
            source.backup(target)


def _restorable_entries(dump_path):
    """The dump's table of contents without its extensions (e.g. ``unaccent``): those belong to
    whoever provisions the database (a superuser), and the site's role may not drop or create them."""
    listing = _run(["pg_restore", "--list", str(dump_path)])
    return "".join(line + "\n" for line in listing.splitlines() if " EXTENSION " not in line)


def create_backup(output_path, counts):
    """Write the archive to ``output_path``; ``counts`` goes into the manifest (what was saved)."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        vendor, _config = _database()
        database_file = Path(work) / DATABASE_MEMBERS[vendor]
        dump_database(database_file)
        manifest = {
            "format": ARCHIVE_FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": vendor,
            "counts": counts,
        }
        with tarfile.open(output_path, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode())
            archive.add(database_file, arcname=database_file.name)
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        archive.add(path, arcname=str(PurePosixPath("media") / path.relative_to(media_root).as_posix()))
    return manifest


def _add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def read_manifest(archive_path):
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            manifest = json.load(archive.extractfile("manifest.json"))
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as error:
        raise BackupError(f"Không đọc được tệp sao lưu {archive_path}: {error}") from None
    if manifest.get("format") != ARCHIVE_FORMAT or manifest.get("database") not in DATABASE_MEMBERS:
        raise BackupError(f"Định dạng sao lưu {manifest.get('format')} ({manifest.get('database')}) không được hỗ trợ.")
    return manifest


def restore_backup(archive_path):
    """Replace this installation's database and media with the archive's; returns the manifest."""
    manifest = read_manifest(archive_path)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path, "r:gz") as archive:
        members = archive.getmembers()
        for member in members:
            _check_member(member)
        archive.extractall(work, members=members, filter="data")
        load_database(Path(work) / DATABASE_MEMBERS[manifest["database"]], manifest["database"])
        extracted_media = Path(work) / "media"
        if media_root.exists():
            shutil.rmtree(media_root)
        if extracted_media.is_dir():
            shutil.copytree(extracted_media, media_root)
        else:
            media_root.mkdir(parents=True, exist_ok=True)
    return manifest


def _check_member(member):
    """Only the archive's own layout, never a path that leaves the folder it is unpacked in."""
    path = PurePosixPath(member.name)
    allowed = member.name in ("manifest.json", *DATABASE_MEMBERS.values()) or path.parts[:1] == ("media",)
    if not allowed or path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
        raise BackupError(f"Tệp sao lưu có mục không hợp lệ: {member.name}")
