from groovekit import octatrack as octatrack, okt as okt, opz as opz, track as track

import os
from typing import Any, final

__all__ = [
    "Error",
    "FormatError",
    "IoError",
    "Problem",
    "ValidationError",
    "__version__",
    "build",
    "detect",
    "dump",
    "inspect",
    "octatrack",
    "okt",
    "opz",
    "track",
    "verify",
]

_Path = str | os.PathLike[str]

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

@final
class Problem:
    """One finding of verify."""

    @property
    def path(self) -> str: ...
    @property
    def offset(self) -> int | None: ...
    @property
    def line(self) -> int | None: ...
    @property
    def col(self) -> int | None: ...
    @property
    def message(self) -> str: ...
    @property
    def severity(self) -> str: ...

def detect(path: _Path) -> str | None: ...
def dump(path: _Path, format: str = "yaml") -> str: ...
def inspect(path: _Path) -> dict[str, Any]: ...
def build(text: str, path: _Path, base: _Path | None = None, backup: bool = True) -> str | None: ...
def verify(path: _Path) -> list[Problem]: ...
