from groovekit import okt as okt, opz as opz, track as track

__all__ = ["Error", "FormatError", "IoError", "ValidationError", "__version__", "okt", "opz", "track"]

__version__: str

class Error(Exception):
    """Every groovekit failure."""

    message: str | None
    file: str | None
    offset: int | None
    line: int | None
    col: int | None

class FormatError(Error):
    """The bytes or text are not a valid file of the format."""

class ValidationError(Error):
    """A value the format or device cannot store, an index out of range, or a song with errors."""

    diagnostics: list[track.Diagnostic]

class IoError(Error):
    """A file could not be read or written."""
