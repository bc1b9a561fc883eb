"""setup.py: the literal `version="1.2.3"` keyword of its setup() call, read from its syntax tree."""

from __future__ import annotations

from release_guard.versions import Carried, Reading, VersionFile
from release_guard.versions.files import line_start
from release_guard.versions.files.python import parse, walk

TYPE_CHECKING = False
if TYPE_CHECKING:
    import _ast as ast


def read(text: str, version_file: VersionFile, where: str) -> Reading:
    keyword = setup_keyword(parse(text, version_file.path, where), "version")
    if keyword is None:
        return Reading()
    import _ast as ast

    value = keyword.value
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        start = text.find(value.value, line_start(text, value.lineno, python=True))
        return Reading((Carried(value.value, value.lineno, start),))
    return Reading(line=keyword.value.lineno, computed="by setup.py")


def setup_call(module: ast.Module) -> ast.Call | None:
    """The `setup(...)` (or `setuptools.setup(...)`) call, wherever it is in the module."""
    import _ast as ast

    for node in walk(module):
        if isinstance(node, ast.Call):
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else None
            if isinstance(function, ast.Name):
                name = function.id
            if name == "setup":
                return node
    return None


def setup_keyword(module: ast.Module, name: str) -> ast.keyword | None:
    call = setup_call(module)
    if call is None:
        return None
    return next((keyword for keyword in call.keywords if keyword.arg == name), None)


def setup_string(module: ast.Module, name: str) -> str | None:
    """A setup() keyword's string: a literal, or a module-level name bound to one."""
    import _ast as ast

    keyword = setup_keyword(module, name)
    value = keyword.value if keyword is not None else None
    if isinstance(value, ast.Name):
        bound = value.id
        for node in module.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == bound for target in node.targets
            ):
                value = node.value
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    return None
