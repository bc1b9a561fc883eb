"""A Python module: the last top-level assignment of a variable, read from its syntax tree.

The tree comes from the compiler's own `_ast` node types: the `ast` module adds only helpers
over them and costs about 1 ms to import, a third of what a commit-time check may spend
(docs/design.md, "Start-up")."""

from __future__ import annotations

from release_guard.findings import input_error
from release_guard.versions import Carried, Reading, VersionFile
from release_guard.versions.files import line_start

TYPE_CHECKING = False
if TYPE_CHECKING:
    import _ast as ast
    from collections.abc import Iterator


class Assignment:
    """One binding of a variable (a plain class: cheaper to create than a NamedTuple)."""

    __slots__ = ("imported_from", "line", "name", "value")

    def __init__(
        self,
        value: str | None,  # None: not a string literal
        line: int,
        imported_from: str | None = None,
        name: str | None = None,  # the value is this other variable: `release = version`
    ) -> None:
        self.value = value
        self.line = line
        self.imported_from = imported_from
        self.name = name


def read(text: str, version_file: VersionFile, where: str) -> Reading:
    module = parse(text, version_file.path, where)
    found = assignments(module, (version_file.variable,)).get(version_file.variable)
    if found is None:
        if version_file.variable == "__version__" and _module_getattr(module):
            return Reading(computed="by the module's __getattr__")
        return Reading()
    return reading(text, found, "version")


def reading(text: str, found: Assignment, role: str) -> Reading:
    if found.imported_from is not None:
        return Reading(line=found.line, imported_from=found.imported_from)
    if found.value is None:
        return Reading(line=found.line, computed="at run time")
    start = text.find(found.value, line_start(text, found.line, python=True))
    return Reading((Carried(found.value, found.line, start, role),))


def parse(text: str, path: str, where: str) -> ast.Module:
    import _ast

    try:
        # typeshed types the tree as AST; in "exec" mode it is always a Module
        module: ast.Module = compile(text, where, "exec", _ast.PyCF_ONLY_AST)  # type: ignore[assignment]
        return module
    except SyntaxError as error:
        raise input_error(
            "RG005", f"{where} is not valid Python: {error.msg}", path, error.lineno, error.offset
        ) from None
    except (ValueError, RecursionError, MemoryError) as error:
        # ValueError: a NUL byte (Python < 3.11.4); the others: absurdly deep nesting
        reason = str(error) or "nested too deeply"
        raise input_error("RG005", f"{where} is not valid Python: {reason}", path) from None


def assignments(module: ast.Module, names: tuple[str, ...]) -> dict[str, Assignment]:
    """The last top-level assignment of each name: the one importers see."""
    import _ast as ast

    found: dict[str, Assignment] = {}
    for node in module.body:
        if isinstance(node, (ast.If, ast.With, ast.For, ast.While, ast.Try)):
            # set inside control flow (`try: from ._version import ...`, a loop reading a
            # file): not a plain literal to keep in sync
            for inner in walk(node):
                for bound in _targets(inner):
                    if bound in names:
                        found[bound] = Assignment(None, getattr(inner, "lineno", node.lineno))
            continue
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) in names:
                    origin = "." * node.level + (node.module or "")
                    found[alias.asname or alias.name] = Assignment(None, node.lineno, origin)
            continue
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        literal = value.value if isinstance(value, ast.Constant) else None
        other = value.id if isinstance(value, ast.Name) else None
        for target in targets:
            if isinstance(target, ast.Name) and target.id in names:
                found[target.id] = Assignment(
                    literal if isinstance(literal, str) else None, node.lineno, name=other
                )
    return found


def _targets(node: ast.AST) -> list[str]:
    """The names an assignment or import statement binds."""
    import _ast as ast

    if isinstance(node, ast.Assign):
        return [target.id for target in node.targets if isinstance(target, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [alias.asname or alias.name for alias in node.names]
    return []


def _module_getattr(module: ast.Module) -> bool:
    """PEP 562: `def __getattr__(name)` computes attributes such as __version__ on access."""
    import _ast as ast

    return any(
        isinstance(node, ast.FunctionDef) and node.name == "__getattr__" for node in module.body
    )


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """The node and every node below it, breadth first, in the order `ast.walk` yields them."""
    import _ast as ast

    pending = [node]
    for current in pending:  # grows while it is read
        yield current
        for field in current._fields:
            child = getattr(current, field, None)
            if isinstance(child, ast.AST):
                pending.append(child)
            elif isinstance(child, list):
                pending.extend(item for item in child if isinstance(item, ast.AST))
