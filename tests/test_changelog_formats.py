"""Changelogs in every format (docs/changelogs.md): readers, discovery, rules, notes, prepare,
init, on real repositories (and the real towncrier) with fixtures written for these tests."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import THEO_PYPROJECT, MakeProject, checked, git, run_rg
from release_guard.changelog import markdown, rst
from release_guard.changelog.dates import Day, find_date, real_day
from release_guard.findings import Finding

TODAY = Day(2026, 3, 1)


def findings(root: Path, tag: str | None = None) -> list[Finding]:
    return checked(root, tag=tag, today=TODAY).findings  # both sources (conftest.checked)


def codes(found: list[Finding]) -> list[str]:
    return sorted(f.code for f in found)


def project(make_project: MakeProject, files: dict[str, str | bytes | None], **kw: str) -> Path:
    return make_project(files={"CHANGELOG.md": None, **files}, **kw)


# -- dates and titles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day", "style"),
    [
        ("2024-12-06", Day(2024, 12, 6), "iso"),
        ("(6th December, 2024)", Day(2024, 12, 6), "day-month"),
        ("6 Dec 2024", Day(2024, 12, 6), "day-month"),
        ("December 6, 2024", Day(2024, 12, 6), "month-day"),
        ("Dec. 6th, 2024", Day(2024, 12, 6), "month-day"),
        ("2024/12/06", Day(2024, 12, 6), "slash"),
        ("2024-02-30", None, "iso"),
    ],
)
def test_date_forms(text: str, day: Day | None, style: str) -> None:
    found = find_date(text)
    assert found is not None
    assert (found.day, found.style) == (day, style)


def test_days_follow_the_calendar() -> None:
    """Day stands in for datetime.date on the commit path: it must agree with it on which
    days are real, on the day after, on order and on the ISO form."""
    date = datetime.date(1899, 12, 25)
    while date.year < 2102:  # 1900 and 2100 are not leap years, 2000 is
        day = Day.of(date)
        assert real_day(date.year, date.month, date.day) == day
        assert day.next() == Day.of(date + datetime.timedelta(days=1)) > day
        assert str(day) == day.isoformat() == date.isoformat()
        assert day.date() == date
        date += datetime.timedelta(days=1)
    for year, month, number in [
        (2023, 2, 29),
        (1900, 2, 29),
        (2024, 4, 31),
        (2024, 13, 1),
        (0, 1, 1),
    ]:
        assert real_day(year, month, number) is None
    assert real_day(2000, 2, 29) == Day(2000, 2, 29)
    utc_today = datetime.datetime.now(datetime.timezone.utc).date()
    assert Day.today_utc() in {Day.of(utc_today), Day.of(utc_today + datetime.timedelta(days=1))}


MARKDOWN_HEADINGS = [
    "## 1.2.3 (2024-12-06)",
    "# v1.2.3 - 2024-12-06",
    "### Version 1.2.3 (2024-12-06)",
    "## 1.2.3 \u2014 December 6, 2024",
    "## Release v1.2.3 (6th December, 2024)",
    "## [1.2.3](https://example.invalid/compare/1.2.2...1.2.3) - 2024-12-06",
    "## 1.2.3\n\nReleased 2024-12-06",
    "## 1.2.3\n\n*2024-12-06*",
    "## 1.2.3\n\nReleased on Dec 6, 2024",
    "1.2.3 (2024/12/06)\n------------------",
]


@pytest.mark.parametrize("heading", MARKDOWN_HEADINGS)
def test_markdown_release_headings(heading: str) -> None:
    level = heading.split(" ")[0] if heading.startswith("#") else "##"
    text = f"{level} Unreleased\n\n{heading}\n\n- an entry\n\n{level} 1.2.2 (2024-01-01)\n\n- old\n"
    changelog = markdown.parse(text, "CHANGES.md")
    newest = changelog.releases[0]
    assert newest.version == "1.2.3"
    assert newest.date is not None
    assert newest.date.day == Day(2024, 12, 6)
    assert newest.has_entries
    assert changelog.body_text(newest.body) == "- an entry"


@pytest.mark.parametrize(
    "heading", ["## Unreleased", "## unreleased", "## 1.3.0 (unreleased)", "## 1.3.0\n\nUnreleased"]
)
def test_markdown_unreleased_markers(heading: str) -> None:
    text = f"{heading}\n\n- waiting\n\n## 1.2.2 (2024-01-01)\n\n- old\n"
    changelog = markdown.parse(text, "CHANGES.md")
    assert [r.version for r in changelog.releases] == ["1.2.2"]
    assert changelog.unreleased[0].first_entry is not None


def test_markdown_code_fences_and_front_matter_hold_no_headings() -> None:
    text = "---\ntitle: Release notes\n---\n\n## 1.0.0 (2024-12-06)\n\n```\n## 9.9.9 (2020-01-01)\n```\n"
    changelog = markdown.parse(text, "docs/release-notes.md")
    assert [r.version for r in changelog.releases] == ["1.0.0"]


RST = """\
=========
Changelog
=========

