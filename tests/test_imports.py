"""The import graph of ``src/crosscheck`` has no cycle, between modules nor between packages.

Every ``import`` statement counts, inside functions too: an import deferred into a function still ties the two
modules together, and deferring one is how a cycle usually hides. Imports under ``if TYPE_CHECKING:`` are left
out, since they never run. ``from package import name`` counts as importing the module ``package.name`` when
there is one, else the package. Importing a submodule runs its package's ``__init__`` first, but Python
initialises the package before the submodule, so that implied arrow is not counted.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from itertools import pairwise
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src"


Edges = dict[tuple[str, str], str]  # (importer, imported) -> where: "path:line"


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted((SOURCE / "crosscheck").rglob("*.py")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _runtime_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement except those under ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        anchor = package[: len(package) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The module of ours that importing ``name`` loads (``crosscheck.a.b.C`` → ``crosscheck.a.b``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def module_edges() -> Edges:
    """Every arrow from one module of ``crosscheck`` to another, with where the import is written."""
    modules = _modules()
    edges: Edges = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _runtime_imports(tree):
            for target in _targets(node, module, path.name == "__init__.py", modules):
                imported = _known(target, modules) if target.startswith("crosscheck") else None
                if imported and imported != module:
                    where = f"{path.relative_to(SOURCE.parent)}:{node.lineno}"
                    edges.setdefault((module, imported), where)
    return edges


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])  # crosscheck.storage.store -> crosscheck.storage


def package_edges(edges: Edges) -> Edges:
    """The arrows between the top-level packages (and modules) of ``crosscheck``."""
    packages: Edges = {}
    for (source, target), where in edges.items():
        if _package(source) != _package(target):
            packages.setdefault((_package(source), _package(target)), where)
    return packages


def _cycle(edges: Edges) -> str | None:
    """One cycle of the graph, each arrow with where it is written; None when there is none."""
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        nodes = exc.args[1]  # [a, ..., a] where each depends on the one after it, in sorter order
        nodes = nodes[::-1]  # importer first
        return "\n".join(f"{a} -> {b}  ({edges[(a, b)]})" for a, b in pairwise(nodes))
    return None


def test_the_graph_is_read_from_the_sources() -> None:
    edges = module_edges()
    assert ("crosscheck.pipeline", "crosscheck.ingest.revisions") in edges
    assert ("crosscheck.cli.main", "crosscheck.cli.state") in edges
    # deferred into a function, still an arrow
    assert edges[("crosscheck.cli.main", "crosscheck.pipeline")].startswith("src/crosscheck/cli/main.py:")
    # only under TYPE_CHECKING: not one
    assert ("crosscheck.storage.postgres_schema", "crosscheck.storage.postgres") not in edges


def test_a_cycle_is_found_and_named() -> None:
    edges: Edges = {("a", "b"): "a.py:1", ("b", "c"): "b.py:2", ("c", "a"): "c.py:3", ("c", "d"): "c.py:4"}
    found = _cycle(edges)
    assert found is not None and "c -> a  (c.py:3)" in found and "d" not in found
    assert _cycle({("a", "b"): "a.py:1"}) is None


def test_no_module_imports_itself_back() -> None:
    found = _cycle(module_edges())
    assert found is None, f"import cycle between modules:\n{found}"


def test_no_package_imports_itself_back() -> None:
    packages = package_edges(module_edges())
    found = _cycle(packages)
    assert found is None, f"import cycle between packages:\n{found}"
