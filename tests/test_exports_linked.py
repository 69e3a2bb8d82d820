"""The exports that link the release to the world: CMIF places and refs, QuickStatements, the map.

The release is the real collection; where the authority data has no place of writing or
coordinates yet, the tests add them to the graph (as the mapping publishes them:
``skos:exactMatch`` to GeoNames, ``wgs84:lat``/``long`` or a ``crm:P168`` WKT point,
``crm:P7_took_place_at`` on a communication or its receipt) and write the exports from it.
"""

from __future__ import annotations

import gzip
import re
import shutil
import zlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from lxml import etree, isoschematron

from cwgraph.exports import EXPORT_FILES, write_exports
from cwgraph.exports.cmif import TEI_NS
from cwgraph.exports.letters import Names, Place, geonames_id

ROOT = Path(__file__).resolve().parents[1]
CMIF = ROOT / "tests" / "fixtures" / "cmif"
TEI = {"t": TEI_NS}
B = "https://w3id.org/cwgraph/"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
P7 = "http://www.cidoc-crm.org/cidoc-crm/P7_took_place_at"
SKOS_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
SKOS_CLOSE = "http://www.w3.org/2004/02/skos/core#closeMatch"  # how the mapping links GeoNames
DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
# test data: coordinates and GeoNames ids as the authority files give them (GeoNames' own values)
GEO = {"moscow": (55.75222, 37.61556, "524901"), "beijing": (39.9075, 116.39723, "1816670")}


def _add(store: ox.Store, s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
    store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o))


