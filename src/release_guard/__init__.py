"""release-guard: stop a broken Python release before it leaves the maintainer's machine."""

__version__ = "0.1.0"
