"""`release-guard tag-guard [REMOTE [URL]]`: judge the release tags of a git push.

The pre-push hook (hooks/pre-push) runs it with git's stdin: one line per pushed ref,
`<local ref> <local sha> <remote ref> <remote sha>`. Each pushed release tag is judged on its
own commit's files, read through ONE `git cat-file --batch` process for the whole push, by the
same `run_checks` as `release-guard check --tag`: same rules, same codes, same messages.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, Any, NamedTuple

from release_guard.arguments import add_output_arguments, find_root
from release_guard.check import run_checks
from release_guard.config import Config, Project, has_config_table, load_project
from release_guard.findings import Finding, InputError, input_error
from release_guard.history import HISTORY_WINDOW, historical
from release_guard.report import Outcome, default_format, emit
from release_guard.rules import RULES
from release_guard.source import CatFile, GitCommit, Source, WorkTree, git_output
from release_guard.tagdates import TagDates, read_tag_dates
from release_guard.tags import claimed_version, ignored, why_no_release

if TYPE_CHECKING:
    from release_guard.workspace import Package, Workspace

TAGS = "refs/tags/"
MAX_TAG_CHAIN = 16  # a tag of a tag of ...: git itself stops peeling far below any real use


class PushedRef(NamedTuple):
    """One line of git's pre-push stdin."""

    local_ref: str
    local_sha: str
    remote_ref: str
    remote_sha: str

    @property
    def tag(self) -> str | None:
        return self.remote_ref[len(TAGS) :] if self.remote_ref.startswith(TAGS) else None

    @property
    def deletes(self) -> bool:
        return not self.local_sha.strip("0")


class Verdict(NamedTuple):
    """What the guard decided about one pushed tag."""

    tag: str
    commit: str | None  # the tagged commit; None when the tag names no commit
    annotated: bool
    judged: bool  # False: not a release tag, pushed untouched
    config: Config | None  # the tagged commit's [tool.release-guard], when it could be read
    findings: list[Finding]
    notes: list[str]
    skipped: str = ""  # why a tag is not judged (no release, history): one note per reason

    @property
    def refused(self) -> bool:
        return bool(self.findings)


# -- reading git's stdin -----------------------------------------------------------------------


def parse_pushed_refs(text: str) -> list[PushedRef]:
    """git's lines, split exactly as git writes them: "\n" ends a line, one ASCII space parts
    the fields. str.split() and splitlines() would also cut at U+00A0, U+2028 and friends,
    which a ref name may hold, and judge another name than the one pushed."""
    refs = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        fields = line.split(" ")
        if len(fields) != 4 or not all(_is_object_id(fields[i]) for i in (1, 3)):
            raise input_error(
                "RG006",
                f"line {number} of the input is not '<local ref> <local sha> <remote ref> "
                f"<remote sha>' as git gives a pre-push hook: {line[:200]!r}",
            )
        refs.append(PushedRef(*fields))
    return refs


def _is_object_id(text: str) -> bool:
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)


def refs_from_pre_commit(environ: dict[str, str], repo_dir: str) -> list[PushedRef]:
    """The one ref pre-commit's pre-push stage hands its hooks, from its environment.

    None outside a push (`pre-commit run --hook-stage pre-push` by hand or in CI).
    """
    remote_ref = environ.get("PRE_COMMIT_REMOTE_BRANCH")
    if not remote_ref:
        return []
    local_ref = environ.get("PRE_COMMIT_LOCAL_BRANCH") or remote_ref
    # pre-commit leaves PRE_COMMIT_TO_REF unset when the remote has none of the history
    local_sha = (
        environ.get("PRE_COMMIT_TO_REF")
        or git_output(repo_dir, "rev-parse", "--verify", local_ref).strip()
    )
    remote_sha = environ.get("PRE_COMMIT_FROM_REF") or "0" * len(local_sha)
    return [PushedRef(local_ref, local_sha, remote_ref, remote_sha)]


# -- judging -----------------------------------------------------------------------------------


def judge_push(refs: Sequence[PushedRef], repo_dir: str) -> list[Verdict]:
    """Judge every pushed tag; branches and deletions are none of the guard's business."""
    tags = [(ref.tag, ref.local_sha) for ref in refs if ref.tag is not None and not ref.deletes]
    if not tags:
        return []
    fallback = _FallbackConfig(repo_dir)
    workspaces: dict[str, Workspace] = {}  # by commit: a release of many packages reads one
    tag_dates = read_tag_dates(repo_dir)
    releases = [tag for tag, _ in tags if fallback.claims(tag)]
    old = historical(releases, tag_dates.by_tag)
    with CatFile(repo_dir) as cat_file:
        verdicts = [
            _history(tag)
            if tag in old
            else judge_tag(cat_file, tag, sha, fallback, tag_dates, workspaces)
            for tag, sha in tags
        ]
    return _check_release_branches(verdicts, repo_dir)


