"""`--format sarif`: one SARIF 2.1.0 log, for GitHub code scanning and other SARIF readers.

Every rule of rules.py is listed in the driver (so a reader can show the rule of any result),
each finding is a result pointing at its rule by id and index. A finding without a file is
placed on pyproject.toml: code scanning needs a location. docs/output.md, "sarif".
"""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO

    from release_guard.report import Outcome

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def emit(command: str, outcome: Outcome, exit_code: int, stream: IO[str]) -> None:
    from release_guard import __version__
    from release_guard.report import hint_of
    from release_guard.resources import home_url
    from release_guard.rules import RULES

    home = home_url()
    codes = list(RULES)
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "help": {"text": rule.hint},
            "helpUri": f"{home}/blob/main/docs/rules.md#{rule.code.lower()}-{rule.name}",
            "defaultConfiguration": {"level": "error"},
        }
        for rule in RULES.values()
    ]
    results = []
    for finding in outcome.findings:
        region: dict[str, int] = {}
        if finding.line is not None:
            region["startLine"] = finding.line
            if finding.column is not None:
                region["startColumn"] = finding.column
        location: dict[str, object] = {
            "artifactLocation": {"uri": finding.path or "pyproject.toml", "uriBaseId": "%SRCROOT%"}
        }
        if region:
            location["region"] = region
        results.append(
            {
                "ruleId": finding.code,
                "ruleIndex": codes.index(finding.code),
                "level": "error",
                "message": {"text": f"{finding.message}\nhelp: {hint_of(finding)}"},
                "locations": [{"physicalLocation": location}],
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "release-guard",
                        "version": __version__,
                        "informationUri": home,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"release-guard/{command}/"},
                "invocations": [
                    {
                        "executionSuccessful": exit_code != 2,
                        "exitCode": exit_code,
                        # a check that could not run is a warning: the run is not all clear
                        "toolExecutionNotifications": [
                            {"level": "note", "message": {"text": note}} for note in outcome.notes
                        ]
                        + [
                            {"level": "warning", "message": {"text": f"not checked: {what}"}}
                            for what in outcome.skipped
                        ],
                    }
                ],
                "results": results,
            }
        ],
    }
    stream.write(json.dumps(log, indent=2) + "\n")
