"""`.track` songs (a minimal text tracker): parse and validate with line:col diagnostics,
format, render to a numpy array."""

from groovekit._groovekit.track import Diagnostic, Song, check, format

__all__ = ["Diagnostic", "Song", "check", "format"]