HISTORY = (
    f"history, not judged (more than {HISTORY_WINDOW} days older than the "
    "newest release tag of this push; docs/tag-guard.md)"
)


def _history(tag: str) -> Verdict:
    return Verdict(tag, None, False, False, config=None, findings=[], notes=[], skipped=HISTORY)


def judge_tag(
    cat_file: CatFile,
    tag: str,
    sha: str,
    fallback: _FallbackConfig,
    tag_dates: TagDates | None = None,
    workspaces: dict[str, Workspace] | None = None,
) -> Verdict:
    commit, annotated, kind = peel(cat_file, sha, tag)
    verdict = Verdict(tag, commit, annotated, judged=True, config=None, findings=[], notes=[])
    if commit is None:
        message = f"tag {tag} points to a {kind} ({sha[:12]}), not a commit"
        return verdict._replace(findings=[Finding("RG305", message, tag)])
    source: Source = GitCommit(cat_file, commit, label=tag)
    try:
        project = load_project(source, inherited=fallback.table)
    except InputError as error:
        if error.finding.code == "RG001" and claimed_version(fallback.config, tag) is None:
            reason = "its commit has no pyproject.toml, and it is no release tag: not judged"
            return verdict._replace(judged=False, skipped=reason)
        finding = error.finding
        if finding.code == "RG001":
            # "run from the project root" would mislead: the tree judged is the tagged commit's
            finding = finding.with_hint(
                f"the commit {tag} points to has no pyproject.toml at the top: tag the "
                "project's release commit (git tag -d, then tag the right commit)"
            )
        return verdict._replace(findings=[_at(tag, finding)])
    package: Package | None = None
    if project.is_workspace:
        from release_guard.workspace.judge import package_tag_dates, workspace_at

        try:
            workspace = workspace_at(
                source, project, commit, {} if workspaces is None else workspaces
            )
        except InputError as error:
            return verdict._replace(findings=[_at(tag, error.finding)])
        package = workspace.match(tag)
        if package is None:
            if ignored(fallback.config, tag) or claimed_version(project.config, tag) is None:
                why = why_no_release(fallback.config, tag)
                return verdict._replace(judged=False, skipped=f"{why}: not judged")
            return verdict._replace(findings=[_at(tag, workspace.unmatched(tag))])
        source, project = package.source(source), package.project
        tag_dates = package_tag_dates(tag_dates, workspace, package)
    config = project.config
    verdict = verdict._replace(config=config)
    # the working tree's ignore-tags counts too: a published tag's commit cannot be changed
    if ignored(fallback.config, tag) or claimed_version(config, tag) is None:
        why = why_no_release(
            config if claimed_version(config, tag) is None else fallback.config, tag
        )
        return verdict._replace(judged=False, skipped=f"{why}: not judged")
    try:
        outcome = run_checks(source, tag=tag, project=project, tag_dates=tag_dates)
    except InputError as error:
        return verdict._replace(findings=[_at(tag, _in(package, error.finding))])
    inherited = (
        []
        if fallback.table is None or has_config_table(project.pyproject)
        else ["its commit has no [tool.release-guard]: judged with the working tree's"]
    )
    return verdict._replace(
        findings=[_at(tag, _in(package, finding)) for finding in _by_position(outcome.findings)],
        notes=[f"{tag}: {note}" for note in [*inherited, *outcome.notes]],
    )


def peel(cat_file: CatFile, sha: str, tag: str) -> tuple[str | None, bool, str]:
    """(commit or None, annotated, kind of the last object): follow tag objects to the end."""
    annotated = False
    for _ in range(MAX_TAG_CHAIN):
        found = cat_file.get(sha)
        if found is None:
            raise input_error("RG006", f"git has no object {sha} for the pushed tag {tag}")
        _, kind, content = found
        if kind != "tag":
            return (sha if kind == "commit" else None), annotated, kind
        annotated = True
        first_line = content.split(b"\n", 1)[0].split()
        if len(first_line) != 2 or first_line[0] != b"object":
            raise input_error("RG006", f"tag object {sha} of {tag} is malformed")
        sha = first_line[1].decode("ascii", "replace")
    raise input_error("RG006", f"tag {tag} is a chain of more than {MAX_TAG_CHAIN} tag objects")


