"""`release-guard completion bash|zsh|fish`: a shell completion script, printed.

Derived, not written by hand: the commands come from cli.COMMANDS, each command's options from
its own `--help`, the `--format` values from report.FORMATS. So a new command or option
completes without an edit here. Install: docs/output.md, "Shell completion".
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
from collections.abc import Sequence

SHELLS = ("bash", "zsh", "fish")
PROGRAM = "release-guard"


def commands() -> dict[str, str]:
    from release_guard.cli import COMMANDS

    return {name: summary for name, (_, summary) in COMMANDS.items()}


def options(command: str) -> list[str]:
    """The command's long options, read from its own --help."""
    if command == "completion":
        return []
    from release_guard.cli import COMMANDS

    module = __import__(COMMANDS[command][0], fromlist=["main"])
    text = io.StringIO()
    with contextlib.redirect_stdout(text), contextlib.suppress(SystemExit):
        module.main(["--help"])
    # argparse lists each option at two spaces' indent: `  -q, --quiet` or `  --root ROOT`
    found = re.findall(r"^  (?:-\w(?: \S+)?, )?(--[a-z][a-z0-9-]*)", text.getvalue(), re.MULTILINE)
    return [*sorted(set(found) - {"--help"}), "--help"]


def _formats() -> str:
    from release_guard.report import FORMATS

    return " ".join(FORMATS)


def bash() -> str:
    cases = "\n".join(f'        {name}) opts="{" ".join(options(name))}" ;;' for name in commands())
    names = " ".join(commands())
    return f"""\
# bash completion for {PROGRAM}: eval "$({PROGRAM} completion bash)"
_release_guard() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}" opts=""
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "{names} --help --version" -- "$cur"))
        return
    fi
    case "$prev" in
        --format) COMPREPLY=($(compgen -W "{_formats()}" -- "$cur")); return ;;
        --root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    esac
    case "${{COMP_WORDS[1]}}" in
{cases}
    esac
    if [ "${{COMP_WORDS[1]}}" = completion ]; then
        COMPREPLY=($(compgen -W "{" ".join(SHELLS)}" -- "$cur"))
    elif [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}}
complete -F _release_guard {PROGRAM}
"""


def zsh() -> str:
    described = "\n".join(
        f"    {_zsh_quote(f'{name}:{summary}')}" for name, summary in commands().items()
    )
    cases = "\n".join(f"    {name}) opts=({' '.join(options(name))}) ;;" for name in commands())
    return f"""\
#compdef {PROGRAM}
# zsh completion for {PROGRAM}: eval "$({PROGRAM} completion zsh)" (after compinit)
_release_guard() {{
  local -a commands opts
  commands=(
{described}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands '{PROGRAM} command' commands
    return
  fi
  case $words[CURRENT-1] in
    --format) compadd -- {_formats()}; return ;;
    --root) _files -/; return ;;
  esac
  case $words[2] in
{cases}
  esac
  if [[ $words[2] == completion ]]; then
    compadd -- {" ".join(SHELLS)}
  elif [[ $PREFIX == -* ]]; then
    compadd -- $opts
  else
    _files
  fi
}}
compdef _release_guard {PROGRAM}
"""


def _zsh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def fish() -> str:
    lines = [
        f"# fish completion for {PROGRAM}: {PROGRAM} completion fish | source",
        f"complete -c {PROGRAM} -f",
    ]
    for name, summary in commands().items():
        lines.append(
            f"complete -c {PROGRAM} -n __fish_use_subcommand -a {name} -d {_fish_quote(summary)}"
        )
        seen = f"'__fish_seen_subcommand_from {name}'"
        for option in options(name):
            extra = ""
            if option == "--format":
                extra = f" -x -a {_fish_quote(_formats())}"
            elif option == "--root":
                extra = " -x -a '(__fish_complete_directories)'"
            lines.append(f"complete -c {PROGRAM} -n {seen} -l {option[2:]}{extra}")
    shells = _fish_quote(" ".join(SHELLS))
    lines.append(f"complete -c {PROGRAM} -n '__fish_seen_subcommand_from completion' -a {shells}")
    return "\n".join(lines) + "\n"


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="release-guard completion",
        description="Print a completion script for the shell: "
        'eval "$(release-guard completion bash)", the same for zsh, or '
        "`release-guard completion fish | source`.",
    )
    parser.add_argument("shell", choices=SHELLS)
    args = parser.parse_args(argv)
    script = {"bash": bash, "zsh": zsh, "fish": fish}[args.shell]()
    sys.stdout.write(script)
    return 0