.. towncrier release notes start

Version 2.0.0
-------------

Released 2024-12-06

-   A change with :issue:`12` and ``code``.

    Example::

        Version 9.9.9
        -------------

Version 1.9.0
-------------

Released 2024-06-01

Fixes
~~~~~

-   An older change.
"""


def test_rst_titles_levels_and_literal_blocks() -> None:
    changelog = rst.parse(RST, "CHANGES.rst")
    assert [(r.version, r.date and r.date.day) for r in changelog.releases] == [
        ("2.0.0", Day(2024, 12, 6)),
        ("1.9.0", Day(2024, 6, 1)),
    ]
    assert changelog.releases[1].has_entries


def test_rst_short_underline_and_crlf_bom(make_project: MakeProject) -> None:
    text = "1.0.0 (2026-02-07)\n====\n\n- first\n"
    root = project(
        make_project,
        {"CHANGES.rst": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()},
        version="1.0.0",
    )
    assert findings(root, tag="v1.0.0") == []


# -- check on each format ------------------------------------------------------------------------


def test_rst_project_passes_and_its_release_is_judged(make_project: MakeProject) -> None:
    changes = RST.replace("2.0.0", "0.1.0").replace("1.9.0", "0.0.9")
    root = project(make_project, {"CHANGES.rst": changes})
    assert findings(root, tag="v0.1.0") == []
    waiting = (
        "Version 0.2.0\n-------------\n\nUnreleased\n\n-   Next.\n\n"
        + changes.split(".. towncrier release notes start\n\n")[1]
    )
    root = project(make_project, {"CHANGES.rst": waiting})
    found = findings(root, tag="v0.1.0")
    assert codes(found) == ["RG303"]
    assert found[0].line == 6


def test_a_date_typo_is_caught_in_every_format(make_project: MakeProject) -> None:
    text = "## 0.1.1 (2025-02-08)\n\n- fix\n\n## 0.1.0 (2026-02-07)\n\n- first\n"
    root = project(make_project, {"HISTORY.md": text}, version="0.1.1")
    assert codes(findings(root)) == ["RG207"]


def test_undated_history_is_ordered_by_version(make_project: MakeProject) -> None:
    text = "Version 0.1.0\n-------------\n\n- a\n\nVersion 0.2.0\n-------------\n\n- b\n"
    root = project(make_project, {"doc/history.rst": text})
    assert codes(findings(root)) == ["RG206"]


def test_release_needs_a_date_where_the_file_dates_releases(make_project: MakeProject) -> None:
    text = "## 0.1.0\n\n- first\n\n## 0.0.9 (2026-01-01)\n\n- old\n"
    root = project(make_project, {"NEWS.md": text})
    assert [(f.code, f.line) for f in findings(root, tag="v0.1.0")] == [("RG302", 1)]
    undated = "## 0.1.0\n\n- first\n\n## 0.0.9\n\n- old\n"
    root = project(make_project, {"NEWS.md": undated})
    assert findings(root, tag="v0.1.0") == []


def test_a_development_tag_is_no_release(make_project: MakeProject) -> None:
    root = project(
        make_project, {"NEWS.md": "## 0.1.0 (2026-02-07)\n\n- x\n"}, version="0.2.0.dev0"
    )
    assert findings(root, tag="v0.2.0.dev0") == []


# -- towncrier -----------------------------------------------------------------------------------

TOWNCRIER = """
[tool.towncrier]
directory = "changes"
filename = "CHANGELOG.md"
title_format = "## {version} ({project_date})"
issue_format = "[#{issue}](https://example.invalid/issues/{issue})"