class _FallbackConfig:
    """The working tree's config (read once, when first needed), else the default: its
    tag-format when a tagged commit has no pyproject.toml, its ignore-tags always, and its
    [tool.release-guard] table for a tagged commit that has none (made before adoption)."""

    def __init__(self, repo_dir: str) -> None:
        self._repo_dir = repo_dir
        self._project: Project | None = None
        self._loaded = False
        self._workspace: tuple[Workspace, ...] | None = None  # () when it is none, or bad

    def _load(self) -> Project | None:
        if not self._loaded:
            self._loaded = True
            try:
                self._tree = WorkTree(find_root(self._repo_dir))
                self._project = load_project(self._tree)
            except InputError:
                self._project = None
        return self._project

    @property
    def config(self) -> Config:
        project = self._load()
        return (
            project.config if project else Config(version_files=(), version_files_configured=False)
        )

    def claims(self, tag: str) -> bool:
        """Whether `tag` names a release: by the version it ends in, or by tag-format (in a
        workspace, any package's: `hatch-v1rc2` is hatch's, though `1rc2` has no dot)."""
        if claimed_version(self.config, tag) is not None:
            return True
        if self._workspace is None:
            project = self._load()
            self._workspace = ()
            if project is not None and project.is_workspace:
                from release_guard.workspace import load_workspace

                with suppress(InputError):  # a bad workspace is reported where it is judged
                    self._workspace = (load_workspace(self._tree, project),)
        return any(workspace.match(tag) is not None for workspace in self._workspace)

    @property
    def table(self) -> dict[str, Any] | None:
        project = self._load()
        if project is None or not has_config_table(project.pyproject):
            return None
        table: dict[str, Any] = project.pyproject["tool"]["release-guard"]
        return table


def _at(tag: str, finding: Finding) -> Finding:
    """Locate a finding in the tagged commit, the way git names it: `TAG:path`."""
    return finding._replace(path=f"{tag}:{finding.path}" if finding.path else tag)


def _in(package: Package | None, finding: Finding) -> Finding:
    return finding if package is None else package.locate(finding)


def _by_position(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path or "", f.line or 0, f.column or 0))


# -- release branches (RG304): a constant number of git processes for the whole push -----------


def _check_release_branches(verdicts: list[Verdict], repo_dir: str) -> list[Verdict]:
    wanted = [
        v
        for v in verdicts
        if v.judged
        and v.commit
        and v.config
        and v.config.release_branches
        and "RG304" not in v.config.ignore
    ]
    if not wanted:
        return verdicts
    tips = _branch_tips(repo_dir)
    groups: dict[tuple[str, ...], list[Verdict]] = {}
    for verdict in wanted:
        assert verdict.config is not None
        groups.setdefault(verdict.config.release_branches, []).append(verdict)
    off_branch: dict[str, tuple[str, ...]] = {}  # tag -> the release branches it is not on
    for branches, members in groups.items():
        group_tips = {sha for sha, branch in tips if _matches_any(branch, branches)}
        commits = {v.commit for v in members if v.commit}
        outside = _not_reachable(commits, group_tips, repo_dir) if group_tips else commits
        off_branch.update({v.tag: branches for v in members if v.commit in outside})
    return [_with_rg304(v, off_branch[v.tag]) if v.tag in off_branch else v for v in verdicts]


def _with_rg304(verdict: Verdict, branches: tuple[str, ...]) -> Verdict:
    assert verdict.commit is not None
    names = ", ".join(branches)
    finding = Finding(
        "RG304",
        f"tag {verdict.tag}: commit {verdict.commit[:12]} is on no release branch ({names}), "
        "neither local nor remote-tracking",
        verdict.tag,
    )
    return verdict._replace(findings=[*verdict.findings, finding])


def _branch_tips(repo_dir: str) -> list[tuple[str, str]]:
    """(sha, branch name) of every local and remote-tracking branch, from one git process."""
    output = git_output(
        repo_dir,
        "for-each-ref",
        "--format=%(objectname) %(refname)",
        "refs/heads/",
        "refs/remotes/",
    )
    tips = []
    for line in output.split("\n"):
        sha, _, ref = line.partition(" ")
        if ref.startswith("refs/heads/"):
            tips.append((sha, ref[len("refs/heads/") :]))
        elif ref.startswith("refs/remotes/"):
            _remote, _, branch = ref[len("refs/remotes/") :].partition("/")
            if branch != "HEAD":
                tips.append((sha, branch))
    return tips


