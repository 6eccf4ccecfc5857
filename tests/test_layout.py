"""The import graph stays layered: no cycles, no hidden imports, a query model that stands alone."""
import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP_LEVEL = ("application", "config", "models", "es_client")
LOW_LEVEL = ("config", "models", "es_client")  # the user's modules under the package, never above it
# collector's packages, top first: a module may import its own package and those below it, never above.
LAYERS = ("ops", "analyst", "reliability", "suggestions", "respondent", "shipping", "coding", "accounts", "workspace",
          "surveys", "search", "meaning", "journal", "common")


def project_modules():
    """{dotted module name: path} for the root modules and everything in collector/."""
    modules = {name: ROOT / f"{name}.py" for name in TOP_LEVEL}
    for path in (ROOT / "collector").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imports_of(path, modules):
    """[(imported project module, line, inside a function)] for every import in the file."""
    found, tree = [], ast.parse(path.read_text())
    functions = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                 for n in ast.walk(f) if n is not f}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                     for alias in node.names]
        else:
            continue
        found += [(name, node.lineno, id(node) in functions) for name in names if name.split(".")[0] in
                  {m.split(".")[0] for m in modules}]
    return found


@pytest.fixture(scope="module")
def graph():
    """{module: {imported project modules}}, plus the raw import list per module."""
    modules = project_modules()
    return {name: imports_of(path, modules) for name, path in modules.items()}


def find_cycle(edges):
    """One import cycle as a list of modules, or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = "done"
        stack.pop()
        return None

    return next((c for n in sorted(edges) if n not in state and (c := visit(n))), None)


def test_there_is_no_import_cycle(graph):
    edges = {module: {name for name, _, _ in found} for module, found in graph.items()}
    assert find_cycle(edges) is None


def test_no_project_import_hides_inside_a_function(graph):
    hidden = [(module, name, line) for module, found in graph.items() for name, line, inner in found if inner]
    assert hidden == []


def upward_imports(graph):
    """(module, imported module) pairs where a package imports one above it in LAYERS."""
    def layer(module):
        parts = module.split(".")
        return LAYERS.index(parts[1]) if len(parts) > 1 and parts[0] == "collector" and parts[1] in LAYERS else None
    return sorted((module, name) for module, found in graph.items() for name, _, _ in found
                  if layer(module) is not None and layer(name) is not None and layer(name) < layer(module))


def test_no_package_imports_one_above_it(graph):
    assert upward_imports(graph) == []


def test_an_upward_import_is_caught(graph):
    planted = {**graph, "collector.common.security": [*graph["collector.common.security"], ("collector.coding", 1, False)]}
    assert set(upward_imports(planted)) - set(upward_imports(graph)) == {("collector.common.security", "collector.coding")}


def test_the_query_model_imports_nothing_from_the_project(graph):
    assert graph["collector.search.query"] == []


@pytest.mark.parametrize("module", LOW_LEVEL)
def test_the_user_modules_never_import_the_package_above_them(graph, module):
    assert [name for name, _, _ in graph[module] if not name.startswith(LOW_LEVEL)] == []


def mode_readers(graph):
    """Modules that read the mode, other than the composition root and the operators' CLI."""
    allowed = ("collector.composition", "collector.journal.mode", "collector.ops.")
    return sorted(module for module, found in graph.items() for name, _, _ in found
                  if name == "collector.journal.mode" and not module.startswith(allowed))


def test_only_the_composition_root_and_the_cli_read_the_mode(graph):
    assert mode_readers(graph) == []


def test_a_feature_reading_the_mode_is_caught(graph):
    planted = {**graph, "collector.coding.stores": [*graph["collector.coding.stores"], ("collector.journal.mode", 1, False)]}
    assert mode_readers(planted) == ["collector.coding.stores"]


def test_only_es_client_talks_to_opensearch():
    talkers = sorted(path.name for path in [ROOT / "es_client.py", *(ROOT / "collector").rglob("*.py")]
                     if "opensearchpy" in path.read_text() or "requests_aws4auth" in path.read_text())
    assert talkers == ["es_client.py"]


def test_what_an_app_holds_is_reached_through_slots_not_string_keys():
    keyed = re.compile(r"extensions(\[|\.get\(|\.setdefault\()[\"']")
    found = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "collector").rglob("*.py")
                   if keyed.search(path.read_text()))
    assert found == []  # (es_client.py and gunicorn.conf.py, at the root below the package, keep theirs)


def test_application_is_a_thin_shim():
    tree = ast.parse((ROOT / "application.py").read_text())
    statements = [type(node).__name__ for node in tree.body if not isinstance(node, ast.Expr)]
    assert statements == ["ImportFrom", "Assign"]


@pytest.mark.slow
def test_importing_the_package_and_tests_builds_no_app(tmp_path):
    env = {**os.environ, "APP_ENV": "production", "PYTHONPATH": str(ROOT)}
    env.pop("SECRET_KEY", None)  # an app built now would refuse to start without it
    code = "import collector, collector.search.query, es_client, models, tests.conftest, tests.helpers"
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True)
    assert list(tmp_path.iterdir()) == []  # no instance/ with a journal or a secret key


def python_files():
    """Every Python file of the project: root modules, collector/, tests/, bench/, opensearch/."""
    return [*(ROOT / f"{name}.py" for name in TOP_LEVEL),
            *(path for folder in ("collector", "tests", "bench", "opensearch") for path in (ROOT / folder).rglob("*.py"))]


def test_no_module_is_over_200_lines_and_no_function_over_40():
    too_long = []
    for path in python_files():
        text = path.read_text()
        functions = [f for f in ast.walk(ast.parse(text)) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]
        if len(text.splitlines()) > 200:
            too_long.append(f"{path.relative_to(ROOT)}: {len(text.splitlines())} lines")
        too_long += [f"{path.relative_to(ROOT)}: {f.name} has {f.end_lineno - f.lineno + 1} lines"
                     for f in functions if f.end_lineno - f.lineno + 1 > 40]
    assert too_long == []
