"""What every check returns: findings, notes, and the error that stops a run with exit 2."""

from __future__ import annotations

from release_guard.record import Record


class Finding(Record):
    """One problem, located as precisely as the source allows."""

    __slots__ = ("code", "column", "hint", "line", "message", "package", "path")

    def __init__(
        self,
        code: str,
        message: str,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,  # None: the rule's own hint from release_guard.rules
        package: str | None = None,  # the workspace package it is about (release_guard.workspace)
    ) -> None:
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint
        self.package = package

    def with_hint(self, hint: str) -> Finding:
        return self._replace(hint=hint)


class InputError(Exception):
    """Input the tool cannot judge (bad TOML, unreadable file, bad config): exit 2.

    It carries a Finding so that it is printed in the same format as any other problem.
    """

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def input_error(
    code: str,
    message: str,
    path: str | None = None,
    line: int | None = None,
    column: int | None = None,
) -> InputError:
    return InputError(Finding(code, message, path, line, column))
