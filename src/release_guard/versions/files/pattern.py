"""Any text file: the version is the regex's one group (or its group named "version")."""

from __future__ import annotations

import re

from release_guard.versions import Carried, Reading, VersionFile
from release_guard.versions.files import line_number


def read(text: str, version_file: VersionFile, where: str) -> Reading:
    assert version_file.pattern is not None
    match = re.search(version_file.pattern, text, re.MULTILINE)
    if match is None:
        return Reading()
    group = "version" if "version" in match.re.groupindex else 1
    start = match.start(group)
    return Reading((Carried(match.group(group), line_number(text, start), start),))
