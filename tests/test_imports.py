"""The library imports in one direction: no module of workbench/ reaches itself again through
its imports, whether they stand at the top or inside a function."""

from __future__ import annotations

import ast

from tests.conftest import ROOT


def _imports() -> dict[str, set[str]]:
    found = {}
    for path in (ROOT / "workbench").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("workbench"):
                for alias in node.names:
                    module = f"{node.module}.{alias.name}"
                    is_module = (ROOT / (module.replace(".", "/") + ".py")).exists() or \
                        (ROOT / module.replace(".", "/")).is_dir()
                    deps.add(module if is_module else node.module)
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.startswith("workbench")}
        found[name] = deps - {name, "workbench"}
    return found


def test_no_module_of_the_library_imports_itself_in_a_circle():
    graph, circles, done = _imports(), [], set()

    def visit(module: str, path: list[str]) -> None:
        for dep in sorted(graph.get(module, ())):
            if dep in path:
                circles.append(path[path.index(dep):] + [dep])
            elif dep not in done:
                visit(dep, path + [dep])
        done.add(module)

    for module in sorted(graph):
        visit(module, [module])
    assert not circles, circles