[[tool.towncrier.type]]
directory = "added"
name = "Added"
showcontent = true

[[tool.towncrier.type]]
directory = "chore"
name = "Chores"
showcontent = false
"""

COMPILED = """\
# Changelog

<!-- towncrier release notes start -->

## 0.1.0 (2026-02-07)

### Added

- First. [#1](https://example.invalid/issues/1)
"""


def towncrier_project(
    make_project: MakeProject, fragments: dict[str, str | bytes | None], version: str = "0.1.0"
) -> Path:
    files: dict[str, str | bytes | None] = {
        "pyproject.toml": THEO_PYPROJECT.format(version=version) + TOWNCRIER,
        "CHANGELOG.md": COMPILED,
        "changes/.gitkeep": "",
    }
    files.update({f"changes/{name}": text for name, text in fragments.items()})
    return make_project(files=files)


def test_a_hidden_file_among_the_fragments_is_no_fragment(make_project: MakeProject) -> None:
    """pip-tools keeps `.draft_changelog_partial.md` (a docs include) in its fragment directory:
    no tool builds it, and it is neither a malformed fragment nor one left at release."""
    root = towncrier_project(make_project, {".draft_changelog_partial.md": "DRAFT_VERSION\n"})
    assert findings(root, tag="v0.1.0") == []
    typo = towncrier_project(make_project, {"12.aded.md": "A typo in the type."})
    assert [f.code for f in findings(typo)] == ["RG215"]


def test_towncrier_fragments_must_build(make_project: MakeProject) -> None:
    root = towncrier_project(
        make_project,
        {"12.added.md": "New.", "+orphan.added.1.md": "Also.", "7.chore": "", "README.md": "x"},
    )
    assert findings(root) == []
    root = towncrier_project(make_project, {"12.aded.md": "Typo.", "13.added.md": "  \n"})
    found = sorted(findings(root), key=lambda f: f.path or "")
    assert [(f.code, f.path) for f in found] == [
        ("RG215", "changes/12.aded.md"),
        ("RG215", "changes/13.added.md"),
    ]
    assert "no known type" in found[0].message
    assert "empty" in found[1].message


def test_towncrier_fragment_that_is_a_directory_or_binary(make_project: MakeProject) -> None:
    root = towncrier_project(make_project, {"14.added.md": b"\x00\x01\x02\xff", "sub/x": "y"})
    assert codes(findings(root)) == ["RG215", "RG215"]


def test_towncrier_fragments_left_at_release_are_rg303(make_project: MakeProject) -> None:
    root = towncrier_project(make_project, {"12.added.md": "New."})
    found = findings(root, tag="v0.1.0")
    assert [(f.code, f.path) for f in found] == [("RG303", "changes/12.added.md")]
    root = towncrier_project(make_project, {})
    assert findings(root, tag="v0.1.0") == []


def test_towncrier_config_in_its_own_file_and_a_missing_directory(
    make_project: MakeProject,
) -> None:
    config = '[tool.towncrier]\nfilename = "NEWS.rst"\ndirectory = "newsfragments"\n'
    news = "0.1.0 (2026-02-07)\n==================\n\nFeatures\n--------\n\n- First.\n"
    root = project(make_project, {"towncrier.toml": config, "NEWS.rst": news})
    assert findings(root, tag="v0.1.0") == []


def test_prepare_runs_towncrier_and_judges_the_result(make_project: MakeProject) -> None:
    root = towncrier_project(make_project, {"12.added.md": "Streaming.", "7.chore": ""})
    result = run_rg("prepare", "0.2.0", "--date", "2026-03-01", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    compiled = (root / "CHANGELOG.md").read_text()
    assert "## 0.2.0 (2026-03-01)" in compiled
    assert "- Streaming. ([#12](https://example.invalid/issues/12))" in compiled
    assert compiled.index("0.2.0") < compiled.index("0.1.0")
    assert sorted(p.name for p in (root / "changes").iterdir()) == [".gitkeep"]
    git(root, "commit", "-qam", "release: v0.2.0")
    assert findings(root, tag="v0.2.0") == []
    notes = run_rg("notes", "v0.2.0", cwd=root)
    assert notes.stdout.startswith("### Added\n\n- Streaming.")


def test_prepare_refuses_a_towncrier_project_with_nothing_waiting(
    make_project: MakeProject,
) -> None:
    root = towncrier_project(make_project, {})
    before = (root / "CHANGELOG.md").read_bytes()
    result = run_rg("prepare", "0.2.0", cwd=root)
    assert result.returncode == 2
    assert "RG601" in result.stdout + result.stderr
    assert (root / "CHANGELOG.md").read_bytes() == before


def test_tag_guard_refuses_a_fragment_left_behind(
    make_project: MakeProject, bare_remote: Path
) -> None:
    root = towncrier_project(make_project, {"12.added.md": "Forgotten."})
    git(root, "remote", "add", "origin", str(bare_remote))
    git(root, "push", "-q", "origin", "main")
    assert run_rg("install", cwd=root).returncode == 0
    git(root, "tag", "v0.1.0")
    pushed = subprocess.run(
        ["git", "push", "origin", "v0.1.0"], cwd=root, capture_output=True, text=True, check=False
    )
    assert pushed.returncode != 0
    assert "RG303" in pushed.stdout + pushed.stderr
    assert "changes/12.added.md" in pushed.stdout + pushed.stderr
    assert "v0.1.0" not in git(bare_remote, "tag", "--list")


# -- scriv and none ---------------------------------------------------------------------------------


def test_scriv_fragments_left_at_release(make_project: MakeProject) -> None:
    pyproject = THEO_PYPROJECT.format(version="0.1.0") + '\n[tool.scriv]\nformat = "md"\n'
    files: dict[str, str | bytes | None] = {
        "pyproject.toml": pyproject,
        "CHANGELOG.md": "# Changelog\n\n## 0.1.0 - 2026-02-07\n\n- First.\n",
        "changelog.d/README.txt": "fragments go here",
    }
    assert findings(make_project(files=files), tag="v0.1.0") == []
    files["changelog.d/20260301_fix.md"] = "- Fixed.\n"
    found = findings(make_project(files=files), tag="v0.1.0")
    assert [(f.code, f.path) for f in found] == [("RG303", "changelog.d/20260301_fix.md")]


def test_prepare_runs_scriv_and_judges_the_result(make_project: MakeProject) -> None:
    """`prepare` on a scriv project runs the real `scriv collect` on a scratch copy, writes
    what it compiled and removes the fragments it consumed; the release then passes."""
    pyproject = THEO_PYPROJECT.format(version="0.1.0") + '\n[tool.scriv]\nformat = "md"\n'
    changelog = "# Changelog\n\n<!-- scriv-insert-here -->\n\n## 0.1.0 - 2026-02-07\n\n- First.\n"
    root = make_project(
        files={
            "pyproject.toml": pyproject,
            "CHANGELOG.md": changelog,
            "changelog.d/20260301_streaming.md": "### Added\n\n- Streaming.\n",
        }
    )
    result = run_rg("prepare", "0.2.0", "--date", "2026-03-01", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "scriv dates the entry itself (today), not 2026-03-01" in result.stdout
    compiled = (root / "CHANGELOG.md").read_text()
    assert "- Streaming." in compiled
    assert compiled.index("0.2.0") < compiled.index("0.1.0")
    assert not (root / "changelog.d/20260301_streaming.md").exists()
    git(root, "commit", "-qam", "release: v0.2.0")
    released = run_rg("check", "--tag", "v0.2.0", cwd=root)  # dated today by scriv
    assert released.returncode == 0, released.stdout
    notes = run_rg("notes", "v0.2.0", cwd=root)
    assert "- Streaming." in notes.stdout


def test_changelog_false_turns_the_rules_off(make_project: MakeProject) -> None:
    pyproject = (
        THEO_PYPROJECT.format(version="0.1.0") + "\n[tool.release-guard]\nchangelog = false\n"
    )
    root = project(make_project, {"pyproject.toml": pyproject})
    outcome = checked(root, tag="v0.1.0", today=TODAY)
    assert outcome.findings == []
    assert any("changelog = false" in note for note in outcome.notes)
    assert run_rg("notes", "0.1.0", cwd=root).returncode == 1


def test_unknown_changelog_format_is_rg004(make_project: MakeProject) -> None:
    pyproject = THEO_PYPROJECT.format(version="0.1.0")
    pyproject += '\n[tool.release-guard]\nchangelog-format = "asciidoc"\n'
    result = run_rg("check", cwd=make_project(files={"pyproject.toml": pyproject}))
    assert result.returncode == 2
    assert "RG004" in result.stderr
    assert "changelog-format" in result.stderr


# -- discovery and init --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["CHANGES.rst", "HISTORY.md", "NEWS", "docs/changelog.md", "doc/en/Changelog.rst"]
)
def test_the_changelog_is_found_where_people_keep_it(make_project: MakeProject, path: str) -> None:
    text = "0.1.0 (2026-02-07)\n==================\n\n- First.\n"
    if path.endswith(".md"):
        text = "## 0.1.0 (2026-02-07)\n\n- First.\n"
    root = project(make_project, {path: text})
    assert findings(root, tag="v0.1.0") == []


def test_a_docs_page_that_includes_the_changelog_is_not_it(make_project: MakeProject) -> None:
    files: dict[str, str | bytes | None] = {
        "docs/changelog.rst": ".. include:: ../CHANGES.rst\n",
        "CHANGES.rst": "0.1.0 (2026-02-07)\n==================\n\n- First.\n",
    }
    assert findings(project(make_project, files), tag="v0.1.0") == []


def test_init_never_creates_a_changelog_beside_an_existing_one(make_project: MakeProject) -> None:
    root = project(make_project, {"CHANGES.rst": "0.1.0 (2026-02-07)\n==================\n\n- x\n"})
    result = run_rg("init", "--format", "json", cwd=root)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert not (root / "CHANGELOG.md").exists()
    pyproject = (root / "pyproject.toml").read_text()
    assert 'changelog = "CHANGES.rst"' in pyproject
    assert 'changelog-format = "rst"' in pyproject
    json.loads(result.stdout)


# -- notes ------------------------------------------------------------------------------------------


def test_notes_from_rst_are_markdown(make_project: MakeProject) -> None:
    changes = (
        "0.1.0 (2026-02-07)\n==================\n\nBug fixes\n---------\n\n"
        "-   Fixed ``parse()`` for :issue:`12`, thanks :user:`ana`; see\n"
        "    `the docs <https://example.invalid/docs>`_ and :class:`~theo.Sample`.\n"
        "-   Run it so::\n\n        theo --fast\n\n"
        "- `#14 <https://example.invalid/issues/14>`_: towncrier's link.\n"
    )
    result = run_rg("notes", "0.1.0", cwd=project(make_project, {"CHANGES.rst": changes}))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "### Bug fixes\n\n"
        "- Fixed `parse()` for #12, thanks @ana; see\n"
        "  [the docs](https://example.invalid/docs) and `theo.Sample`.\n"
        "- Run it so:\n\n  ```\n  theo --fast\n  ```\n\n"
        "- [#14](https://example.invalid/issues/14): towncrier's link.\n"
    )


def test_notes_of_the_oldest_release_stop_before_definitions_and_footer(
    make_project: MakeProject,
) -> None:
    changelog = (
        "# Changelog\n\n## [0.1.0] - 2026-02-07\n\n- First, see [#1].\n\n"
        "[#1]: https://example.invalid/issues/1\n[0.1.0]: https://example.invalid/v0.1.0\n\n"
        "---\n\nMaintained by the Theo team.\n"
    )
    result = run_rg("notes", "0.1.0", cwd=make_project(files={"CHANGELOG.md": changelog}))
    assert result.stdout == "- First, see [#1].\n\n[#1]: https://example.invalid/issues/1\n"


def test_pre_releases_unreleased_mode(make_project: MakeProject) -> None:
    pyproject = THEO_PYPROJECT.format(version="0.2.0rc1")
    pyproject += '\n[tool.release-guard]\npre-releases = "unreleased"\n'
    changelog = "# Changelog\n\n## [Unreleased]\n\n- Streaming.\n\n## [0.1.0] - 2026-02-07\n\n- x\n"
    root = make_project(
        version="0.2.0rc1", files={"pyproject.toml": pyproject, "CHANGELOG.md": changelog}
    )
    assert findings(root, tag="v0.2.0rc1") == []
    assert run_rg("notes", "v0.2.0rc1", cwd=root).stdout == "- Streaming.\n"
    section_mode = make_project(version="0.2.0rc1", files={"CHANGELOG.md": changelog})
    assert codes(findings(section_mode, tag="v0.2.0rc1")) == ["RG302", "RG303"]


def test_prepare_in_unreleased_mode_leaves_the_entries_until_the_final(
    make_project: MakeProject,
) -> None:
    pyproject = THEO_PYPROJECT.format(version="0.1.0")
    pyproject += '\n[tool.release-guard]\npre-releases = "unreleased"\n'
    changelog = "# Changelog\n\n## [Unreleased]\n\n- Streaming.\n\n## [0.1.0] - 2026-02-07\n\n- x\n"
    root = make_project(files={"pyproject.toml": pyproject, "CHANGELOG.md": changelog})
    result = run_rg("prepare", "0.2.0rc1", "--date", "2026-02-20", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "CHANGELOG.md").read_text() == changelog
    git(root, "commit", "-qam", "release: v0.2.0rc1")
    git(root, "tag", "v0.2.0rc1")
    result = run_rg("prepare", "0.2.0", "--date", "2026-03-01", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "## [0.2.0] - 2026-03-01\n\n- Streaming." in (root / "CHANGELOG.md").read_text()


def test_final_release_gathers_its_pre_releases(make_project: MakeProject) -> None:
    changelog = (
        "# Changelog\n\n## [Unreleased]\n\n## [0.2.0rc1] - 2026-02-20\n\n- Streaming.\n\n"
        "## [0.1.0] - 2026-02-07\n\n- x\n"
    )
    root = make_project(version="0.2.0rc1", files={"CHANGELOG.md": changelog})
    result = run_rg("prepare", "0.2.0", "--date", "2026-03-01", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    git(root, "commit", "-qam", "release: v0.2.0")
    assert findings(root, tag="v0.2.0") == []
    notes = run_rg("notes", "0.2.0", cwd=root).stdout
    assert "Final release of 0.2.0" in notes


# -- prepare in the file's own style ------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "before", "expected"),
    [
        (
            "HISTORY.md",
            "## Unreleased\n\n- Next.\n\n## 0.1.0 (7th February, 2026)\n\n- x\n",
            "## Unreleased\n\n## 0.2.0 (1st March, 2026)\n\n- Next.\n\n## 0.1.0 (7th February, 2026)\n\n- x\n",
        ),
        (
            "CHANGES.rst",
            "Version 0.2.0\n-------------\n\nUnreleased\n\n-   Next.\n\n"
            "Version 0.1.0\n-------------\n\nReleased 2026-02-07\n\n-   x\n",
            "Version 0.2.0\n-------------\n\nReleased 2026-03-01\n\n-   Next.\n\n"
            "Version 0.1.0\n-------------\n\nReleased 2026-02-07\n\n-   x\n",
        ),
        (
            "CHANGELOG.md",
            "# Changelog\n\n## [Unreleased](https://example.invalid/compare/0.1.0...HEAD)\n\n- Next.\n\n"
            "## [0.1.0](https://example.invalid/compare/0.0.9...0.1.0) - 2026-02-07\n\n- x\n",
            "# Changelog\n\n## [Unreleased](https://example.invalid/compare/0.2.0...HEAD)\n\n"
            "## [0.2.0](https://example.invalid/compare/0.1.0...0.2.0) - 2026-03-01\n\n- Next.\n\n"
            "## [0.1.0](https://example.invalid/compare/0.0.9...0.1.0) - 2026-02-07\n\n- x\n",
        ),
    ],
)
def test_prepare_copies_the_newest_heading(
    make_project: MakeProject, path: str, before: str, expected: str
) -> None:
    if path == "CHANGELOG.md":
        # the second release exists so the compare link can move on
        before += (
            "\n## [0.0.9](https://example.invalid/compare/0.0.8...0.0.9) - 2026-01-07\n\n- y\n"
        )
        expected += (
            "\n## [0.0.9](https://example.invalid/compare/0.0.8...0.0.9) - 2026-01-07\n\n- y\n"
        )
    root = project(make_project, {path: before})
    result = run_rg("prepare", "0.2.0", "--date", "2026-03-01", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / path).read_text() == expected


def test_prepare_without_towncrier_installed_refuses_and_writes_nothing(
    make_project: MakeProject, tmp_path: Path
) -> None:
    # a virtual environment that sees release-guard's packages but has no towncrier script
    real = Path(sys.executable)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    home = Path(sysconfig.get_paths()["purelib"])
    base = Path(getattr(sys, "_base_executable", sys.executable)).parent
    (venv / "pyvenv.cfg").write_text(f"home = {base}\n")
    site = venv / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    site.mkdir(parents=True)
    (site / "real.pth").write_text(f"{home}\n{Path(__file__).resolve().parent.parent / 'src'}\n")
    python = venv / "bin" / "python"
    python.symlink_to(real.resolve())
    root = towncrier_project(make_project, {"12.added.md": "Streaming."})
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}
    result = subprocess.run(
        [str(python), "-m", "release_guard", "prepare", "0.2.0"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "RG607" in result.stdout + result.stderr
    assert "release-guard[towncrier]" in result.stdout + result.stderr
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert after == before


def test_subsections_that_repeat_the_version_are_not_releases() -> None:
    """tox's towncrier titles each subsection `Features - 4.57.0`: more version-bearing
    headings one level below the releases, but naming the same releases again."""
    text = (
        "#################\n Release History\n#################\n\n"
        "**********************\n v4.57.0 (2026-07-17)\n**********************\n\n"
        "Features - 4.57.0\n=================\n\n- A feature.\n\n"
        "Bug fixes - 4.57.0\n==================\n\n- A fix.\n\n"
        "**********************\n v4.56.4 (2026-07-08)\n**********************\n\n"
        "Bug fixes - 4.56.4\n==================\n\n- Another fix.\n"
    )
    changelog = rst.parse(text, "docs/changelog.rst")
    assert [(r.version, r.line) for r in changelog.releases] == [("4.57.0", 6), ("4.56.4", 20)]


def test_the_releases_keep_their_level_across_an_adornment_switch() -> None:
    """marshmallow's releases before 3.2.2 are underlined with `+`, its newer ones with `*`:
    docutils reads the old ones one level deeper, and they outnumber the new ones."""
    new = "".join(f"3.{n}.0 (2024-0{n}-01)\n******************\n\n- New {n}.\n\n" for n in (5, 4))
    old = "".join(
        f"2.{n}.0 (2019-0{n}-01)\n++++++++++++++++++\n\n- Old {n}.\n\n" for n in range(9, 1, -1)
    )
    changelog = rst.parse("Changelog\n---------\n\n" + new + old, "CHANGELOG.rst")
    assert [release.version for release in changelog.releases] == ["3.5.0", "3.4.0"]


def test_a_release_left_deeper_under_unreleased_does_not_take_the_level(
    make_project: MakeProject,
) -> None:
    """httpx 0.25.1: its section stayed a `###` under `## Unreleased`, above `## 0.25.0`: the
    releases stay at `##`, and 0.25.1 has no section of its own (a real defect)."""
    changelog = (
        "# Changelog\n\n## Unreleased\n\n### 0.1.1 (2026-02-09)\n\n- A fix.\n\n"
        "## 0.1.0 (2026-02-07)\n\n- First.\n\n## 0.0.9 (2026-01-07)\n\n- Before.\n"
    )
    found = findings(make_project(version="0.1.1", files={"CHANGELOG.md": changelog}), tag="v0.1.1")
    assert "RG302" in [f.code for f in found]
