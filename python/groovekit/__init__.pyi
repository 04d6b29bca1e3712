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
    "build_bytes",
    "detect",
    "detect_bytes",
    "dump",
    "dump_bytes",
    "inspect",
    "inspect_bytes",
    "octatrack",
    "okt",
    "opz",
    "track",
    "verify",
    "verify_bytes",
]

_Path = str | os.PathLike[str]
_Bytes = bytes | bytearray

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

class ValidationError(Error, ValueError):
    """A value the format or device cannot store, an index out of range, or a song with errors."""

    diagnostics: list[track.Diagnostic]

class IoError(Error):
    """A file could not be read or written."""

@final
class Problem:
    """One finding of verify."""

    @property
    def path(self) -> str | None: ...
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
def detect_bytes(data: _Bytes, name: _Path | None = None) -> str | None: ...
def dump_bytes(data: _Bytes, format: str = "yaml", name: _Path | None = None) -> str: ...
def inspect_bytes(data: _Bytes, name: _Path | None = None) -> dict[str, Any]: ...
def build_bytes(text: str) -> bytes: ...
def verify_bytes(data: _Bytes, name: _Path | None = None) -> list[Problem]: ...
