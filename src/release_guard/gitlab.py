"""`--format gitlab`: a GitLab code quality report (a JSON array of issues).

GitLab shows it in merge requests when a job declares it as `artifacts: reports: codequality`.
Severity: `blocker` for an input error or refusal (nothing could be judged), `major` for every
other finding. The fingerprint is stable across runs for the same problem at the same place.
docs/output.md, "gitlab".
"""

from __future__ import annotations

import hashlib
import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO

    from release_guard.report import Outcome


def emit(command: str, outcome: Outcome, exit_code: int, stream: IO[str]) -> None:
    from release_guard.report import hint_of
    from release_guard.rules import RULES

    issues = []
    for finding in outcome.findings:
        path = finding.path or "pyproject.toml"
        identity = "\0".join((finding.code, path, finding.message))
        issues.append(
            {
                "type": "issue",
                "check_name": finding.code,
                "description": f"{finding.code} {finding.message} (help: {hint_of(finding)})",
                "categories": ["Bug Risk"],
                "severity": "blocker" if RULES[finding.code].fatal else "major",
                "fingerprint": hashlib.sha256(identity.encode()).hexdigest(),
                "location": {"path": path, "lines": {"begin": finding.line or 1}},
            }
        )
    stream.write(json.dumps(issues, indent=2) + "\n")
