"""The layers hold: no import from a lower layer to a higher one, no import cycle between files,
and the front ends reach the verifier only through the counter layer (and the value types it
answers with). Imports are read from the source with `ast`, function-level ones included, so an
import hidden in a function body counts as much as one at the top."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("apdu", "verifier", "gui", "testcards", "bench")

#: Every package of the project, each named: a new one must be placed in the layers below.
LAYERS = ("apdu", "verifier.card", "verifier.engine", "verifier.documents", "verifier.ocr",
          "verifier.counter", "verifier.cli", "testcards", "gui", "bench")
#: The document packages: each one knows its own card and nothing of another's.
DOCUMENTS = ("verifier.documents.my_number", "verifier.documents.residence")

#: Each layer, and the project layers it must never import (directly or in a function).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "apdu": ("verifier", "gui", "testcards", "bench"),
    "verifier": ("gui", "testcards", "bench"),
    "verifier.card": ("verifier.ocr", "verifier.engine", "verifier.documents",
                      "verifier.counter", "verifier.cli"),
    # reading a picture of a document's face knows that document's printed fields
    "verifier.ocr": ("verifier.counter", "verifier.cli"),
    # the engine is what every document shares: it knows none of them
    "verifier.engine": ("verifier.ocr", "verifier.documents", "verifier.counter",
                        "verifier.cli"),
    "verifier.documents": ("verifier.ocr", "verifier.counter", "verifier.cli"),
    "verifier.counter": ("verifier.cli",),
    "testcards": ("gui", "bench", "verifier.cli"),
    "gui": ("bench", "testcards"),
}

#: The front ends: they render what the counter layer answers and decide nothing.
FRONT_ENDS = ("verifier.cli", "gui")
#: What a front end may import of the layers below it: the counter layer, and the types of its
#: answers and errors (values that carry no behaviour of their own).
FRONT_END_MAY_IMPORT = ("verifier.counter", "verifier.errors", "verifier.engine.verdict",
                        "verifier.card.values", "verifier.ocr.fields", "verifier.ocr.residence",
                        "verifier.ocr.errors", "apdu.errors")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {module_name(path): path for package in PACKAGES
            for path in sorted((REPO / package).rglob("*.py"))}


def imported(path: Path, modules: dict[str, Path]) -> Iterator[str]:
    """Every project module `path` imports, at any depth of its code. `from a.b import c`
    counts as importing a.b.c when c is a module, else a.b."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path.parent)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[:len(parent) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            if base.split(".")[0] not in PACKAGES:
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield full if full in modules else base


def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: {target for target in imported(path, modules) if target in modules}
            for name, path in modules.items()}


def within(module: str, layer: str) -> bool:
    return module == layer or module.startswith(layer + ".")


def test_the_walk_sees_function_level_imports() -> None:
    edges = graph()
    # gui.command imports gui.app only inside run(), so PySide6 stays out of start-up
    assert "gui.app" in edges["gui.command"]
    assert "verifier.counter.visit" in edges["verifier.cli.verify"]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_import_reaches_up(layer: str) -> None:
    wrong = sorted(f"{source} -> {target}" for source, targets in graph().items()
                   if within(source, layer) for target in targets
                   if any(within(target, banned) for banned in FORBIDDEN[layer]))
    assert wrong == []


@pytest.mark.parametrize("document", DOCUMENTS)
def test_a_document_knows_no_other(document: str) -> None:
    others = [other for other in DOCUMENTS if other != document]
    wrong = sorted(f"{source} -> {target}" for source, targets in graph().items()
                   if within(source, document) for target in targets
                   if any(within(target, other) for other in others))
    assert wrong == []


def test_every_package_is_in_a_layer() -> None:
    packages = {name.rsplit(".", 1)[0] if not (REPO / name.replace(".", "/")).is_dir() else name
                for name in project_modules()}
    unplaced = sorted(name for name in packages
                      if name not in ("verifier", "verifier.documents")
                      and not any(within(name, layer)
                                                               for layer in LAYERS))
    assert unplaced == []


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_front_ends_reach_only_the_counter_layer(front_end: str) -> None:
    own = front_end.split(".")[0] if front_end == "gui" else front_end
    wrong = sorted(f"{source} -> {target}" for source, targets in graph().items()
                   if within(source, front_end) for target in targets
                   if not within(target, own) and target != "verifier"
                   and not any(within(target, allowed) for allowed in FRONT_END_MAY_IMPORT))
    assert wrong == []


def test_no_import_cycle_between_files() -> None:
    edges = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert cycles == []
