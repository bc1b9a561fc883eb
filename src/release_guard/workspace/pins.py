"""Dependencies between members (RG109): a requirement on another member must admit its
version."""

from __future__ import annotations

from release_guard.config import PYPROJECT, Project
from release_guard.findings import Finding
from release_guard.source import Source
from release_guard.versions import dig
from release_guard.workspace import Package, Workspace


def pin_findings(source: Source, workspace: Workspace) -> list[Finding]:
    """RG109 where a member's requirement on another member excludes that member's version."""
    import re

    from release_guard.versions.detect import canonical_name

    members = {canonical_name(package.name): package for package in workspace.packages}
    versions: dict[str, str | None] = {}
    findings = []
    for package in workspace.packages:
        for requirement in _requirements(package.project):
            named = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
            needed = members.get(canonical_name(named.group(1))) if named else None
            if needed is None or needed is package:
                continue
            if needed.path not in versions:
                versions[needed.path] = _version_of(source, needed)
            version = versions[needed.path]
            if version is None or _allows(requirement, version):
                continue
            line = package.project.line_of(re.escape(requirement))
            message = (
                f"{package.name} requires {requirement!r}, which excludes {needed.name} {version}"
            )
            findings.append(package.locate(Finding("RG109", message, PYPROJECT, line)))
    return findings


def _requirements(project: Project) -> list[str]:
    table = dig(project.pyproject, "project")
    lists = [table.get("dependencies", [])]
    lists += list(dig(table, "optional-dependencies").values())
    return [
        item
        for items in lists
        if isinstance(items, list)
        for item in items
        if isinstance(item, str)
    ]


def _version_of(source: Source, package: Package) -> str | None:
    from release_guard.versions.rules import check_versions

    return check_versions(package.project, package.source(source)).version


def _allows(requirement: str, version: str) -> bool:
    """Whether the requirement's specifier admits `version`; an unparsable requirement, or
    version, is not this rule's to judge."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import InvalidVersion, Version

    try:
        return Requirement(requirement).specifier.contains(Version(version), prereleases=True)
    except (InvalidRequirement, InvalidVersion):
        return True
