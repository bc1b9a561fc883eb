"""`prepare --package NAME`: the named packages' release plans, judged together."""

from __future__ import annotations

from collections.abc import Sequence

from release_guard.config import Project, load_project
from release_guard.findings import Finding, InputError
from release_guard.report import Outcome
from release_guard.source import Source
from release_guard.workspace import load_workspace
from release_guard.workspace.judge import check_package
from release_guard.workspace.pins import pin_findings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable

    from release_guard.prepare import Plan


def plan_packages(
    source: Source,
    root: Project,
    names: Sequence[str],
    plan_release: Callable[[Project, Source], Plan],
) -> tuple[list[Plan], Callable[[Source], Outcome]]:
    """prepare's plans for the named packages (paths in the repository), and how to judge
    the tree they make: each package's release rules on its own tag."""
    from release_guard.edit import Refusal

    if not root.is_workspace:
        raise Refusal("RG601", "--package needs a workspace", "leave --package out")
    workspace = load_workspace(source, root)
    known = ", ".join(package.name for package in workspace.packages)
    if not names:
        raise Refusal(
            "RG601",
            f"a workspace releases the packages named with --package (packages: {known})",
            "release-guard prepare --package NAME VERSION|major|minor|patch",
        )
    chosen = []
    for name in dict.fromkeys(names):
        package = workspace.package_named(name)
        if package is None:
            raise Refusal(
                "RG601",
                f"no package {name!r} in the workspace (packages: {known})",
                "name one of the workspace's packages",
            )
        chosen.append(package)
    from release_guard.edit import Change, Overlay

    plans = []
    made: dict[str, Change] = {}  # by path: packages released together share uv.lock
    for package in chosen:
        try:
            plan = plan_release(
                package.project, package.source(Overlay(source, list(made.values())))
            )
        except InputError as error:  # a refusal (RG6xx) stays one, located in the repository
            error.finding = package.locate(error.finding)
            raise
        changes = []
        for change in plan.changes:
            path = package.in_repository(change.path)
            earlier = made.get(path)
            before = earlier.before if earlier else change.before
            made[path] = change._replace(path=path, before=before)
            changes.append(made[path])
        plans.append(plan._replace(changes=changes))
    # one change per file, with every package's edits: the last plan that touched it holds it
    plans = [
        plan._replace(changes=[c for c in plan.changes if made[c.path] is c]) for plan in plans
    ]

    def judge(tree: Source) -> Outcome:
        after = load_workspace(tree, load_project(tree))
        findings: list[Finding] = []
        notes: list[str] = []
        for package, plan in zip(chosen, plans):
            new = next(p for p in after.packages if p.path == package.path)
            outcome = check_package(tree, new, after, plan.tag)
            findings += outcome.findings
            notes += outcome.notes
        released = {package.name for package in chosen}
        notes += [
            f"{pin.message}: widen it and release it too (--package {pin.package})"
            for pin in pin_findings(tree, after)
            if pin.package is not None
            and any(f"excludes {name} " in pin.message for name in released)
        ]
        return Outcome(findings, notes)

    return plans, judge
