"""The findings about one dist file, capped per code: one wrong setting can touch every file."""

from __future__ import annotations

from release_guard.findings import Finding

# After this many findings of one code in one archive, the rest are counted, not listed:
# one wrong setting can touch every file of a 10,000-file wheel.
MAX_FINDINGS_PER_CODE = 10


class DistReport:
    """Findings about one dist file; past MAX_FINDINGS_PER_CODE of a code, only a count."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.findings: list[Finding] = []
        self._counts: dict[str, int] = {}

    def add(self, code: str, message: str) -> None:
        count = self._counts.get(code, 0) + 1
        self._counts[code] = count
        if count <= MAX_FINDINGS_PER_CODE:
            self.findings.append(Finding(code, message, self.shown))

    def finish(self) -> list[Finding]:
        for code, count in self._counts.items():
            if count > MAX_FINDINGS_PER_CODE:
                more = count - MAX_FINDINGS_PER_CODE
                self.findings.append(
                    Finding(code, f"and {more} more {code} problem(s) in this file", self.shown)
                )
        return self.findings
