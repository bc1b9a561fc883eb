"""docs/rules.md and the rules table must name the same codes, in the same order."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_rg
from release_guard.rules import RULES

DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_every_rule_is_documented_once_under_its_name() -> None:
    documented = re.findall(r"^### (RG\d{3}) (\S+)$", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    assert documented == [(rule.code, rule.name) for rule in RULES.values()]


def test_rules_command_lists_every_code(tmp_path: Path) -> None:
    result = run_rg("rules", cwd=tmp_path)
    assert result.returncode == 0
    listed = re.findall(r"^(RG\d{3}) ", result.stdout, re.MULTILINE)
    assert listed == list(RULES)


def test_rules_command_explains_one_code(tmp_path: Path) -> None:
    result = run_rg("rules", "RG104", cwd=tmp_path)
    assert result.returncode == 0
    assert "version-mismatch" in result.stdout
    assert f"help: {RULES['RG104'].hint}" in result.stdout
    unknown = run_rg("rules", "RG999", cwd=tmp_path)
    assert unknown.returncode == 2
    assert "unknown rule code" in unknown.stderr
