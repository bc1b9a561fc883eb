from theo import AudioFormat, Transcript, __version__


def test_version_is_a_release() -> None:
    assert __version__.count(".") == 2


def test_transcript_duration() -> None:
    assert Transcript("ola", 100, 350).duration_ms == 250
    assert AudioFormat("pcm16") is AudioFormat.PCM16
