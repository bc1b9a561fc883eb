"""Checks on an archive's list of entries, wheel or sdist: unsafe paths, links and devices,
the same path twice, bytecode (RG409, RG408, RG406)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from release_guard.dist.report import DistReport

_BYTECODE_SUFFIXES = (".pyc", ".pyo")
# Substrings of the newline-joined names that call for a closer look: nearly every archive
# has none of them, and substring tests over one string are far cheaper than a loop.
# ("\n\n" is an empty name.)
_NOTEWORTHY = ("\\", "\x00", "..", "\n/", ":", ".pyc\n", ".pyo\n", "__pycache__/", "\n\n")


def check_members(names: Sequence[str], kinds: Sequence[str], report: DistReport) -> set[str]:
    """Unsafe paths, links and devices, duplicates and bytecode, over every entry's name and
    kind: "file", "dir", "link", "in-tree link" (an sdist's, allowed) or "special" (device,
    fifo).

    Returns the unsafe names, which no other check should judge: RG409 condemns them.
    """
    joined = "\n" + "\n".join(names) + "\n"
    # a directory's key drops its trailing slash: a directory a/ and a file a are one path
    keys = (
        [
            name[:-1] if kind == "dir" and name.endswith("/") else name
            for name, kind in zip(names, kinds)
        ]
        if "/\n" in joined
        else names
    )
    if (
        not any(marker in joined for marker in _NOTEWORTHY)
        and len(set(keys)) == len(keys)
        and set(kinds) <= {"file", "dir"}
    ):
        return set()
    seen: set[str] = set()
    unsafe: set[str] = set()
    for name, kind, key in zip(names, kinds, keys):
        reason = _unsafe_reason(name)
        if reason is not None:
            unsafe.add(name)
            report.add("RG409", f"entry {name!r} {reason}")
        elif kind in ("link", "special"):
            if kind == "link":
                report.add(
                    "RG409",
                    f"entry {name!r} is a link: a wheel holds regular files only, and an "
                    "sdist may link only inside its own top directory (PEP 721)",
                )
            else:
                report.add("RG409", f"entry {name!r} is a device or fifo; a dist holds files")
        if key in seen:
            report.add("RG408", f"{key} appears more than once")
        seen.add(key)
        if kind == "file" and (
            name.endswith(_BYTECODE_SUFFIXES)
            or name.startswith("__pycache__/")
            or "/__pycache__/" in name
        ):
            report.add("RG406", f"ships bytecode {name}")
    return unsafe


def _unsafe_reason(name: str) -> str | None:
    if not (
        "\\" in name or ".." in name or "\x00" in name or name[:1] in ("/", "") or name[1:2] == ":"
    ):
        return None  # nearly every name: a few substring tests instead of a regex
    if not name:
        return "has an empty name"  # zipfile lists it; no installer can place it
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return "is an absolute path"
    if "\\" in name:
        return "contains a backslash, a path separator on Windows"
    if "\x00" in name:
        return "contains a NUL byte"
    if ".." in name.split("/"):
        return "escapes the archive with .."
    return None
