"""groovekit: read, write (byte-exact), verify and render Elektron Octatrack, Teenage Engineering
OP-Z, Amiga Oktalyzer and `.track` files.

Every call goes to the groovekit Rust crates (through the native module ``groovekit._groovekit``);
this package adds no logic of its own. Format-independent functions: ``detect``, ``inspect``,
``verify``, ``dump``, ``build``, and the same for bytes held in memory (an upload, no file):
``detect_bytes``, ``inspect_bytes``, ``verify_bytes``, ``dump_bytes``, ``build_bytes``. Submodules: ``groovekit.octatrack``, ``groovekit.okt``, ``groovekit.track``,
``groovekit.opz``.
"""

from groovekit._groovekit import (
    Error,
    FormatError,
    IoError,
    Problem,
    ValidationError,
    __version__,
    build,
    build_bytes,
    detect,
    detect_bytes,
    dump,
    dump_bytes,
    inspect,
    inspect_bytes,
    verify,
    verify_bytes,
)
from groovekit import octatrack, okt, opz, track

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
    "verify",
    "verify_bytes",
    "octatrack",
    "okt",
    "opz",
    "track",
]
