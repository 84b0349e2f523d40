"""The code's shape (README, "Layout"): no import cycles, each layer importing only from below it,
no module over about 400 lines, no public path typed by hand in a template.

Imports are read from the source (every ``import``, including those inside functions: a lazy
import is still an arrow), so these tests need no database.
"""

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.smoke

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cms", "search", "config")
MAX_LINES = 400

# Layer 1: pure modules, importing no model and nothing above them.
PURE = {
    "search.vietnamese",
    "cms.choices",
    "cms.formatting",
    "cms.snapshots",
    "cms.compare",
    "cms.procedure_summary",
    "cms.document_checks",
    "cms.counting",
}
# Layer 3 and 4: what the models must never import.
ABOVE_MODELS = (
    "cms.publishing",
    "cms.page_cache",
    "cms.frontend_purge",
    "cms.interchange",
    "cms.site_tree",
    "cms.admin",
    "cms.wagtail_hooks",
    "cms.views",
    "cms.downloads",
    "cms.download_counts",
    "cms.forms_library",
    "cms.roles",
    "search.query",
    "search.facets",
    "search.stats",
    "search.admin_views",
    "search.suggest",
    "search.views",
    "cms.management",
    "cms.demo",
    "cms.templatetags",
    "cms.finish_workflow",
)
WIRING = ("cms.admin", "cms.wagtail_hooks", "cms.management", "cms.finish_workflow", "cms.apps")


def project_modules():
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            modules[".".join(parts)] = (path, is_package)
    return modules


def imports_of(name, path, is_package, known):
    """The project modules ``name`` imports (anywhere in the file), resolved to the longest known name."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@pytest.fixture(scope="module")
def graph():
    modules = project_modules()
    return {name: imports_of(name, path, is_package, modules) for name, (path, is_package) in modules.items()}


def _without_parent_packages(graph, name):
    """What ``name`` imports, leaving out the packages that contain it (importing ``cms.models.x``
    runs ``cms/models/__init__``, which is not an arrow from the module to its package)."""
    return {target for target in graph[name] if not name.startswith(target + ".")}


def test_no_import_cycles(graph):
    edges = {name: _without_parent_packages(graph, name) for name in graph}
    state, cycles = {}, []

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_pure_modules_import_only_pure_modules(graph):
    for name in PURE:
        assert graph[name] <= PURE, f"{name} imports {sorted(graph[name] - PURE)}"


def test_models_import_nothing_above_them(graph):
    for name in graph:
        if name.startswith("cms.models"):
            above = {target for target in graph[name] if target.startswith(ABOVE_MODELS)}
            assert not above, f"{name} imports {sorted(above)}"


def test_publication_and_views_import_no_wiring(graph):
    for name in (
        "cms.publishing",
        "cms.views",
        "cms.forms_library",
        "search.query",
        "search.suggest",
        "search.views",
        "cms.roles",
    ):
        wiring = {target for target in graph[name] if target.startswith(WIRING)}
        assert not wiring, f"{name} imports {sorted(wiring)}"


def test_hooks_only_register(graph):
    """The hooks module defines no rule of its own: every function it registers lives elsewhere."""
    tree = ast.parse((ROOT / "cms" / "wagtail_hooks.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            assert len(node.body) == 1, f"wagtail_hooks.{node.name} does more than register"


def test_no_module_is_too_long():
    too_long = {
        str(path.relative_to(ROOT)): length
        for path, _is_package in project_modules().values()
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}


PUBLIC_PREFIXES = ("/thu-tuc", "/tim-kiem", "/quyet-dinh", "/tai-lieu", "/media")


def test_templates_reverse_every_public_path():
    typed = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r'(?:href|action|src)="([^"{]*)"', text):
            url = match.group(1)
            if (
                url == "/"
                or url.startswith(PUBLIC_PREFIXES)
                or re.search(r"(phien-ban|so-sanh|hieu-luc|linh-vuc)/", url)
            ):
                typed.append(f"{path.relative_to(ROOT)}: {url}")
        typed += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in re.finditer(r"\}\}?[a-z-]+/", text)]
    assert typed == []
