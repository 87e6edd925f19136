"""Code rules enforced by reading every module (ast), so a change cannot quietly break them.

1. ``pipelines/`` may import ``crawler/``; nothing under ``crawler/`` imports ``pipelines/``.
2. The pure modules (extraction, dates, text, URL keys, the database layer) import no Scrapy,
   Twisted or itemadapter, neither themselves nor through any project module they import.
3. Whitespace is collapsed by ``crawler.text.collapse_whitespace``, never by an inline join.
4. README.md's "Where things live" names every module, and no module that is gone.

Imports under ``if TYPE_CHECKING:`` are annotations only and never run, so they do not count;
imports inside functions do (they run when the function does).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

from tests.support import ROOT

PACKAGES = ("crawler", "pipelines")
FRAMEWORK = ("scrapy", "twisted", "itemadapter")
PURE = ("crawler.extract", "crawler.dates", "crawler.text", "crawler.urls", "crawler.store")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST):
    """Every node that can run, skipping the bodies of ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
            else:
                stack.append(child)


@cache
def imports_of(name: str) -> frozenset[str]:
    """The modules ``name`` imports at run time, absolute, with ``from pkg import mod`` resolved to ``pkg.mod``."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return frozenset(found)


def _with_parents(name: str) -> list[str]:
    """Importing ``a.b.c`` runs ``a/__init__``, ``a.b/__init__`` and ``a.b.c``."""
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def closure(name: str) -> dict[str, str]:
    """Every project module importing ``name`` runs, each with the module that imported it first."""
    seen = {name: name}
    todo = [name]
    while todo:
        current = todo.pop()
        for imported in imports_of(current):
            for module in _with_parents(imported):
                if module in MODULES and module not in seen:
                    seen[module] = current
                    todo.append(module)
    return seen


def chain(seen: dict[str, str], module: str) -> str:
    path = [module]
    while seen[path[-1]] != path[-1]:
        path.append(seen[path[-1]])
    return " <- ".join(path)


def is_pure(name: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in PURE)


def test_the_walk_sees_the_project():
    # A walk that finds nothing would pass every rule: make sure it reads what it claims to.
    assert {"crawler.text", "crawler.store", "crawler.extract.listing", "pipelines.dedup"} <= MODULES.keys()
    assert "crawler.store_extension" in imports_of("pipelines.dedup")
    assert "scrapy" in {m.split(".")[0] for m in imports_of("crawler.store_extension")}
    assert "crawler.text" in closure("crawler.store")


def test_crawler_never_imports_pipelines():
    offending = [
        f"{name} imports {imported}"
        for name in MODULES
        if name.startswith("crawler")
        for imported in sorted(imports_of(name))
        if imported.split(".")[0] == "pipelines"
    ]
    assert not offending, "pipelines/ may import crawler/, never the reverse:\n" + "\n".join(offending)


def test_pure_modules_import_no_framework():
    offending = []
    for name in filter(is_pure, MODULES):
        seen = closure(name)
        for module in seen:
            framework = sorted(m for m in imports_of(module) if m.split(".")[0] in FRAMEWORK)
            if framework:
                offending.append(f"pure {name} reaches {framework} via {chain(seen, module)}")
    assert not offending, "\n".join(offending)


def test_pure_modules_load_no_framework_at_run_time():
    # The ast walk cannot see a third-party package that pulls Scrapy in; a real import can.
    pure = [m for m in MODULES if is_pure(m) and not m.endswith("__main__")]
    code = f"import importlib, sys\nfor m in {pure!r}: importlib.import_module(m)\n" + (
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FRAMEWORK!r}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _is_inline_collapse(node: ast.AST) -> bool:
    """``" ".join(<x>.split())``: what ``crawler.text.collapse_whitespace`` is for."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and isinstance(node.func.value, ast.Constant)
        and node.func.value.value == " "
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Call)
        and isinstance(node.args[0].func, ast.Attribute)
        and node.args[0].func.attr == "split"
        and not node.args[0].args
    )


def test_whitespace_is_collapsed_in_one_place():
    assert _is_inline_collapse(ast.parse('" ".join(text.split())').body[0].value)  # the check can fail
    files = [*MODULES.values(), *(ROOT / "tests").glob("*.py"), *(ROOT / "bench").glob("*.py")]
    offending = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in files
        if path != MODULES["crawler.text"]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if _is_inline_collapse(node)
    ]
    assert not offending, "use crawler.text.collapse_whitespace: " + ", ".join(offending)


def readme_layout() -> tuple[set[str], set[str]]:
    """The files the README's "Where things live" names, and its folders listed without their files."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Where things live", 1)[1].split("```", 2)[1]
    files: set[str] = set()
    folders: dict[str, bool] = {}  # folder -> whether indented lines name its files
    folder = ""
    for line in block.splitlines():
        names = [n.strip() for n in line.strip().split("   ", 1)[0].split(",") if n.strip()]
        if not names:
            continue
        if line.startswith("  ") and folder:
            files.update(folder + name for name in names)
            folders[folder] = True
            continue
        folder = ""
        base = names[0].rpartition("/")[0] + "/" if "/" in names[0].rstrip("/") else ""
        for name in [names[0], *(n if "/" in n.rstrip("/") else base + n for n in names[1:])]:
            if name.endswith("/"):
                folder = name
                folders.setdefault(name, False)
            else:
                files.add(name)
    return files, {f for f, itemized in folders.items() if not itemized}


def test_the_readme_names_every_module():
    files, whole_folders = readme_layout()
    assert "crawler/text.py" in files and "crawler/dates/iso.py" in files  # the parse reads the list
    modules = [p for p in (*MODULES.values(), ROOT / "settings.py") if p.stat().st_size or p.name != "__init__.py"]
    missing = sorted(
        rel
        for p in modules
        if (rel := str(p.relative_to(ROOT))) not in files and not any(rel.startswith(f) for f in whole_folders)
    )
    assert not missing, "README.md 'Where things live' lacks a line for: " + ", ".join(missing)
    stale = sorted(f for f in files if f.endswith(".py") and not (ROOT / f).is_file())
    assert not stale, "README.md 'Where things live' names modules that are gone: " + ", ".join(stale)
