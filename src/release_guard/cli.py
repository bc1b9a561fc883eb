"""`release-guard COMMAND ...`: dispatch to the command's own module, imported only when run."""

from __future__ import annotations

import sys
from collections.abc import Sequence

# Each command lives in its own module with a `main(argv) -> int`; importing only the one
# that runs keeps `release-guard check` close to the interpreter's start-up time.
COMMANDS = {
    "check": ("release_guard.check", "check versions and changelog; with --tag, release readiness"),
    "rules": ("release_guard.rules", "list the rule codes and how to fix each"),
    "notes": ("release_guard.notes", "print a version's changelog section, for release notes"),
    "verify-dist": (
        "release_guard.dist.command",
        "verify built wheels and sdists before publishing",
    ),
    "tag-guard": (
        "release_guard.tagguard",
        "judge the tags of a git push (run by the pre-push hook)",
    ),
    "install": ("release_guard.install", "install the pre-push tag guard into this repository"),
    "init": ("release_guard.init", "set release-guard up in a project"),
    "prepare": ("release_guard.prepare", "bump the version and date the changelog for a release"),
    "recover": ("release_guard.journal", "finish (or --undo) an interrupted prepare or init"),
    "packages": (
        "release_guard.packages",
        "print the directories to build (a workspace's packages)",
    ),
    "version": (
        "release_guard.release_info",
        "print a tag's version and whether it is a pre-release (key=value lines)",
    ),
    "completion": ("release_guard.completion", "print a shell completion script (bash, zsh, fish)"),
}


def _usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [f"  {name:<{width}}  {summary}" for name, (_, summary) in COMMANDS.items()]
    return (
        "usage: release-guard COMMAND [options]\n\ncommands:\n"
        + "\n".join(lines)
        + "\n\n`release-guard COMMAND --help` describes a command. Exit: 0 ok, 1 problems found, "
        "2 usage or input error."
    )


def main(argv: Sequence[str] | None = None) -> int:
    """The command's exit code; a closed pipe or Ctrl-C ends it quietly, without a traceback.

    The cyclic garbage collector is paused for the command: a run is short, reference counting
    frees what it allocates, and the collector's passes over the modules being imported cost
    about 2 ms of the ~40 ms a commit-time `check` takes (docs/design.md)."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        code = _dispatch(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()  # here, where a closed pipe can still be caught
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `release-guard ... | head -1`: the reader left. Point stdout at /dev/null so that
        # the interpreter's last flush at exit does not complain either.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a shell reports a command killed by SIGPIPE
    finally:
        if was_enabled:
            gc.enable()
    return code


def _dispatch(args: list[str]) -> int:
    if not args or args[0] in ("-h", "--help"):
        print(_usage(), file=sys.stdout if args else sys.stderr)
        return 0 if args else 2
    if args[0] in ("-V", "--version"):
        from release_guard import __version__

        print(f"release-guard {__version__}")
        return 0
    entry = COMMANDS.get(args[0])
    if entry is None:
        print(f"release-guard: unknown command {args[0]!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    from release_guard.findings import InputError

    try:
        # __import__ rather than importlib.import_module: importlib is one more module to load
        command_main = __import__(entry[0], fromlist=["main"]).main
        return int(command_main(args[1:]))
    except InputError as error:
        from release_guard.report import format_text, use_colour

        finding = format_text(error.finding, colour=use_colour(sys.stderr))
        print(f"release-guard: {finding}", file=sys.stderr)
        return 2
