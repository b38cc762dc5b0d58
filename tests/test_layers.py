"""The layers of the code: storage sits below the domain and depends on plain records only.

Storage may import itself and the plain record modules, nothing else of crosscheck: an allow-list rather than a
list of domain packages, so that a package added later (or a top-level module such as ``pipeline``, ``prepare``,
``settings`` or ``exports``) is kept out without editing this test. The record modules import no other crosscheck
module, so storage cannot reach the domain through them either. Clustering works on those records too and imports
no storage: what its split of stories needs of the store it names as a Protocol, which the store satisfies.
Every import is checked, the ones inside functions included (a late import is still an arrow upwards).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "crosscheck"
RECORDS = ("crosscheck.models", "crosscheck.figures", "crosscheck.errors")  # plain data and exceptions
STORAGE_MAY_IMPORT = ("crosscheck.storage", *RECORDS)


def crosscheck_imports(source: str, package: str) -> list[tuple[int, str]]:
    """(line, module) of every import of a crosscheck module in ``source``, a module of ``package``, at any
    depth (imports inside functions included; relative ones resolved)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                found.append((node.lineno, ".".join([*base, *([node.module] if node.module else [])])))
            elif node.module:
                found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name == "crosscheck" or name.startswith("crosscheck.")]


def file_imports(path: Path) -> list[tuple[int, str]]:
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    return crosscheck_imports(path.read_text(encoding="utf-8"), package)


def _within(name: str, allowed: tuple[str, ...]) -> bool:
    return any(name == a or name.startswith(a + ".") for a in allowed)


def offending_names(names: list[str], allowed: tuple[str, ...]) -> list[str]:
    return [name for name in names if not _within(name, allowed)]


def offending(files: list[Path], allowed: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE)}:{line} imports {name}"
        for path in files
        for line, name in file_imports(path)
        if not _within(name, allowed)
    ]


def test_the_import_scan_sees_late_and_relative_imports() -> None:
    source = "import os\nfrom . import records\nfrom .. import pipeline\ndef f():\n    from crosscheck.sources import X"
    names = [name for _, name in crosscheck_imports(source, "crosscheck.storage")]
    assert names == ["crosscheck.storage", "crosscheck", "crosscheck.sources"]
    assert offending_names(names, STORAGE_MAY_IMPORT) == ["crosscheck", "crosscheck.sources"]


def test_storage_imports_no_domain_code() -> None:
    files = sorted((PACKAGE / "storage").glob("*.py"))
    assert files, "no storage modules found"
    assert offending(files, STORAGE_MAY_IMPORT) == []


@pytest.mark.parametrize("module", RECORDS)
def test_record_modules_import_only_records(module: str) -> None:
    path = PACKAGE / (module.removeprefix("crosscheck.").replace(".", "/") + ".py")
    assert offending([path], RECORDS) == []


def test_clustering_does_not_import_storage() -> None:
    files = sorted((PACKAGE / "clustering").glob("*.py"))
    assert files
    found = [f"{p.relative_to(PACKAGE)}:{line} imports {n}" for p in files for line, n in file_imports(p)
             if _within(n, ("crosscheck.storage",))]  # fmt: skip
    assert found == []
