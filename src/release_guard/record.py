"""Record: the base of the value classes read at every commit (findings, config, versions).

A NamedTuple costs `typing` (about 2 ms to import) and compiles each field's annotation
string (PEP 563) when its class is made, and the first compile of a run costs a millisecond
more: together a sixth of the commit-time budget (docs/design.md, "Start-up"). A Record is a
slotted class with its own `__init__`: it keeps what the code uses of a NamedTuple (equality,
hashing, `repr`, `_replace`, `_asdict`) at the cost of a plain class.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    R = TypeVar("R", bound="Record")


class Record:
    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record) or type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def _replace(self: R, **changes: Any) -> R:
        """A copy with the named fields changed, as NamedTuple's `_replace`."""
        unknown = set(changes) - set(self.__slots__)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        copy = object.__new__(type(self))
        for name in self.__slots__:
            object.__setattr__(copy, name, changes.get(name, getattr(self, name)))
        return copy

    def _asdict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}
