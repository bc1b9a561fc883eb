"""Where a project keeps its version, and every file that carries it.

`detect` picks the version source from `[build-system]` and the config (one reader module per
build backend, from a table); `kinds` reads a version out of one kind of file (one module per
kind); `rules` judges them (RG1xx); `roll` sets a new version in all of them for `prepare`.
Every reader is static: TOML, INI and Python `ast`, never the project's code.
"""
