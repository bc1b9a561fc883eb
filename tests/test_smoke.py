from __future__ import annotations

from conftest import MakeProject, run_rg


def test_theo_project_passes(make_project: MakeProject) -> None:
    result = run_rg("check", cwd=make_project())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed." in result.stdout
