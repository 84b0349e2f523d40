"""Serve the project next to stock Wagtail and nginx, load them alternately with wrk, print a table.

Run by hand (it takes minutes; it asserts nothing):

    .venv/bin/python benchmarks/side_by_side.py --sizes 42 2000 20000            # SQLite
    .venv/bin/python benchmarks/side_by_side.py --sizes 42 2000 --postgres       # PostgreSQL + ES + Redis

For each size it builds a database (migrate, the demo, ``generate_procedures`` up to the size),
then serves, each with gunicorn and 2 sync workers under production settings:
  * the project with its page cache off (every request renders: "uncached"),
  * the project behind nginx with the page cache on (site/services/nginx.sh: "cached"),
  * a stock Wagtail project (``wagtail start``, its welcome page),
and nginx serving a saved copy of the same procedure page as a file. wrk (Debian's) loads each
URL for ``--seconds``, one after the other, and the script prints req/s, p50 and p95 per page and
the ratios the README's targets name, then the workers' memory after the run.
--postgres uses DATABASE_URL's server (a database "bench_side_by_side" is made anew),
ELASTICSEARCH_URL (index prefix "bench_") and REDIS_URL, as started by site/services/.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""
PAGES = [
    ("procedure page", "{procedure}"),
    ("official set (200 a page)", "/thu-tuc/bo-thu-tuc-hien-hanh/"),
    ("home", "/"),
    ("index", "/thu-tuc/"),
    ("sector page", "{sector}"),
    ("search: tro cap", "/tim-kiem/?q=tro+cap"),
    ("search: giay chung nhan", "/tim-kiem/?q=giay+chung+nhan"),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command, env=None, cwd=ROOT):
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def wait_for(url, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return b""
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


def wrk(url, seconds, lua):
    """(req/s, p50 ms, p95 ms, failed requests); a page slower than wrk's 10 s timeout counts as failed."""
    output = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "10s", "-s", str(lua), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"RESULT (\S+) (\S+) (\S+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    failed = (int(timeouts[1]) if timeouts else 0) + (int(errors[1]) if errors else 0)
    values = [float(value) if value not in ("nan", "-nan", "inf") else float("nan") for value in match.groups()]
    return (*values, failed)


class Servers:
    def __init__(self, workdir):
        self.workdir, self.processes, self.nginx_dirs = workdir, [], []

    def gunicorn(self, module, env, cwd=ROOT):
        port = free_port()
        log = open(self.workdir / f"gunicorn-{port}.log", "wb")  # noqa: SIM115 - lives as long as the server
        process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", module, "-b", f"127.0.0.1:{port}", "-w", "2", "--max-requests", "0"],
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=log,
        )
        self.processes.append(process)
        wait_for(f"http://127.0.0.1:{port}/")
        return port, process

    def nginx_cache(self, upstream_port):
        port, directory = free_port(), self.workdir / f"nginx-{len(self.nginx_dirs)}"
        run(["bash", "site/services/nginx.sh", "start", str(directory), str(port), f"127.0.0.1:{upstream_port}"])
        self.nginx_dirs.append(directory)
        return port

    def nginx_static(self, html):
        port, directory = free_port(), self.workdir / "nginx-static"
        (directory / "root").mkdir(parents=True, exist_ok=True)
        (directory / "logs").mkdir(exist_ok=True)
        (directory / "root" / "page.html").write_bytes(html)
        user = "user root;" if os.getuid() == 0 else ""
        (directory / "nginx.conf").write_text(
            f"{user}\nworker_processes auto;\npid {directory}/nginx.pid;\nerror_log {directory}/logs/error.log;\n"
            f"events {{ worker_connections 1024; }}\nhttp {{ access_log off; include /etc/nginx/mime.types;\n"
            f"server {{ listen 127.0.0.1:{port}; root {directory}/root; }} }}\n"
        )
        run(["nginx", "-p", str(directory), "-c", str(directory / "nginx.conf")])
        self.nginx_dirs.append(directory)
        return port

    def memory_mb(self, process):
        """Resident memory of gunicorn's workers (the children of ``process``), the largest."""
        children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        sizes = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024)
        return max(sizes, default=0)

    def stop(self):
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a worker still busy with a slow request
                process.kill()
                process.wait()
        for directory in self.nginx_dirs:
            subprocess.run(
                ["nginx", "-p", str(directory), "-c", str(directory / "nginx.conf"), "-s", "stop"], check=False
            )
        self.processes, self.nginx_dirs = [], []


def stock_wagtail(workdir):
    """A stock Wagtail project (``wagtail start``), under its own production settings."""
    project = workdir / "stock"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "stock.settings.production"}
    env.pop("DATABASE_URL", None)
    if not project.exists():
        project.mkdir()
        run([str(Path(PYTHON).parent / "wagtail"), "start", "stock", str(project)])
        # The template's production settings allow no host and have no key until told.
        (project / "stock" / "settings" / "local.py").write_text('ALLOWED_HOSTS = ["*"]\nSECRET_KEY = "bench"\n')
        run([PYTHON, "manage.py", "migrate", "-v0"], env=env, cwd=project)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=project)
    return env, project


def project_env(args, workdir, size, page_cache):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "PAGE_CACHE_SECONDS": str(6 * 3600 if page_cache else 0),
        "FILE_CACHE_DIR": str(workdir / f"cache-{size}"),
        "SITE_HOSTNAME": "127.0.0.1",
    }
    if args.postgres:
        env["DATABASE_URL"] = args.database_url.rsplit("/", 1)[0] + f"/bench_side_by_side_{size}"
        env["ELASTICSEARCH_INDEX_PREFIX"] = f"bench_{size}_"
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir}/db-{size}.sqlite3"
        for name in ("ELASTICSEARCH_URL", "REDIS_URL"):
            env.pop(name, None)
    return env


