"""setup.cfg: `[metadata] version = 1.2.3`, read as INI the way setuptools reads it."""

from __future__ import annotations

import re

from release_guard.findings import input_error
from release_guard.versions import Carried, Reading, VersionFile
from release_guard.versions.files import line_start


def parse(text: str, path: str, where: str) -> dict[str, dict[str, str]]:
    """Every section's options; RG007 when the file is not INI."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, where)
    except configparser.Error as error:
        line = getattr(error, "lineno", None)
        first = str(error).strip().splitlines()[0]
        raise input_error("RG007", f"{where} is not valid INI: {first}", path, line) from None
    return {section: dict(parser.items(section)) for section in parser.sections()}


def read(text: str, version_file: VersionFile, where: str) -> Reading:
    section, _, option = version_file.key.partition(".")
    value = parse(text, version_file.path, where).get(section, {}).get(option)
    if value is None:
        return Reading()
    line = option_line(text, section, option)
    if value.startswith(("attr:", "file:")):
        return Reading(line=line, computed=f"by setuptools from {value!r}")
    start = text.find(value, line_start(text, line)) if line is not None else -1
    return Reading((Carried(value, line, start),))


def option_line(text: str, section: str, option: str) -> int | None:
    inside = False
    key = re.compile(rf"^{re.escape(option)}\s*[=:]", re.IGNORECASE)
    for number, line in enumerate(text.split("\n"), 1):
        header = re.match(r"^\[([^\]]+)\]", line)
        if header:
            inside = header.group(1).strip() == section
        elif inside and key.match(line):
            return number
    return None
