"""setuptools: `[tool.setuptools.dynamic] version` (attr:/file:), setup.cfg's
`[metadata] version` (a literal, attr: or file:), or the `version=` of setup.py's setup()."""

from __future__ import annotations

import posixpath

from release_guard.source import read_text
from release_guard.versions import (
    Context,
    VersionFile,
    VersionSource,
    clean_path,
    module_file,
    package_root,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SETUP_CFG = "setup.cfg"
SETUP_PY = "setup.py"
# a whole file is the version (setuptools strips it)
WHOLE_FILE = r"\A\s*(\S+)\s*\Z"


def detect(project: Context) -> VersionSource | None:
    dynamic = project.dig("project").get("dynamic", [])
    if isinstance(dynamic, list) and "version" in dynamic:
        spec = project.dig("tool", "setuptools", "dynamic").get("version")
        found = _from_spec(project, spec, _pyproject_roots(project.data))
        if found is not None:
            return found
    return _from_setup_cfg(project) or _from_setup_py(project)


def _from_spec(project: Context, spec: Any, roots: list[str]) -> VersionSource | None:
    if isinstance(spec, dict) and isinstance(spec.get("attr"), str):
        return _attr(project, spec["attr"], roots)
    if isinstance(spec, dict) and isinstance(spec.get("file"), (str, list)) and spec["file"]:
        first = spec["file"] if isinstance(spec["file"], str) else spec["file"][0]
        return VersionSource(
            "file", VersionFile(clean_path(str(first), "version file"), WHOLE_FILE)
        )
    return None


def _attr(project: Context, attr: str, roots: list[str]) -> VersionSource:
    module, _, variable = attr.strip().rpartition(".")
    if not module:
        return VersionSource("missing", detail=f"cannot resolve attr {attr!r}")
    return VersionSource(
        "file", VersionFile(module_file(project, module, roots), variable=variable)
    )


def _pyproject_roots(data: dict[str, Any]) -> list[str]:
    """Where setuptools looks for packages: package-dir, else find's `where`, else the
    project top and src/ (its automatic discovery covers both layouts)."""
    configured = package_root(data)
    if configured:
        return [configured]
    tool = data.get("tool", {})
    find = tool.get("setuptools", {}).get("packages", {}) if isinstance(tool, dict) else {}
    where = find.get("find", {}).get("where") if isinstance(find, dict) else None
    if isinstance(where, list) and where and all(isinstance(w, str) for w in where):
        return [w.strip("/") or "" for w in where]
    return ["", "src"]


# -- setup.cfg -----------------------------------------------------------------------------------


def _from_setup_cfg(project: Context) -> VersionSource | None:
    text = read_text(project.source, SETUP_CFG, allow_empty=True)
    if text is None:
        return None
    from release_guard.versions.files.setup_cfg import parse

    config = parse(text, SETUP_CFG, project.source.describe(SETUP_CFG))
    value = config.get("metadata", {}).get("version")
    if value is None:
        return None
    if value.startswith("attr:"):
        package_dir = config.get("options", {}).get("package_dir", "")
        root = next(
            (
                line.split("=", 1)[1].strip().strip("/")
                for line in package_dir.splitlines()
                if line.split("=", 1)[0].strip() == "" and "=" in line
            ),
            None,
        )
        return _attr(project, value[5:], [root] if root is not None else ["", "src"])
    if value.startswith("file:"):
        first = value[5:].split(",")[0].strip()
        return VersionSource(
            "file", VersionFile(clean_path(first, "setup.cfg version"), WHOLE_FILE)
        )
    return VersionSource("file", VersionFile(SETUP_CFG, kind="setup-cfg", key="metadata.version"))


# -- setup.py ------------------------------------------------------------------------------------


def _from_setup_py(project: Context) -> VersionSource | None:
    text = read_text(project.source, SETUP_PY, allow_empty=True)
    if text is None:
        return None
    import _ast as ast

    from release_guard.versions.files.python import parse, walk
    from release_guard.versions.files.setup_py import setup_call, setup_keyword

    module = parse(text, SETUP_PY, project.source.describe(SETUP_PY))
    call = setup_call(module)
    if call is not None and any(k.arg == "use_scm_version" for k in call.keywords):
        return VersionSource("vcs", detail="setuptools-scm")
    keyword = setup_keyword(module, "version")
    if keyword is None:
        return None
    if isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
        return VersionSource("file", VersionFile(SETUP_PY, kind="setup-py"))
    if any(
        (isinstance(node, ast.Name) and node.id == "versioneer")
        or (isinstance(node, ast.Attribute) and node.attr == "versioneer")
        for node in walk(keyword.value)
    ):
        return VersionSource("vcs", detail="versioneer")
    found = _version_module(project, module, keyword.value)
    if found is not None:
        return VersionSource("file", VersionFile(found))
    return VersionSource(
        "missing",
        detail=f"{SETUP_PY} computes version= in a way release-guard cannot follow without "
        "running it: name the file that carries the version in "
        '[tool.release-guard] version-source = "..."',
    )


def _version_module(project: Context, module: Any, version: Any) -> str | None:
    """The module setup.py takes `__version__` from, by the patterns people write: a path to a
    .py file (opened, exec'd or parsed, written as a string, `os.path.join(...)`, `Path(...)` or
    `HERE / "..."`, through module-level string names or a helper such as
    `get_version("pkg")` whose parameters take the call's strings), or `from pkg import
    __version__`. The first candidate that has a `__version__` literal is the one."""
    import _ast as ast

    from release_guard.versions.files import read_version_file
    from release_guard.versions.files.python import walk

    names = {
        node.targets[0].id: node.value.value
        for node in module.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }
    assigned = {
        target.id: node.value
        for node in module.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    call = assigned.get(version.id) if isinstance(version, ast.Name) else version
    candidates: list[str] = []
    if isinstance(call, ast.Call):
        strings = [_path_parts(argument, names) for argument in call.args]
        if strings and all(strings):
            candidates.append(
                posixpath.join(*(part for parts in strings if parts for part in parts))
            )
        helpers = {node.name: node for node in module.body if isinstance(node, ast.FunctionDef)}
        helper = helpers.get(call.func.id) if isinstance(call.func, ast.Name) else None
        if helper is not None:
            for parameter, parts in zip(helper.args.args, strings):
                if parts is not None and len(parts) == 1:
                    names[parameter.arg] = parts[0]
    for node in walk(module):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if any(alias.name == "__version__" for alias in node.names):
                candidates.append(module_file(project, node.module, ["", "src"]))
        elif isinstance(node, (ast.Call, ast.BinOp)):
            parts = _path_parts(node, names)
            if parts:
                candidates.append(posixpath.join(*parts))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            candidates.append(node.value)
    for candidate in candidates:
        if not candidate.endswith(".py") or candidate.endswith(SETUP_PY):
            continue
        try:
            path = clean_path(candidate, SETUP_PY)
        except ValueError:
            continue
        reading = read_version_file(project.source, VersionFile(path))
        if reading is not None and reading.version is not None:
            return path
    return None


def _path_parts(node: Any, names: dict[str, str]) -> list[str] | None:
    """The parts of a path expression, None when one cannot be known. A leading part that is
    not a known string (`here`, `Path(__file__).parent`) stands for the project's top."""
    import _ast as ast

    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else None
    if isinstance(node, ast.Name):
        return [names[node.id]] if node.id in names else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        right = _path_parts(node.right, names)
        return (_path_parts(node.left, names) or []) + right if right else None
    if isinstance(node, ast.Call) and node.args:
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else None
        if isinstance(function, ast.Name):
            name = function.id
        if name not in ("join", "Path", "PurePath"):
            return None
        parts: list[str] = []
        for argument in node.args:
            known = _path_parts(argument, names)
            if known is None and parts:
                return None  # an unknown part inside the path
            parts += known or []
        return parts or None
    return None
