"""Run ``cwgraph`` with a pause at a named point of the publish step, for tests that kill builds there.

    python tests/tools/paused_build.py POINT SECONDS build --out DIR …

``mid-write``: every block has gone to the release's files, which are still open (half written);
``before-swap``: the new release is complete in the scratch folder, the old one not yet replaced.
The pause is patched in here, so production code carries no test hook.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from cwgraph.publishing import publish

from cwgraph.publishing import serialize


def _pause_before_swap(seconds: float) -> None:
    movable = publish._movable  # the first step of the swap

    def paused(target: Path) -> None:
        time.sleep(seconds)
        movable(target)

    publish._movable = paused  # type: ignore[assignment]


def _pause_mid_write(seconds: float) -> None:
    write_blocks = serialize.ReleaseWriter.write_blocks

    def paused(self: serialize.ReleaseWriter, blocks: Iterable[Any], progress: Any = None) -> int:
        def then_wait() -> Iterator[Any]:
            yield from blocks
            time.sleep(seconds)

        return write_blocks(self, then_wait(), progress)

    serialize.ReleaseWriter.write_blocks = paused  # type: ignore[method-assign]


def main(argv: list[str]) -> None:
    point, seconds, args = argv[0], float(argv[1]), argv[2:]
    {"before-swap": _pause_before_swap, "mid-write": _pause_mid_write}[point](seconds)
    from cwgraph.cli import main as cwgraph

    cwgraph(args, prog_name="cwgraph")


if __name__ == "__main__":
    main(sys.argv[1:])
