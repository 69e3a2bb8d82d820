"""Exports for other communities: CMIF (validated), GEXF/GraphML, the picture, Mix'n'match, BEACON."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import zlib
from pathlib import Path

import networkx as nx
import pytest
from gexf13 import read_gexf, schema_errors
from lxml import etree
from test_web_release import published

from cwgraph.exports import EXPORT_FILES, publication_date, write_exports
from cwgraph.exports.cmif import TEI_NS

ROOT = Path(__file__).resolve().parents[1]
VENDORED_RNG = ROOT / "tests" / "fixtures" / "cmif" / "cmi-customization.rng"
SHARED_RNG = ROOT.parent / "shared" / "cmif" / "cmi-customization.rng"
TEI = {"t": TEI_NS}


@pytest.fixture(scope="module")
def release(built) -> Path:  # type: ignore[no-untyped-def]
    return published(built[1])


def test_the_same_graph_gives_the_same_bytes(release: Path, tmp_path: Path) -> None:
    again = tmp_path / "dist"
    shutil.copytree(release, again, ignore=shutil.ignore_patterns(*EXPORT_FILES, "beacon"))
    written = write_exports(again)
    assert sorted(p.relative_to(again).as_posix() for p in written) == sorted(EXPORT_FILES)
    for name in EXPORT_FILES:
        assert hashlib.sha256((again / name).read_bytes()).digest() == \
            hashlib.sha256((release / name).read_bytes()).digest(), name


@pytest.mark.parametrize("schema", [VENDORED_RNG, SHARED_RNG], ids=["vendored", "shared"])
def test_cmif_validates_against_the_official_schema(release: Path, schema: Path) -> None:
    if schema == SHARED_RNG and not schema.is_file():
        pytest.skip("../shared/cmif is not beside this checkout (the vendored copy is tested)")
    rng = etree.RelaxNG(etree.parse(str(schema)))
    doc = etree.parse(str(release / "cwgraph.cmif.xml"))
    assert rng.validate(doc), rng.error_log


def test_cmif_follows_the_schematron_rules_and_carries_the_correspondence(release: Path) -> None:
    doc = etree.parse(str(release / "cwgraph.cmif.xml"))
    bibl_ids = {b.get("{http://www.w3.org/XML/1998/namespace}id") for b in doc.iterfind(".//t:bibl", TEI)}
    assert all(re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", i or "") for i in bibl_ids)
    descs = doc.findall(".//t:correspDesc", TEI)
    assert len(descs) >= 40
    for desc in descs:  # E0001-E0003 of cmif.sch
        assert desc.find("t:correspAction[@type='sent']", TEI) is not None
        assert desc.find("t:correspAction[@type='received']", TEI) is not None
        assert desc.get("source", "")[1:] in bibl_ids
    for date in doc.iterfind(".//t:date", TEI):  # E0004
        assert {"when", "notBefore", "notAfter", "from", "to"} & set(date.attrib)
    first = descs[0]
    assert first.get("ref") == "https://w3id.org/cwgraph/document/110296"
    sender = first.find("t:correspAction[@type='sent']/t:persName", TEI)
    assert sender.text == "Joseph Stalin"
    assert sender.get("ref").split() == ["http://www.wikidata.org/entity/Q855",
                                         "https://w3id.org/cwgraph/person/joseph-stalin"]
    assert first.find("t:correspAction[@type='sent']/t:date", TEI).get("when") == "1947-12-16"
    note = first.find("t:note", TEI).text
    assert "“Kuznetsov”" in note and "Andrei Orlov (as “Terebin”)" in note
    months = [d for d in doc.iterfind(".//t:date[@notBefore]", TEI)]
    assert months, "imprecise dates are given as notBefore/notAfter"
    assert all(d.get("notBefore") <= d.get("notAfter") for d in months)
    assert any(d.get("notBefore") == "1949-08-01" and d.get("notAfter") == "1949-08-31" for d in months)


def test_cmif_publication_date_never_depends_on_the_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert publication_date(tmp_path) == "1970-01-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert publication_date(tmp_path) == "2023-11-14"
    assert publication_date(tmp_path, "2026-02-14") == "2026-02-14"
    (tmp_path / "void.ttl").write_text('<https://w3id.org/cwgraph/collection/x> '
                                       '<http://purl.org/dc/terms/issued> "2025-05-01"^^'
                                       '<http://www.w3.org/2001/XMLSchema#date> .\n')
    assert publication_date(tmp_path) == "2025-05-01"


@pytest.mark.parametrize("name", ["network.gexf", "network.graphml"])
def test_the_network_opens_in_networkx_with_cover_names_and_intermediaries(release: Path, name: str) -> None:
    g = read_gexf(release / name) if name.endswith("gexf") else nx.read_graphml(release / name, edge_key_type=str)
    stalin, mao = "https://w3id.org/cwgraph/person/joseph-stalin", "https://w3id.org/cwgraph/person/mao-zedong"
    assert g.is_directed() and g.is_multigraph() and g.number_of_nodes() >= 10
    edges = g.get_edge_data(stalin, mao)
    assert len(edges) >= 5  # one edge per letter
    first = edges["110296"]
    assert first["sender_cover_name"] == "Kuznetsov" and first["intermediaries"] == "Andrei Orlov"
    assert first["intermediary_cover_names"] == "Terebin" and first["date"] == "1947-12-16"
    ids = [e for _, _, e in g.edges(keys=True)]
    assert len(ids) == len(set(ids))
    node = g.nodes[stalin]
    assert node["label"] == "Joseph Stalin" and "Filippov" in node["cover_names"]
    assert node["wikidata"] == "http://www.wikidata.org/entity/Q855"


def test_gexf_has_no_modification_date_and_a_timeline(release: Path) -> None:
    text = (release / "network.gexf").read_text()
    assert "lastmodifieddate" not in text and 'mode="dynamic"' in text and 'start="1947-12-16"' in text


def test_gexf_is_valid_against_the_official_13_schema(release: Path) -> None:
    assert schema_errors(release / "network.gexf") == []


def test_every_letter_survives_a_gephi_import(release: Path) -> None:
    """Gephi merges edges with the same source, target and kind: each letter has a kind of its own."""
    ns = {"g": "http://gexf.net/1.3"}
    root = etree.parse(str(release / "network.gexf")).getroot()
    edges = root.findall("g:graph/g:edges/g:edge", ns)
    titles = {a.get("id"): a.get("title") for a in root.findall("g:graph/g:attributes/g:attribute", ns)}
    as_gephi_keeps = {(e.get("source"), e.get("target"), e.get("kind")) for e in edges}
    assert len(as_gephi_keeps) == len(edges) > 40
    assert len({e.get("id") for e in edges}) == len(edges)
    first = next(e for e in edges if e.get("id") == "110296")
    assert first.get("label") == "Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]"
    values = {titles[v.get("for")]: v.get("value") for v in first.findall("g:attvalues/g:attvalue", ns)}
    assert values["date"] == "1947-12-16" and values["sender_cover_name"] == "Kuznetsov"


def test_graphml_round_trips_through_networkx(release: Path, tmp_path: Path) -> None:
    g = nx.read_graphml(release / "network.graphml", edge_key_type=str, force_multigraph=True)
    nx.write_graphml(g, tmp_path / "again.graphml", named_key_ids=True)
    again = nx.read_graphml(tmp_path / "again.graphml", edge_key_type=str, force_multigraph=True)
    assert nx.utils.graphs_equal(g, again)
    assert sorted(again.edges(keys=True, data=True)) == sorted(g.edges(keys=True, data=True))
    assert g.number_of_edges() == len(etree.parse(str(release / "network.gexf")).getroot().findall(
        "{http://gexf.net/1.3}graph/{http://gexf.net/1.3}edges/{http://gexf.net/1.3}edge"))


def test_the_picture_has_no_timestamps_and_links_people(release: Path) -> None:
    svg = (release / "network.svg").read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert 'xlink:href="https://w3id.org/cwgraph/person/joseph-stalin.html"' in svg
    etree.fromstring(svg.encode())  # well-formed
    png = (release / "network.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks = []
    i = 8
    while i < len(png):
        length = int.from_bytes(png[i:i + 4], "big")
        kind = png[i + 4:i + 8]
        chunks.append(kind)
        assert zlib.crc32(png[i + 4:i + 8 + length]) == int.from_bytes(png[i + 8 + length:i + 12 + length], "big")
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            assert b"Software" not in png[i + 8:i + 8 + length]
        i += 12 + length
    assert b"tIME" not in chunks and chunks[-1] == b"IEND"


def test_mixnmatch_catalogue(release: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((release / "mixnmatch-persons.tsv").read_text()), delimiter="\t"))
    assert list(rows[0]) == ["id", "name", "description", "url", "type", "q"]
    stalin = next(r for r in rows if r["id"] == "joseph-stalin")
    assert stalin["name"] == "Joseph Stalin" and stalin["url"] == "https://w3id.org/cwgraph/person/joseph-stalin"
    assert stalin["type"] == "Q5" and "documents in" in stalin["description"]
    assert stalin["q"] == "Q855"  # already matched: the authority's QID
    assert all(re.fullmatch(r"(Q\d+)?", r["q"]) for r in rows) and any(not r["q"] for r in rows)
    assert all("\t" not in v and "\n" not in v for r in rows for v in r.values())


def test_beacon_files(release: Path) -> None:
    text = (release / "beacon" / "wikidata-persons.txt").read_text()
    head, _, body = text.partition("\n\n")
    meta = dict(line[1:].split(": ", 1) for line in head.splitlines())
    assert meta["FORMAT"] == "BEACON" and meta["PREFIX"] == "http://www.wikidata.org/entity/"
    assert meta["TARGET"] == "https://w3id.org/cwgraph/person/{ID}"
    links = [line.split("|") for line in body.splitlines()]
    assert ["Q855", links[[x[0] for x in links].index("Q855")][1], "joseph-stalin"] in links
    assert all(re.fullmatch(r"Q\d+", source) and count.isdigit() for source, count, _ in links)
    for kind in ("groups", "places", "events"):
        assert (release / "beacon" / f"wikidata-{kind}.txt").read_text().startswith("#FORMAT: BEACON\n")


def test_export_command(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from cwgraph.cli import main

    release = tmp_path / "dist"
    shutil.copytree(built[1], release)
    result = CliRunner().invoke(main, ["export", "--data", str(release), "--published", "2026-01-02", "--quiet"])
    assert result.exit_code == 0, result.output
    assert b'<date when="2026-01-02"/>' in (release / "cwgraph.cmif.xml").read_bytes()
    empty = CliRunner().invoke(main, ["export", "--data", str(tmp_path / "nothing")])
    assert empty.exit_code == 2


def test_the_bytes_do_not_depend_on_the_hash_seed(release: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    other = tmp_path / "dist"
    shutil.copytree(release, other, ignore=shutil.ignore_patterns(*EXPORT_FILES, "beacon"))
    code = "import sys; from pathlib import Path; from cwgraph.exports import write_exports; write_exports(Path(sys.argv[1]))"
    subprocess.run([sys.executable, "-c", code, str(other)], check=True, timeout=120,
                   env={**os.environ, "PYTHONHASHSEED": "4242"})
    for name in EXPORT_FILES:
        assert (other / name).read_bytes() == (release / name).read_bytes(), name