@pytest.fixture(scope="module")
def linked(built, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """The built release with places of writing/receipt and coordinates added, exports written."""
    release = tmp_path_factory.mktemp("linked") / "dist"
    shutil.copytree(built[1], release, ignore=shutil.ignore_patterns(*EXPORT_FILES, "beacon"))
    store = ox.Store()
    store.load(gzip.decompress((release / "cwgraph.nt.gz").read_bytes()), format=ox.RdfFormat.N_TRIPLES)
    for key, (lat, long, gid) in GEO.items():
        _add(store, f"{B}place/{key}", WGS84 + "lat", ox.Literal(str(lat), datatype=DECIMAL))
        _add(store, f"{B}place/{key}", WGS84 + "long", ox.Literal(str(long), datatype=DECIMAL))
        _add(store, f"{B}place/{key}", SKOS_CLOSE, ox.NamedNode(f"https://sws.geonames.org/{gid}/"))
    _add(store, f"{B}place/xibaipo", "http://www.cidoc-crm.org/cidoc-crm/P168_place_is_defined_by",
         ox.Literal("POINT(114.1 38.3)", datatype=ox.NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral")))
    _add(store, f"{B}document/110296/communication", P7, ox.NamedNode(f"{B}place/moscow"))
    _add(store, f"{B}document/110296/communication/receipt", P7, ox.NamedNode(f"{B}place/xibaipo"))
    _add(store, f"{B}document/112673/communication", P7, ox.NamedNode(f"{B}place/yalta"))
    for quad in list(store.quads_for_pattern(ox.NamedNode(f"{B}place/yalta"), None, None)):
        if quad.predicate.value.startswith(WGS84):
            store.remove(quad)  # a place of writing without coordinates, whatever the authority file says
    write_exports(release, store)
    return release


def _schematron() -> isoschematron.Schematron:
    """cmif.sch as lxml (XSLT 1) can run it: see tests/fixtures/cmif/README.md."""
    sch = etree.parse(str(CMIF / "cmif.sch"))
    root = sch.getroot()
    root.set("queryBinding", "xslt")
    ns = "http://purl.oclc.org/dsdl/schematron"
    for rule in root.iter(f"{{{ns}}}assert"):
        rule.set("test", rule.get("test", "").replace("matches(", "re:test("))
    root.insert(1, etree.Element(f"{{{ns}}}ns", prefix="re", uri="http://exslt.org/regular-expressions"))
    return isoschematron.Schematron(sch, store_report=True)


def test_cmif_with_places_is_valid_against_the_schema_and_the_schematron(linked: Path) -> None:
    doc = etree.parse(str(linked / "cwgraph.cmif.xml"))
    rng = etree.RelaxNG(etree.parse(str(CMIF / "cmi-customization.rng")))
    assert rng.validate(doc), rng.error_log
    schematron = _schematron()
    assert schematron.validate(doc), schematron.error_log
    broken = etree.parse(str(linked / "cwgraph.cmif.xml"))  # the rules do catch a broken file
    desc = broken.find(".//t:correspDesc", TEI)
    desc.remove(desc.find("t:correspAction[@type='received']", TEI))
    assert not schematron.validate(broken)


def test_places_of_writing_and_receipt_carry_geonames_then_wikidata_then_our_iri(linked: Path) -> None:
    doc = etree.parse(str(linked / "cwgraph.cmif.xml"))
    desc = doc.find(".//t:correspDesc[@ref='https://w3id.org/cwgraph/document/110296']", TEI)
    sent = desc.find("t:correspAction[@type='sent']/t:placeName", TEI)
    assert sent.text == "Moscow"
    refs = sent.get("ref").split()
    assert refs[0] == "http://www.geonames.org/524901"  # the form correspSearch indexes
    assert refs[1].startswith("http://www.wikidata.org/entity/Q") and refs[-1] == f"{B}place/moscow"
    received = desc.find("t:correspAction[@type='received']/t:placeName", TEI)
    assert received.text == "Xibaipo" and received.get("ref").split()[-1] == f"{B}place/xibaipo"


def test_every_name_with_an_authority_link_carries_it(linked: Path) -> None:
    store = ox.Store()
    store.load(gzip.decompress((linked / "cwgraph.nt.gz").read_bytes()), format=ox.RdfFormat.N_TRIPLES)
    linked_to = {q.subject.value: q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(SKOS_MATCH), None)
                 if q.object.value.startswith("http://www.wikidata.org/entity/")}
    doc = etree.parse(str(linked / "cwgraph.cmif.xml"))
    names = doc.findall(".//t:persName", TEI) + doc.findall(".//t:orgName", TEI) + doc.findall(".//t:placeName", TEI)
    checked = 0
    for name in names:
        refs = (name.get("ref") or "").split()
        ours = [r for r in refs if r.startswith(B)]
        for iri in ours:
            if iri in linked_to:
                assert linked_to[iri] in refs, (name.text, refs)
                checked += 1
    assert checked >= 40


def test_a_title_that_names_the_place_of_writing_gives_it_in_cmif(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cwgraph.cli import main

    src = tmp_path / "src"
    src.mkdir()
    header = "Making of the Sino-Soviet Alliance, 1945-1950\n\n51 - 52 of 52\n\n"
    (src / "p.txt").write_text(header + "December 18, 1949\n\nTelegram, Mao Zedong to Liu Shaoqi, Moscow, "
                               "18 December 1949\n\nMao reports.\n\nJanuary 5, 1950\n\nCable, Stalin to Mao Zedong"
                               "\n\nText.\n", encoding="utf-8")
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", "--source", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = etree.parse(str(out / "cwgraph.cmif.xml"))
    [place] = doc.findall(".//t:correspAction[@type='sent']/t:placeName", TEI)
    assert place.text == "Moscow" and f"{B}place/moscow" in place.get("ref").split()
    assert any(r.startswith("http://www.wikidata.org/entity/") for r in place.get("ref").split())


def test_coordinates_and_geonames_are_read_from_either_form() -> None:
    store = ox.Store()
    _add(store, f"{B}place/a", "http://www.w3.org/2000/01/rdf-schema#label", ox.Literal("A"))
    _add(store, f"{B}place/a", "http://www.cidoc-crm.org/cidoc-crm/P168_place_is_defined_by",
         ox.Literal("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(37.6 55.7)"))
    _add(store, f"{B}place/b", WGS84 + "lat", ox.Literal("39.9", datatype=DECIMAL))
    _add(store, f"{B}place/b", WGS84 + "long", ox.Literal("116.4", datatype=DECIMAL))
    _add(store, f"{B}place/b", SKOS_MATCH, ox.NamedNode("http://sws.geonames.org/1816670/"))
    _add(store, f"{B}place/c", WGS84 + "lat", ox.Literal("139.9", datatype=DECIMAL))  # out of range: ignored
    _add(store, f"{B}place/c", WGS84 + "long", ox.Literal("16.4", datatype=DECIMAL))
    names = Names.from_store(store)
    assert names.place(f"{B}place/a") == Place(f"{B}place/a", "A", None, None, 55.7, 37.6)
    b = names.place(f"{B}place/b")
    assert (b.lat, b.long, b.geonames, b.geonames_uri) == (39.9, 116.4, "1816670", "http://www.geonames.org/1816670")
    assert not names.place(f"{B}place/c").located
    assert geonames_id("https://www.geonames.org/524901/moscow.html") == "524901"
    assert geonames_id("https://example.org/524901") is None


# -- QuickStatements --------------------------------------------------------------------------

_ITEM = r"Q[1-9]\d*"
_VALUE = r'(?:Q[1-9]\d*|"[^"\t]*"|[a-z]{2,3}:"[^"\t]*"|[+-]\d{4,}-\d\d-\d\dT00:00:00Z/\d{1,2}|-?\d+(?:\.\d+)?)'
_LINE = re.compile(rf"^(?P<item>{_ITEM})\t(?P<prop>P[1-9]\d*)\t(?P<value>{_VALUE})"
                   rf"(?P<qualifiers>(?:\tP[1-9]\d*\t{_VALUE})*)(?P<sources>(?:\tS[1-9]\d*\t{_VALUE})*)$")


def test_quickstatements_lines_parse_and_cover_every_linked_entity(linked: Path) -> None:
    text = (linked / "wikidata-quickstatements.txt").read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r" not in text
    commands = []
    for number, line in enumerate(text.splitlines(), 1):
        m = _LINE.match(line)
        assert m, f"line {number} is not a QuickStatements V1 command: {line!r}"
        commands.append(m)
    by_iri = {m["value"].strip('"'): m for m in commands}
    stalin = by_iri[f"{B}person/joseph-stalin"]
    assert stalin["item"] == "Q855" and stalin["prop"] == "P973"
    assert "\tP407\tQ1860" in stalin["qualifiers"] and '\tP1810\t"Joseph Stalin"' in stalin["qualifiers"]
    # every Wikidata link of the BEACON files (persons, groups, places, events) has its command
    beacon_links = set()
    for kind in ("persons", "groups", "places", "events"):
        body = (linked / "beacon" / f"wikidata-{kind}.txt").read_text().partition("\n\n")[2]
        for line in body.splitlines():
            qid, _, key = line.split("|")
            beacon_links.add((qid, f"{B}{kind[:-1]}/{key}"))
    assert {(m["item"], m["value"].strip('"')) for m in commands} == beacon_links
    assert all(m["prop"] == "P973" and m["value"].startswith(f'"{B}') for m in commands)
    assert len({m.group(0) for m in commands}) == len(commands)


def test_the_quickstatements_grammar_rejects_what_quickstatements_would() -> None:
    for bad in ['Q855\tP973\thttps://w3id.org/x', 'Q855 P973 "https://w3id.org/x"', 'Q855\tP973\t"a\tb"',
                'Q855\tP973\t"https://w3id.org/x"\tP407', 'P973\tQ855\t"x"']:
        assert not _LINE.match(bad), bad
    assert _LINE.match('Q855\tP973\t"https://w3id.org/x"\tP407\tQ1860\tS854\t"https://example.org/"')


# -- the map ----------------------------------------------------------------------------------

def test_the_map_shows_located_places_links_them_and_has_no_timestamps(linked: Path) -> None:
    svg = (linked / "map.svg").read_text(encoding="utf-8")
    etree.fromstring(svg.encode())
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    for key in ("moscow", "xibaipo", "beijing"):
        assert f'xlink:href="{B}place/{key}.html"' in svg, key
    assert f'xlink:href="{B}place/yalta.html"' not in svg  # a place of writing without coordinates: not drawn
    assert "fill: #e3e1d8" in svg  # the land (Natural Earth), filled without borders
    png = (linked / "map.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    i, kinds = 8, []
    while i < len(png):
        length = int.from_bytes(png[i:i + 4], "big")
        kinds.append(png[i + 4:i + 8])
        assert zlib.crc32(png[i + 4:i + 8 + length]) == int.from_bytes(png[i + 8 + length:i + 12 + length], "big")
        if png[i + 4:i + 8] in (b"tEXt", b"iTXt", b"zTXt"):
            assert b"Software" not in png[i + 8:i + 8 + length]
        i += 12 + length
    assert b"tIME" not in kinds


def test_the_map_is_the_same_bytes_each_time_and_draws_without_any_coordinates(linked: Path, tmp_path: Path) -> None:
    from cwgraph.exports.letter_map import LetterMap, write_map

    chart = LetterMap()
    chart.set_places([Place(f"{B}place/moscow", "Moscow", lat=55.75, long=37.62)], {f"{B}place/moscow": 3})
    first = write_map(chart, tmp_path / "a.svg", tmp_path / "a.png")
    second = write_map(chart, tmp_path / "b.svg", tmp_path / "b.png")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    empty = write_map(LetterMap(), tmp_path / "e.svg", tmp_path / "e.png")
    assert all(p.stat().st_size > 1000 for p in empty)


def test_the_vendored_land_outline_is_natural_earth_rings() -> None:
    import json

    from cwgraph.exports.letter_map import LAND_FILE

    land = json.loads(LAND_FILE.read_text(encoding="utf-8"))
    assert "Natural Earth" in land["source"] and "public domain" in land["source"]
    assert len(land["rings"]) > 200
    assert all(len(ring) >= 4 and all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring) for ring in land["rings"])


def test_the_home_page_shows_the_map_and_offers_the_new_files(built) -> None:  # type: ignore[no-untyped-def]
    from test_web_release import graph, published
    from werkzeug.test import Client

    from cwgraph.web.server import LinkedDataApp

    release = published(built[1])
    page = Client(LinkedDataApp(release, graph=graph(release))).get("/index.html").text
    assert '<img src="dist/map.svg"' in page
    assert 'href="dist/wikidata-quickstatements.txt"' in page and 'href="dist/map.png"' in page
