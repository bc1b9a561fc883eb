"""Read the version out of one file: one module per kind of file, chosen from this table."""

from __future__ import annotations

from release_guard.source import Source, read_text
from release_guard.versions import Reading, VersionFile

# kind -> module of this package with `read(text, version_file, where) -> Reading`
READERS = {
    "python": "python",
    "pattern": "pattern",
    "toml": "toml",
    "setup-cfg": "setup_cfg",
    "setup-py": "setup_py",
    "uv-lock": "uv_lock",
    "citation": "citation",
    "sphinx": "sphinx",
}

# kinds whose versions are compared as parsed versions, as their tool writes them normalized
PARSED_KINDS = frozenset({"uv-lock"})


def kind_for_path(path: str) -> str | None:
    """The kind a version-files entry has by its name alone; None when it needs a pattern."""
    name = path.rsplit("/", 1)[-1]
    if name == "uv.lock":
        return "uv-lock"
    if name == "CITATION.cff":
        return "citation"
    if name == "conf.py":
        return "sphinx"
    if name.endswith(".py"):
        return "python"
    return None


def read_version_file(source: Source, version_file: VersionFile) -> Reading | None:
    """What the file carries; None when it does not exist."""
    # an empty __init__.py is a common, valid module: it carries no version
    text = read_text(source, version_file.path, allow_empty=True)
    if text is None:
        return None
    module = __import__(
        f"release_guard.versions.files.{READERS[version_file.reader]}", fromlist=["read"]
    )
    reading: Reading = module.read(text, version_file, source.describe(version_file.path))
    return reading


def line_start(text: str, line: int, python: bool = False) -> int:
    """Offset of the start of a 1-based line. Line ends are "\\n" or "\\r\\n", as the
    changelog and pattern readers count lines; with `python`, a lone "\\r" too, as Python's
    own parser (ast's line numbers) counts them."""
    if python:
        import itertools
        import re

        ends = re.finditer("\r\n?|\n", text)
        return next(itertools.islice(ends, line - 2, None)).end() if line > 1 else 0
    offset = 0
    for _ in range(line - 1):
        offset = text.index("\n", offset) + 1
    return offset


def line_number(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
