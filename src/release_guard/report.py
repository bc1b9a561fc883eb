"""Print findings the same way for every command: text like ruff, GitHub annotations, JSON."""

from __future__ import annotations

import os
import re  # loaded already by the config reader
import sys
from collections.abc import Sequence

from release_guard.findings import Finding, InputError
from release_guard.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Callable

    from release_guard.rules import Rule

# Formats of their own module, loaded only when asked for: name -> module with
# `emit(command, outcome, exit_code, stream)`. A new format is one module and one row here.
FORMAT_MODULES = {"sarif": "release_guard.sarif", "gitlab": "release_guard.gitlab"}
FORMATS = ("text", "json", "github", *FORMAT_MODULES)
JSON_SCHEMA_VERSION = 1


class Outcome(Record):
    __slots__ = ("findings", "notes", "skipped")

    def __init__(
        self,
        findings: list[Finding],
        notes: list[str],
        # checks that could not run, each "what: why; how to enable it": a clean run with any
        # of them is never reported as "All checks passed"
        skipped: Sequence[str] = (),
    ) -> None:
        self.findings = findings
        self.notes = notes
        self.skipped = skipped


def _rule(finding: Finding) -> Rule:
    # imported on first use: a clean run never needs the rules table
    from release_guard.rules import RULES

    return RULES[finding.code]


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def hint_of(finding: Finding) -> str:
    return finding.hint if finding.hint is not None else _rule(finding).hint


def location(finding: Finding) -> str:
    parts = [str(part) for part in (finding.path, finding.line, finding.column) if part is not None]
    return ":".join(parts)


def run_command(command: str, fmt: str, quiet: bool, body: Callable[[], Outcome]) -> int:
    """Run a command body and print its outcome; exit 0 clean, 1 findings, 2 input errors."""
    try:
        outcome = body()
    except InputError as error:
        emit(command, Outcome([error.finding], []), fmt, quiet, exit_code=2)
        return 2
    exit_code = 1 if outcome.findings else 0
    emit(
        command,
        outcome._replace(findings=sorted(outcome.findings, key=_position)),
        fmt,
        quiet,
        exit_code,
    )
    return exit_code


def _position(finding: Finding) -> tuple[str, int, int]:
    return (finding.path or "", finding.line or 0, finding.column or 0)


def emit(
    command: str,
    outcome: Outcome,
    fmt: str,
    quiet: bool,
    exit_code: int,
    stream: IO[str] | None = None,
) -> None:
    """Print the outcome; to `stream` when given (a command whose stdout is its product, such
    as `notes`, reports on stderr), else to stdout, text input errors to stderr."""
    if fmt == "json":
        _emit_json(command, outcome, exit_code, stream or sys.stdout)
    elif fmt in FORMAT_MODULES:
        module = __import__(FORMAT_MODULES[fmt], fromlist=["emit"])
        module.emit(command, outcome, exit_code, stream or sys.stdout)
    elif fmt == "github":
        _emit_github(outcome, quiet, exit_code, _tolerant(stream or sys.stdout))
    else:
        default = sys.stderr if exit_code == 2 else sys.stdout
        _emit_text(outcome, quiet, exit_code, _tolerant(stream or default), command)


def _tolerant(stream: IO[str]) -> IO[str]:
    """The stream, writing what its encoding cannot show as escapes instead of raising.

    Messages quote the user's files (an emoji in a changelog heading); a console on a legacy
    code page, or PYTHONIOENCODING=ascii, must get the finding, not a traceback.
    """
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")
    return stream


# ANSI styles of the text format on a terminal (docs/output.md, "Colour").
BOLD, RED, GREEN, YELLOW, CYAN, RESET = (
    f"\x1b[{code}m" for code in ("1", "31", "32", "33", "36", "0")
)


def use_colour(stream: IO[str]) -> bool:
    """Colour for a terminal: never with NO_COLOR, always with FORCE_COLOR, else only on a TTY
    outside CI logs (CI set) and dumb terminals."""
    environ = os.environ
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("CI") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def _paint(text: str, style: str, colour: bool) -> str:
    return f"{style}{text}{RESET}" if colour else text


def format_text(finding: Finding, with_hint: bool = True, colour: bool = False) -> str:
    where = location(finding)
    code = _paint(finding.code, BOLD + RED, colour)
    line = (
        f"{_paint(where, BOLD, colour)}: {code} {finding.message}"
        if where
        else f"{code} {finding.message}"
    )
    if finding.package is not None:
        line = f"{finding.package}: {line}"
    return f"{line}\n  {_paint('help:', CYAN, colour)} {hint_of(finding)}" if with_hint else line