def build_database(args, env, size):
    if args.postgres:
        admin_url = args.database_url
        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {name}"])
        run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"])
    dev = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    run([PYTHON, "manage.py", "migrate", "-v0"], env=dev)
    run([PYTHON, "manage.py", "load_demo"], env=dev)
    if args.postgres:
        run([PYTHON, "manage.py", "update_index"], env=dev)
    current = int(
        subprocess.run(
            [
                PYTHON,
                "manage.py",
                "shell",
                "-c",
                "from cms.models import ProcedurePage as P; print(P.objects.live().count())",
            ],
            env=dev,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-1]
    )
    if size > current:
        start = time.perf_counter()
        run([PYTHON, "manage.py", "generate_procedures", "--count", str(size - current)], env=dev)
        print(f"  generated {size - current} procedures in {time.perf_counter() - start:.0f} s", flush=True)


def measure_size(args, workdir, size, lua):
    servers = Servers(workdir)
    print(f"\n== {size} procedures ({'PostgreSQL + Elasticsearch + Redis' if args.postgres else 'SQLite'})", flush=True)
    env = project_env(args, workdir, size, page_cache=False)
    if args.reuse:
        run([PYTHON, "manage.py", "migrate", "-v0"], env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"})
    else:
        build_database(args, env, size)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env)
    try:
        uncached_port, uncached = servers.gunicorn("config.wsgi", env)
        cached_port, cached = servers.gunicorn("config.wsgi", project_env(args, workdir, size, page_cache=True))
        front = servers.nginx_cache(cached_port)
        stock_env, stock_dir = stock_wagtail(workdir)
        stock_port, _stock = servers.gunicorn("stock.wsgi", stock_env, cwd=stock_dir)
        base = f"http://127.0.0.1:{uncached_port}"
        procedure = args.procedure  # the same page at every size
        assert b"<title>B" not in wait_for(base + procedure)[:2000], "not a procedure page"
        sector = find_link(wait_for(base + "/").decode(), r'href="(?:https?://[^/"]+)?(/thu-tuc/linh-vuc/[a-z0-9-]+/)"')
        static_port = servers.nginx_static(wait_for(base + procedure))
        rows = {}
        for name, template in PAGES:
            path = template.format(procedure=procedure, sector=sector)
            rows[name] = wrk(base + path, args.seconds, lua)
        rows["procedure page, cached (nginx)"] = wrk(f"http://127.0.0.1:{front}{procedure}", args.seconds, lua)
        rows["stock Wagtail welcome page"] = wrk(f"http://127.0.0.1:{stock_port}/", args.seconds, lua)
        rows["nginx, same bytes as a file"] = wrk(f"http://127.0.0.1:{static_port}/page.html", args.seconds, lua)
        # Memory after many mixed requests (the measured ones plus these).
        for _ in range(2):
            for _name, template in PAGES:
                wrk(base + template.format(procedure=procedure, sector=sector), 2, lua)
        memory = servers.memory_mb(uncached)
        served_by = servers.memory_mb(cached)
    finally:
        servers.stop()
    print(f"{'page':40} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for name, (rate, p50, p95, errors) in rows.items():
        print(f"{name:40} {rate:9.1f} {p50:8.2f} {p95:8.2f} {errors:7d}")
    uncached_rate = rows["procedure page"][0]
    print(f"uncached procedure page / stock welcome page: {uncached_rate / rows['stock Wagtail welcome page'][0]:.2f}")
    print(
        "cached procedure page / nginx file: "
        f"{rows['procedure page, cached (nginx)'][0] / rows['nginx, same bytes as a file'][0]:.2f}"
    )
    print(f"worker RSS after the run: {memory:.0f} MB (uncached server), {served_by:.0f} MB (cached server)")
    return rows


def find_link(html, pattern):
    match = re.search(pattern, html)
    if not match:
        raise SystemExit(f"no link matching {pattern}")
    return match[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[42, 2000])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--reuse", action="store_true", help="measure the databases an earlier run built")
    parser.add_argument(
        "--procedure",
        default="/thu-tuc/ho-tro-chi-phi-mai-tang-cho-doi-tuong-bao-tro-xa-hoi/",
        help="the procedure page measured (a demo procedure, there at every size)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    if args.postgres:
        args.database_url = os.environ.get("DATABASE_URL") or sys.exit("--postgres needs DATABASE_URL")
        if not os.environ.get("ELASTICSEARCH_URL") or not os.environ.get("REDIS_URL"):
            sys.exit("--postgres needs ELASTICSEARCH_URL and REDIS_URL (site/services/)")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="side-by-side-"))
    workdir.mkdir(parents=True, exist_ok=True)
    lua = workdir / "report.lua"
    lua.write_text(LUA)
    print(
        f"machine: {os.cpu_count()} cores; {Path('/proc/meminfo').read_text().split()[1]} kB memory; workdir {workdir}"
    )
    results = {size: measure_size(args, workdir, size, lua) for size in args.sizes}
    smallest = min(results)
    print(f"\n== latency at each size relative to {smallest} procedures (p50)")
    for name, _template in PAGES:
        ratios = "  ".join(f"{size}: {results[size][name][1] / results[smallest][name][1]:.2f}x" for size in results)
        print(f"{name:40} {ratios}")


if __name__ == "__main__":
    main()
