"""Set a new version in every file that carries it, for `prepare`: each edit replaces exactly
the value's span (TOML through tomlkit, which keeps every other byte), planned in memory."""

from __future__ import annotations

import datetime

from release_guard.edit import Change, Overlay, Refusal, read_text_file, replace_span
from release_guard.versions import Carried, VersionFile
from release_guard.versions.files import read_version_file
from release_guard.versions.rules import RELEASE_KINDS, short_version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from release_guard.config import Project
    from release_guard.source import Source


def roll(
    project: Project, source: Source, current: str | None, version: str, day: datetime.date
) -> tuple[dict[str, Change], list[str]]:
    """The changes that set `version` (and `day` as release date) everywhere; one summary
    line per file."""
    changes: dict[str, Change] = {}
    summary: list[str] = []
    truth = project.version_source.file
    if truth is not None:
        files = (truth, *project.config.version_files)
    else:
        # from git tags: the tag is the version; only files that name the release to the world
        # (CITATION.cff) follow it, the others hold placeholders
        files = tuple(vf for vf in project.config.version_files if vf.reader in RELEASE_KINDS)
    # Read through the changes so far (two entries may name the same file): one overlay,
    # kept up to date, so N version files cost N reads, not N overlays of N changes.
    so_far = Overlay(source, [])
    for version_file in files:
        if version_file.reader == "toml":
            edited = _set_toml_version(so_far, version_file, version)
        else:
            edited = _set_values(so_far, version_file, current, version, day)
        if edited is None:
            continue
        path = version_file.path
        earlier = changes.get(path)
        before = earlier.before if earlier else source.read_bytes(path)
        changes[path] = Change(path, before, edited[0])
        so_far.changed[path] = edited[0]
        summary.append(f"{path}: {edited[1]} -> {version}")
    return changes, summary


def _set_values(
    source: Overlay,
    version_file: VersionFile,
    current: str | None,
    version: str,
    day: datetime.date,
) -> tuple[bytes, str] | None:
    """The file's new bytes, every value it carries replaced in place, and its old version;
    None when it carries nothing to replace (check reports what is wrong on the result)."""
    reading = read_version_file(source, version_file)
    if reading is None or reading.version is None:
        return None
    file = read_text_file(source, version_file.path)
    assert file is not None
    text = file.text
    for carried in sorted(reading.values, key=lambda value: value.start, reverse=True):
        if (
            carried.start < 0
            or text[carried.start : carried.start + len(carried.value)] != carried.value
        ):
            raise Refusal(
                "RG605",
                f"cannot locate the value {carried.value!r} written in {version_file.path}",
                "write it as a plain string literal, or set it by hand",
                version_file.path,
                carried.line,
            )
        new = _new_value(carried, reading.version.value, current, version, day)
        text = replace_span(text, carried.start, carried.start + len(carried.value), new)
    return file.encode(text), f"version {reading.version.value}"


def _new_value(
    carried: Carried, old: str, current: str | None, version: str, day: datetime.date
) -> str:
    if carried.role == "date":
        return day.isoformat()
    if carried.role == "short" and carried.value not in (old, current):
        return short_version(version)
    return version


def _set_toml_version(
    source: Overlay, version_file: VersionFile, version: str
) -> tuple[bytes, str] | None:
    """`version` of one TOML table set with tomlkit, keeping the string's quote style and every
    other byte."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import String

    path, table_path = version_file.path, version_file.key
    file = read_text_file(source, path)
    if file is None:
        return None
    try:
        document = tomlkit.parse(file.text)
        table = document
        for part in table_path.split("."):
            table = table[part]
        old = table["version"]
        if not isinstance(old, String):
            return None  # check reports a version that is not a string
        table["version"] = String.from_raw(version, type_=old.type)
        text = document.as_string()
    except (TOMLKitError, KeyError, AttributeError, ValueError) as error:
        raise Refusal(
            "RG605",
            f"cannot edit [{table_path}].version in {path}: {error}",
            "set the version by hand, then run release-guard check",
            path,
        ) from None
    if not _only_value_changed(file.text, text, str(old), version):
        raise Refusal(
            "RG605",
            f"setting the version would reformat other parts of {path}",
            "set the version by hand, then run release-guard check",
            path,
        )
    return file.encode(text), f"version {old}"


def _only_value_changed(before: str, after: str, old: str, new: str) -> bool:
    """The edit is confined to one value on one line: the guarantee tomlkit is trusted with."""
    prefix = _common_length(before, after)
    suffix = min(_common_length(before[::-1], after[::-1]), min(len(before), len(after)) - prefix)
    removed, added = before[prefix : len(before) - suffix], after[prefix : len(after) - suffix]
    return "\n" not in removed + added and len(removed) <= len(old) and len(added) <= len(new)


def _common_length(first: str, second: str) -> int:
    """Length of the common prefix of two strings."""
    for index, (a, b) in enumerate(zip(first, second)):
        if a != b:
            return index
    return min(len(first), len(second))
