"""Types shared by the engines and the worker."""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class AudioFormat(Enum):
    PCM16 = "pcm16"
    OPUS = "opus"


class Transcript(NamedTuple):
    text: str
    start_ms: int
    end_ms: int
    final: bool = True

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms
