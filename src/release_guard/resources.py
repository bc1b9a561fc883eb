"""Files release-guard ships that live once in the repository, outside the package.

The wheel carries each of them inside the package (hatch `force-include` in pyproject.toml);
a source checkout (an editable install) reads the one copy at the repository's top level.
"""

from __future__ import annotations

import os

from release_guard.findings import input_error

# name -> (path inside the installed package, path in the repository)
SHIPPED = {
    "pre-push": ("hooks/pre-push", "hooks/pre-push"),
    "ci.yml": ("templates/ci.yml", ".github/workflows/ci.yml"),
    "release.yml": ("templates/release.yml", ".github/workflows/release.yml"),
    # only in the package: this repository does not run on GitLab
    "gitlab-ci.yml": ("templates/gitlab-ci.yml", "src/release_guard/templates/gitlab-ci.yml"),
}


def shipped_path(name: str) -> str:
    """The file's path on disk: in the installed package, else in this source checkout."""
    in_package, in_repository = SHIPPED[name]
    package_dir = os.path.dirname(os.path.abspath(__file__))
    candidates = [os.path.join(package_dir, *in_package.split("/"))]
    checkout = os.path.dirname(os.path.dirname(package_dir))  # src/release_guard -> checkout
    if os.path.isfile(os.path.join(checkout, ".pre-commit-hooks.yaml")):
        candidates.append(os.path.join(checkout, *in_repository.split("/")))
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    raise input_error("RG002", f"release-guard's own file {in_repository} is missing: reinstall it")


def shipped_bytes(name: str) -> bytes:
    with open(shipped_path(name), "rb") as handle:
        return handle.read()


def home_url() -> str:
    """release-guard's canonical home, `Homepage` in [project.urls]: the one place it is set."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("release-guard").get_all("Project-URL") or []
    except PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() == "homepage":
            return url.strip()
    raise input_error("RG002", "release-guard's metadata names no Homepage URL: reinstall it")
