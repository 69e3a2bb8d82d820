"""Write the negative SHACL cases of ``tests/shacl_cases.py`` as Turtle files, for pySHACL by hand.

The cases are data (a table of edits of ``shapes/examples/valid.ttl``) applied in memory by
``tests/test_shapes_negative.py``; nothing here is needed by the tests. Run from the project root::

    python tests/tools/make_negative_cases.py /tmp/negative
    pyshacl -s shapes/documents.ttl … /tmp/negative/DocumentTitle--minCount.ttl

Each file is ``<Shape>--<parameter>.ttl`` with a header naming the constraint that must fire.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shacl_cases import CASES, NO_SOURCE, ROOT, message_start, mutate  # noqa: E402

from cwgraph.validation.validate import load_shapes  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/tools/make_negative_cases.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    shapes = load_shapes(ROOT / "shapes")
    for case in CASES:
        head = [f'# expected-violation: cwsh:{case.shape} {case.component} "{message_start(shapes, case.shape)}"',
                f"# broken: {case.broken}"]
        if case.no_source:
            head.append(f"# expected-source: {NO_SOURCE} ({case.no_source})")
        head.append("# shapes/examples/valid.ttl broken in one place (tests/shacl_cases.py)")
        (out / case.filename).write_text("\n".join(head) + "\n\n" + mutate(case))
    print(f"{len(CASES)} cases written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
