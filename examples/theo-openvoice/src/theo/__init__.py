"""Theo OpenVoice: the M1 foundation (types and the STT worker protocol)."""

from theo._types import AudioFormat, Transcript

__all__ = ["AudioFormat", "Transcript", "__version__"]

__version__ = "0.1.0"
