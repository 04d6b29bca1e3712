"""Copies a bank between two Octatrack projects (or within one), with a dry run first: prints
the slot map the copy would use, then copies (samples and their .ot files too, every sample
reference remapped, a backup first) and prints the backup folder that `octatrack.restore`
takes to undo it.

    python ot_copy_bank.py SRC_PROJECT 1 DST_PROJECT 3 [--force] [--also-strd]
"""

from __future__ import annotations

import sys

from groovekit import octatrack


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    flags = {a for a in argv if a.startswith("--")}
    if len(args) != 4 or not args[1].isdigit() or not args[3].isdigit():
        print("usage: ot_copy_bank.py SRC_PROJECT BANK DST_PROJECT BANK [--force] [--also-strd]", file=sys.stderr)
        return 2
    src, n, dst, m = args[0], int(args[1]), args[2], int(args[3])
    force, also_strd = "--force" in flags, "--also-strd" in flags
    plan = octatrack.copy_bank(src, n, dst, m, dry_run=True, force=force, also_strd=also_strd)
    print(plan, end="")
    print(f"{len(plan.writes)} files to write")
    backup = plan.apply()
    print(f"copied; backup in {backup}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
