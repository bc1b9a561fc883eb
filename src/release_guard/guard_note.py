"""Whether this clone's pre-push hook is still release-guard's tag guard, for `check` to say.

`pre-commit install -f -t pre-push` (or another tool) replaces the guard without a word; then a
bad tag reaches the remote while `check` passes. `check` outside CI looks, cheaply: git's
directories are found by reading `.git` files, not by starting git (the commit-time budget),
except when a config sets `core.hooksPath`, where only git knows the answer.
"""

from __future__ import annotations

import os

# The settings line of hooks/pre-push (release_guard.install reads the same line).
SIGNATURE = b"\nrelease_guard_python="
HOOK_NAMES = ("pre-push", "pre-push.legacy")  # pre-commit moves a hook it finds to .legacy


def guard_note(root: str) -> str | None:
    """A note when the clone holding `root` runs no tag guard at push; None when it does, or
    outside a clone, or in CI (a runner never pushes release tags by hand)."""
    if os.environ.get("CI"):
        return None
    common = git_dir(root)
    if common is None:
        return None
    hooks = _hooks_dir(root, common)
    contents = [_read(os.path.join(hooks, name)) for name in HOOK_NAMES]
    if any(content is not None and SIGNATURE in content for content in contents):
        return None
    shown = os.path.relpath(os.path.join(hooks, "pre-push"), root)
    state = "is missing" if contents[0] is None else "is another tool's"
    return (
        f"the tag guard is not installed: {shown} {state}, so a bad release tag would reach "
        "the remote; run `release-guard install` (after `pre-commit install`, if you use both)"
    )


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(65536)
    except OSError:
        return None


def git_dir(root: str) -> str | None:
    """The clone's common git directory (a worktree's points to it)."""
    current = os.path.abspath(root)
    while True:
        dot_git = os.path.join(current, ".git")
        if os.path.isdir(dot_git):
            return dot_git
        if os.path.isfile(dot_git):
            content = (_read(dot_git) or b"").decode("utf-8", "replace").strip()
            if not content.startswith("gitdir:"):
                return None
            linked = os.path.join(current, content[len("gitdir:") :].strip())
            common = (_read(os.path.join(linked, "commondir")) or b"").decode().strip()
            return os.path.normpath(os.path.join(linked, common)) if common else linked
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _hooks_dir(root: str, git_dir: str) -> str:
    configs = [os.path.join(git_dir, "config")]
    home = os.path.expanduser("~")
    configs += [
        os.environ.get("GIT_CONFIG_GLOBAL") or os.path.join(home, ".gitconfig"),
        os.path.join(
            os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config"), "git", "config"
        ),
    ]
    if any(b"hookspath" in (_read(path) or b"").lower() for path in configs):
        from release_guard.source import git_output

        hooks = git_output(root, "rev-parse", "--git-path", "hooks", check=False).strip()
        return os.path.join(root, hooks) if hooks else os.path.join(git_dir, "hooks")
    return os.path.join(git_dir, "hooks")