def _summary(outcome: Outcome, exit_code: int) -> str:
    if exit_code == 2:
        if any(_rule(finding).changes_nothing for finding in outcome.findings):
            return "release-guard stopped: nothing was changed."
        return "release-guard stopped: the input above cannot be judged."
    count = len(outcome.findings)
    if count == 0 and outcome.skipped:
        skipped = len(outcome.skipped)
        return (
            f"No problems found, but {skipped} check{'s' if skipped != 1 else ''} "
            'did not run (see "not checked" above).'
        )
    if count == 0:
        return "All checks passed."
    return f"Found {count} problem{'s' if count != 1 else ''}."


def _emit_text(
    outcome: Outcome, quiet: bool, exit_code: int, stream: IO[str], command: str
) -> None:
    colour = use_colour(stream)
    note = _paint("note:", YELLOW, colour)
    lines = [f"{note} {text}" for text in outcome.notes] if not quiet else []
    lines += [f"{note} not checked: {what}" for what in outcome.skipped] if not quiet else []
    if outcome.findings:
        from release_guard.bounded import bounded  # a clean run never needs it

        lines += [
            line if isinstance(line, str) else format_text(line, with_hint=not quiet, colour=colour)
            for line in bounded(outcome.findings, command)
        ]
    if not quiet or exit_code:
        lines.append(_paint(_summary(outcome, exit_code), RED if exit_code else GREEN, colour))
    if lines:
        stream.write(neutralise_workflow_commands("\n".join(lines)) + "\n")


# A line that starts (after blanks) with "::" is a GitHub workflow command to the runner, and
# "##[" anywhere starts one of its older commands; each character of the class starts a new
# line for some reader of a log (the runner, a terminal, an editor).
# (a pattern string: re compiles it on first use, never on the path of a clean run)
_WORKFLOW_COMMAND = "(?:^|(?<=[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]))([ \t]*)::"


def neutralise_workflow_commands(text: str) -> str:
    """The text with every workflow-command prefix broken by a space (`::` -> `: :`, `##[` ->
    `# #[`): messages quote the project's files, and a CI log must never run them."""
    if "::" not in text and "##[" not in text:
        return text
    return re.sub(_WORKFLOW_COMMAND, r"\1: :", text).replace("##[", "# #[")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _emit_github(outcome: Outcome, quiet: bool, exit_code: int, stream: IO[str]) -> None:
    if not quiet:
        for note in outcome.notes:
            stream.write(f"::notice title=release-guard::{_escape_data(note)}\n")
        for what in outcome.skipped:
            stream.write(f"::warning title=release-guard::not checked: {_escape_data(what)}\n")
    for finding in outcome.findings:
        properties = []
        if finding.path is not None:
            properties.append(f"file={_escape_property(finding.path)}")
        if finding.line is not None:
            properties.append(f"line={finding.line}")
        if finding.column is not None:
            properties.append(f"col={finding.column}")
        properties.append(f"title={_escape_property(finding.code + ' ' + _rule(finding).name)}")
        message = f"{finding.message}\nhelp: {hint_of(finding)}"
        if finding.package is not None:
            message = f"{finding.package}: {message}"
        stream.write(f"::error {','.join(properties)}::{_escape_data(message)}\n")
    if not quiet or exit_code:
        stream.write(_summary(outcome, exit_code) + "\n")


def finding_to_json(finding: Finding) -> dict[str, object]:
    rule = _rule(finding)
    document: dict[str, object] = {
        "code": finding.code,
        "rule": rule.name,
        "message": finding.message,
        "hint": hint_of(finding),
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "fatal": rule.fatal,
    }
    if finding.package is not None:  # a workspace's: single projects keep their schema
        document["package"] = finding.package
    return document


def _emit_json(command: str, outcome: Outcome, exit_code: int, stream: IO[str]) -> None:
    import json

    from release_guard import __version__

    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": "release-guard",
        "tool_version": __version__,
        "command": command,
        "exit_code": exit_code,
        "findings": [finding_to_json(finding) for finding in outcome.findings],
        "notes": outcome.notes,
        "skipped": list(outcome.skipped),
    }
    stream.write(json.dumps(document, indent=2) + "\n")
