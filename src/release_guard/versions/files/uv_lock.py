"""uv.lock: the version of the project's own [[package]] entry.

A lock of hundreds of packages is read at every commit, so the whole file is not parsed: the
entry is found by its header (`[[package]]` then `name = "..."`, as uv writes them), and only
that block goes through the TOML parser.
"""

from __future__ import annotations

from release_guard.findings import InputError, input_error
from release_guard.versions import Carried, Reading, VersionFile
from release_guard.versions.files import line_number

# the project's own entry: uv locks the project itself from its directory
OWN_SOURCES = ({"editable": "."}, {"virtual": "."})


def read(text: str, version_file: VersionFile, where: str) -> Reading:
    if not text.lstrip().startswith(("version =", "version=")):
        raise input_error(
            "RG003",
            f"{where} is not a uv lock file (it does not start with `version = N`)",
            version_file.path,
            1,
        )
    # key: the project's PEP 503 name, then, for a workspace member, its directory in the lock's
    name, _, member = version_file.key.partition(" ")
    own = ({"editable": member}, {"virtual": member}) if member else OWN_SOURCES
    for start, end in _package_blocks(text, name):
        block = _parse_block(text[start:end], version_file.path, where, line_number(text, start))
        source = block.get("source")
        if source not in own:
            continue
        version = block.get("version")
        if version is None:
            return Reading()  # a dynamic version: uv does not lock it
        if not isinstance(version, str):
            return Reading(problem="the version of the project's entry is not a string")
        offset = text.find(f'version = "{version}"', start, end)
        if offset < 0:
            return Reading()
        offset += len('version = "')
        return Reading((Carried(version, line_number(text, offset), offset),))
    return Reading()


def _package_blocks(text: str, name: str) -> list[tuple[int, int]]:
    """(start, end) of each [[package]] block named `name` (every block when name is "")."""
    nl = "\r\n" if "\r\n" in text[:200] else "\n"  # a checkout with autocrlf
    header = f'[[package]]{nl}name = "{name}"{nl}' if name else f"[[package]]{nl}"
    blocks: list[tuple[int, int]] = []
    position = 0
    while True:
        found = text.find(header, position)
        if found < 0:
            return blocks
        if found == 0 or text[found - 1] == "\n":
            end = text.find("\n[", found + len(header))
            blocks.append((found, len(text) if end < 0 else end + 1))
        position = found + len(header)


def _parse_block(block: str, path: str, where: str, line: int) -> dict[str, object]:
    """The keys of one `[[package]]` block."""
    from release_guard.config import parse_toml

    try:
        entry: dict[str, object] = parse_toml(block, where, path)["package"][0]
        return entry
    except InputError as error:
        finding = error.finding
        # the line within the block is the line within the file from where the block starts
        raise input_error(
            "RG003", finding.message, path, (finding.line or 1) + line - 1, finding.column
        ) from None
