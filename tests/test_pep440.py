"""The plain-release fast path orders, equals and prints exactly as packaging does."""

from __future__ import annotations

import itertools

import pytest
from packaging.version import Version

from release_guard.pep440 import PlainRelease, parse_version, parse_versions

PLAIN = [
    "0",
    "0.1",
    "0.1.0",
    "0.2",
    "1",
    "1.0",
    "1.0.0",
    "1.0.1",
    "1.2.5",
    "1.2.50",
    "10.0",
    "2.0.0.0",
]


def test_plain_releases_need_no_packaging() -> None:
    assert all(isinstance(version, PlainRelease) for version in parse_versions(PLAIN))


@pytest.mark.parametrize(("left", "right"), list(itertools.product(PLAIN, PLAIN)))
def test_order_and_equality_match_packaging(left: str, right: str) -> None:
    ours, other = parse_versions([left, right])
    assert ours is not None
    assert other is not None
    theirs = (Version(left), Version(right))
    assert (ours < other, ours == other, ours >= other) == (
        theirs[0] < theirs[1],
        theirs[0] == theirs[1],
        theirs[0] >= theirs[1],
    )
    if ours == other:
        assert hash(ours) == hash(other)


def test_plain_release_is_final_and_prints_as_written() -> None:
    version = parse_version("1.2.50")
    assert version is not None
    assert not version.is_prerelease
    assert str(version) == "1.2.50"


@pytest.mark.parametrize(
    "text", ["01.2", "1.2.3rc1", "1.0.dev0", "v1.0", "1.0+local", "1!1.0", " 1.0"]
)
def test_anything_else_goes_to_packaging(text: str) -> None:
    assert not isinstance(parse_version(text), PlainRelease)


def test_one_non_plain_version_makes_the_whole_group_packaging_versions() -> None:
    parsed = parse_versions(["1.0.0", "1.0.0rc1", "not a version"])
    assert parsed[:2] == [Version("1.0.0"), Version("1.0.0rc1")]
    assert parsed[2] is None
