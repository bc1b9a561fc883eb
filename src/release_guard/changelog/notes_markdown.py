"""A changelog body as Markdown, for release notes (GitHub renders release bodies as Markdown).

reStructuredText becomes its Markdown forms: section titles, bullets and their continuation
lines, literal blocks, ``literals``, `text <url>`_ links, and the roles changelogs use
(:issue:, :pr:, :user:, :ghsa:, :pep:, Sphinx's :class: and the like).
"""

from __future__ import annotations

import re

from release_guard.changelog.rst import adornment

_LITERAL = re.compile(r"``([^`]+)``")
_ROLE = re.compile(r":([A-Za-z][\w.+-]*):`([^`]+)`")
_LINK = re.compile(r"`([^`<]+?)\s*<([^`>]+)>`__?")
_BARE_LINK = re.compile(r"`([^`]+)`__?")
_EMPHASIS_ROLE_TARGET = re.compile(r"^(.*?)\s*<([^>]+)>$")
_BULLET = re.compile(r"^( *)([-*+]|\d+[.)]|#\.)( +)(.*)$")
_ISSUE_ROLES = {"issue", "pr", "ghissue", "ghpull", "gh", "bug", "pull"}
_USER_ROLES = {"user", "ghuser"}


def _role(match: re.Match[str]) -> str:
    role, text = match.group(1).lower(), match.group(2)
    target = _EMPHASIS_ROLE_TARGET.match(text)
    shown = target.group(1) if target else text
    if role in _ISSUE_ROLES:
        return f"#{shown.lstrip('#')}"
    if role in _USER_ROLES:
        return f"@{shown.lstrip('@')}"
    if role == "ghsa":
        return shown if shown.upper().startswith("GHSA-") else f"GHSA-{shown}"
    if role == "pep":
        return f"PEP {shown}"
    if role == "cve":
        return shown
    if role in ("ref", "doc", "term"):
        return shown
    return f"`{shown.lstrip('~').lstrip('!')}`"


def inline(text: str) -> str:
    """One line's inline markup: literals and roles first, then links."""
    pieces: list[str] = []
    last = 0
    for match in _LITERAL.finditer(text):
        pieces.append(_inline_text(text[last : match.start()]))
        pieces.append(f"`{match.group(1)}`")
        last = match.end()
    pieces.append(_inline_text(text[last:]))
    return "".join(pieces)


def _inline_text(text: str) -> str:
    text = _ROLE.sub(_role, text)
    text = _LINK.sub(lambda m: f"[{m.group(1)}]({m.group(2)})", text)
    text = _BARE_LINK.sub(lambda m: m.group(1), text)
    return text.replace("\\ ", "")


def _is_adornment(line: str) -> bool:
    return adornment(line.rstrip()) is not None


def rst_to_markdown(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    levels: list[str] = []  # title characters in order of appearance -> ###, ####...
    bullets: list[tuple[int, int]] = []  # (text column in RST, text column in Markdown)
    literal_indent: int | None = None  # inside a literal block indented at least this much
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        indent = len(line) - len(line.lstrip(" "))
        if literal_indent is not None:
            if line and indent < literal_indent:
                blanks = 0
                while out and not out[-1]:
                    out.pop()
                    blanks += 1
                out.append(" " * (bullets[-1][1] if bullets else 0) + "```")
                out += [""] * blanks
                literal_indent = None
            else:
                base = bullets[-1][1] if bullets else 0
                out.append(" " * base + line[literal_indent:] if line else "")
                index += 1
                continue
        if not line:
            out.append("")
            index += 1
            continue
        following = lines[index + 1].rstrip() if index + 1 < len(lines) else ""
        if indent == 0 and _is_adornment(following) and not _is_adornment(line):
            character = following.strip()[0]
            if character not in levels:
                levels.append(character)
            depth = min(3 + levels.index(character), 6)
            out.append("#" * depth + " " + inline(line.strip()))
            bullets = []
            index += 2
            continue
        if _is_adornment(line) and indent == 0:
            index += 1  # an overline, or a transition
            continue
        while bullets and indent < bullets[-1][0]:
            bullets.pop()
        bullet = _BULLET.match(line)
        if bullet is not None:
            marker = bullet.group(2)
            new_base = bullets[-1][1] if bullets and indent >= bullets[-1][0] else 0
            new_marker = "-" if marker in "-*+" else ("1." if marker == "#." else marker)
            rst_column = indent + len(marker) + len(bullet.group(3))
            bullets.append((rst_column, new_base + len(new_marker) + 1))
            body = bullet.group(4)
            out.append(" " * new_base + f"{new_marker} " + inline(body))
            opens_literal = body.endswith("::")
        else:
            rst_column, md_column = bullets[-1] if bullets else (0, 0)
            shifted = " " * (md_column + max(indent - rst_column, 0)) + line.lstrip(" ")
            out.append(_without_literal_marker(inline(shifted)))
            opens_literal = line.endswith("::")
        if opens_literal:
            out[-1] = _without_literal_marker(out[-1])
            next_index = index + 1
            while next_index < len(lines) and not lines[next_index].strip():
                next_index += 1
            if next_index < len(lines):
                following_indent = len(lines[next_index]) - len(lines[next_index].lstrip(" "))
                if following_indent > indent:
                    literal_indent = following_indent
                    out.append("")
                    out.append(" " * (bullets[-1][1] if bullets else 0) + "```")
                    index = next_index
                    continue
        index += 1
    if literal_indent is not None:
        out.append(" " * (bullets[-1][1] if bullets else 0) + "```")
    return "\n".join(out).strip("\n")


def _without_literal_marker(line: str) -> str:
    """`text::` introduces a literal block and reads `text:`; a lone `::` disappears."""
    if line.rstrip().endswith("::"):
        stripped = line.rstrip()[:-2].rstrip()
        return stripped + ":" if stripped.strip() else ""
    return line