def _matches_any(branch: str, patterns: tuple[str, ...]) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(branch, pattern) for pattern in patterns)


def _not_reachable(commits: set[str], tips: set[str], repo_dir: str) -> set[str]:
    """Which of `commits` no tip reaches: one `git rev-list` walks them all at once."""
    request = "".join(f"{sha}\n" for sha in commits) + "".join(f"^{sha}\n" for sha in tips)
    listed = set(git_output(repo_dir, "rev-list", "--stdin", stdin=request).split())
    return commits & listed


# -- the command -------------------------------------------------------------------------------


def _exit_code(findings: list[Finding]) -> int:
    if any(RULES[f.code].fatal for f in findings):
        return 2
    return 1 if findings else 0


def _refusal(verdicts: list[Verdict], remote: str | None) -> str:
    """What to do next, for a person at a terminal: retag, and how to bypass the guard."""
    where = f" to {remote}" if remote else ""
    lines = [f"release-guard refused the push{where}: nothing was sent."]
    refused = [v for v in verdicts if v.refused]
    if refused:
        lines.append("A tag not published yet: fix its commit, then move the tag and push again:")
        for verdict in refused:
            lines.append(f"  {_retag_command(verdict)}")
        lines.append(
            "A tag another remote already has: never move it; release a fixed version, or "
            "exempt it with ignore-tags in the working tree's [tool.release-guard]."
        )
    lines.append("'git push --no-verify' skips the guard (and every other pre-push hook).")
    return "\n".join(lines)


def _retag_command(verdict: Verdict) -> str:
    """Shell-quoted: a tag name may hold `$(...)`, and this line is made to be pasted."""
    from shlex import quote

    tag = quote(verdict.tag)
    flag = "-a " if verdict.annotated else ""
    now = f"  # now on {verdict.commit[:12]}" if verdict.commit else ""
    return f"git tag -d {tag} && git tag {flag}{tag} COMMIT{now}"


def _summary_note(verdicts: list[Verdict]) -> list[str]:
    judged = [v.tag for v in verdicts if v.judged]
    skipped: dict[str, list[str]] = {}
    for verdict in verdicts:
        if verdict.skipped:
            skipped.setdefault(verdict.skipped, []).append(verdict.tag)
    notes = [f"{_some(tags)}: {reason}" for reason, tags in skipped.items()]
    if not judged:
        return [*notes, "no release tag in this push"]
    return [
        *notes,
        f"judged {len(judged)} release tag{'s' if len(judged) != 1 else ''}: {_some(judged)}",
    ]


def _some(tags: list[str]) -> str:
    return ", ".join(tags[:5]) + (f" and {len(tags) - 5} more" if len(tags) > 5 else "")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="release-guard tag-guard",
        description="Judge the tags of a git push, as git's pre-push hook gives them on stdin: "
        "each release tag must pass `release-guard check --tag` on its own commit's files. "
        "Run by the hook that `release-guard install` writes.",
    )
    parser.add_argument("remote", nargs="?", help="the remote's name, as git passes it")
    parser.add_argument("url", nargs="?", help="the remote's URL, as git passes it")
    parser.add_argument(
        "--pre-commit",
        action="store_true",
        help="take the pushed ref from pre-commit's pre-push environment instead of stdin",
    )
    add_output_arguments(parser)
    args = parser.parse_args(argv)
    if not args.pre_commit and sys.stdin.isatty():
        parser.error(
            "reads the pushed refs on stdin, one '<local ref> <local sha> <remote ref> "
            "<remote sha>' line each, as git gives them to a pre-push hook"
        )
    fmt = args.format or default_format()
    verdicts: list[Verdict] = []
    try:
        if args.pre_commit:
            refs = refs_from_pre_commit(dict(os.environ), ".")
        else:
            refs = parse_pushed_refs(sys.stdin.buffer.read().decode("utf-8", "replace"))
        verdicts = judge_push(refs, ".")
        findings = [f for v in verdicts for f in v.findings]
        notes = [n for v in verdicts for n in v.notes] + _summary_note(verdicts)
    except InputError as error:
        findings, notes = [error.finding], []
    exit_code = _exit_code(findings)
    emit("tag-guard", Outcome(findings, notes), fmt, args.quiet, exit_code)
    if exit_code and fmt != "json":
        sys.stdout.flush()
        print(_refusal(verdicts, args.remote), file=sys.stderr)
    return exit_code
