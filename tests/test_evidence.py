"""Evidence for authority links: accepted hosts only, links dropped and reported without it,
GeoNames ids and coordinates under the same rule, and the evidence published as provenance."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest

from cwgraph.resolving.authorities import load_authorities
from cwgraph.resolving.evidence import EVIDENCE_COLUMNS, EVIDENCE_HOSTS, coordinates, evidence_problem, isbn_valid
from cwgraph.building.pipeline import BuildResult

ROOT = Path(__file__).resolve().parents[1]
AUTHORITIES = ROOT / "source" / "authorities"
HEADER = "id\tlabel\tvariants\tqid\tqid_evidence\tdescription\tnote\twithin\tqid_evidence_note\tgeonames\tlat\tlong\tgeo_evidence_url\tgeo_evidence_note\n"


def _rows() -> list[tuple[str, int, dict[str, str]]]:
    rows = []
    for path in sorted(AUTHORITIES.glob("*.tsv")):
        lines = [line for line in path.read_text("utf-8").splitlines()]
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        for number, row in enumerate(reader, start=2):
            if not row.get("id", "").startswith("#"):
                rows.append((path.name, number, row))
    return rows


def test_every_evidence_column_names_an_accepted_host() -> None:
    """No staging copy of the archive, no pirated-book site, no host we have not vetted."""
    bad = []
    seen = 0
    for name, number, row in _rows():
        for column in EVIDENCE_COLUMNS:
            value = (row.get(column) or "").strip()
            if value:
                seen += 1
                if why := evidence_problem(value):
                    bad.append(f"{name}#L{number} {column}: {why}")
    assert seen > 50
    assert bad == []


def test_archive_links_use_the_canonical_host() -> None:
    for name, number, row in _rows():
        for value in row.values():
            assert "dvincitest" not in (value or "") and "drivingcreative" not in (value or ""), f"{name}#L{number}"
            assert "bibliboba" not in (value or ""), f"{name}#L{number}"


@pytest.mark.parametrize("url", [
    "https://wilson-center-digital-archive.dvincitest.com/node/89884",
    "https://wilson-center.drivingcreative.com/search?f=1",
    "https://user.bibliboba.online/books/x/p/84",
    "https://example.org/qids.html",
    "http://digitalarchive.wilsoncenter.org.evil.example/document/1",
    "not a url",
    "urn:isbn:5-699-18874-7",
])
def test_refused_evidence(url: str) -> None:
    assert evidence_problem(url)


@pytest.mark.parametrize("url", [
    "https://digitalarchive.wilsoncenter.org/document/121773",
    "https://www.wikidata.org/wiki/Q855",
    "https://www.geonames.org/524901/",
    "https://github.com/nvkelso/natural-earth-vector/blob/6a9da465f6f05b9936e34340d6a81a00f79ac1a2/geojson/ne_50m_populated_places.geojson",
    "urn:isbn:5-699-18874-6",
])
def test_accepted_evidence(url: str) -> None:
    assert evidence_problem(url) is None


def test_staging_hosts_are_refused_with_the_canonical_host_named() -> None:
    why = evidence_problem("https://wilson-center-digital-archive.dvincitest.com/node/89884") or ""
    assert "staging" in why and "digitalarchive.wilsoncenter.org" in why
    assert "pirated" in (evidence_problem("https://user.bibliboba.online/books/a/p/1") or "")
    assert "digitalarchive.wilsoncenter.org" in EVIDENCE_HOSTS


def test_isbn_and_coordinates_are_checked() -> None:
    assert isbn_valid("5-699-18874-6") and isbn_valid("978-0-306-40615-7") and not isbn_valid("978-0-306-40615-6")
    assert coordinates("55.75411", "37.613577") == (55.75411, 37.613577)
    assert coordinates("95", "37") is None and coordinates("55", "") is None and coordinates("x", "1") is None


def _load(tmp_path: Path, rows: str, filename: str = "places.tsv") -> object:
    folder = tmp_path / "source" / "authorities"
    folder.mkdir(parents=True)
    (folder / filename).write_text(HEADER + rows, "utf-8")
    return load_authorities(folder, tmp_path)


def test_a_qid_on_an_unaccepted_host_is_dropped_and_reported(tmp_path: Path) -> None:
    auth = _load(tmp_path, "moscow\tMoscow\t\tQ649\thttps://wilson-center.drivingcreative.com/x\t\t\t\t\t\t\t\t\t\n")
    assert auth.get("moscow").qid is None  # type: ignore[attr-defined]
    [problem] = [p for p in auth.problems if "places.tsv" in str(p.location)]  # type: ignore[attr-defined]
    assert "Q649" in problem.message and "staging" in problem.message and problem.location.line == 2


def test_geonames_and_coordinates_need_evidence(tmp_path: Path) -> None:
    rows = ("a\tA\t\t\t\t\t\t\t\t524901\t55.7\t37.6\t\t\n"
            "b\tB\t\t\t\t\t\t\t\t524901\t55.7\t37.6\thttps://example.org/x\t\n"
            "c\tC\t\t\t\t\t\t\t\t52x\t95\t37.6\thttps://www.geonames.org/524901/\t\n"
            "d\tD\t\t\t\t\t\t\t\t524901\t55.75411\t37.613577\thttps://www.geonames.org/524901/\tGeoNames: Moscow\n")
    auth = _load(tmp_path, rows)
    a, b, c, d = (auth.get(x) for x in "abcd")  # type: ignore[attr-defined]
    assert (a.geonames, a.coords, b.geonames, b.coords) == (None, None, None, None)
    assert c.geonames is None and c.coords is None
    assert (d.geonames, d.coords, d.geo_evidence_note) == ("524901", (55.75411, 37.613577), "GeoNames: Moscow")
    lines = sorted(p.location.line for p in auth.problems if "places.tsv" in str(p.location))  # type: ignore[attr-defined]
    assert lines == [2, 3, 4]


def test_old_files_without_the_new_columns_still_load(tmp_path: Path) -> None:
    folder = tmp_path / "source" / "authorities"
    folder.mkdir(parents=True)
    (folder / "persons.tsv").write_text(
        "id\tlabel\tvariants\tqid\tqid_evidence\tdescription\tnote\n"
        "joseph-stalin\tJoseph Stalin\tStalin\tQ855\thttps://www.wikidata.org/wiki/Q855\t\t\n", "utf-8")
    auth = load_authorities(folder, tmp_path)
    assert [p for p in auth.problems if "persons.tsv" in str(p.location)] == []  # type: ignore[attr-defined]
    assert auth.get("joseph-stalin").qid == "Q855"  # type: ignore[union-attr]


def _store(out: Path) -> ox.Store:
    store = ox.Store()
    store.load(gzip.open(out / "cwgraph.nt.gz").read(), format=ox.RdfFormat.N_TRIPLES)
    return store


def test_links_are_identity_and_evidence_is_provenance(built: tuple[BuildResult, Path]) -> None:
    store = _store(built[1])
    q = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#>
    SELECT ?wd ?gn ?lat ?ev ?gev ?note WHERE {
      <https://w3id.org/cwgraph/place/moscow> skos:exactMatch ?wd ; skos:closeMatch ?gn ; wgs:lat ?lat .
      ?s rdf:subject <https://w3id.org/cwgraph/place/moscow> ; rdf:predicate skos:exactMatch ; rdf:object ?wd ;
         a rdf:Statement ; prov:wasDerivedFrom ?ev .
      ?g rdf:subject <https://w3id.org/cwgraph/place/moscow> ; rdf:predicate skos:closeMatch ; rdf:object ?gn ;
         prov:wasDerivedFrom ?gev ; rdfs:comment ?note .
    }"""
    q = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + q
    [row] = list(store.query(q))
    assert row["wd"].value == "http://www.wikidata.org/entity/Q649"
    assert row["gn"].value == "https://sws.geonames.org/524901/"
    assert float(row["lat"].value) == pytest.approx(55.75411)
    assert evidence_problem(row["ev"].value) is None and evidence_problem(row["gev"].value) is None
    assert "GEONAMESID 524901" in row["note"].value


def test_every_published_link_has_its_evidence_in_the_report(built: tuple[BuildResult, Path]) -> None:
    rows = list(csv.DictReader((built[1] / "reports" / "authority-links.tsv").open(encoding="utf-8"), delimiter="\t"))
    assert {r["link"] for r in rows} == {"wikidata", "geonames", "coordinates"}
    assert all(r["evidence_url"] and evidence_problem(r["evidence_url"]) is None for r in rows)
    store = _store(built[1])
    count = ("SELECT (COUNT(*) AS ?n) WHERE { ?e <http://www.w3.org/2004/02/skos/core#exactMatch> ?wd "
             'FILTER(STRSTARTS(STR(?wd), "http://www.wikidata.org/entity/")) }')
    assert int(next(iter(store.query(count)))["n"].value) == sum(r["link"] == "wikidata" for r in rows)


def test_authority_links_query_measures_the_linked_share(built: tuple[BuildResult, Path]) -> None:
    from cwgraph.querying.queries import run_query

    result = run_query("authority-links", {"min_documents": "2"}, data=built[1])
    rows = [dict(zip(result.columns, row)) for row in result.rows]
    by_iri = {r["entity"]: r for r in rows}
    assert all(int(r["documents"]) >= 2 for r in rows)
    stalin = by_iri["https://w3id.org/cwgraph/person/joseph-stalin"]
    assert stalin["wikidata"] == "http://www.wikidata.org/entity/Q855" and stalin["wikidata_evidence"]
    moscow = by_iri["https://w3id.org/cwgraph/place/moscow"]
    assert moscow["geonames"] == "https://sws.geonames.org/524901/" and moscow["geo_evidence"]
    assert by_iri["https://w3id.org/cwgraph/person/zhou-enlai"]["wikidata"] in (None, "")
    assert all(r["wikidata_evidence"] for r in rows if r["wikidata"])
    searched = {r["id"] for r in csv.DictReader((built[1] / "reports" / "reconciliation.tsv").open(encoding="utf-8"),
                                                 delimiter="\t") if r["searched"]}
    unlinked = {r["entity"].rsplit("/", 1)[-1] for r in rows if not r["wikidata"]}
    assert unlinked <= searched, "every entity in two or more documents has a link or a searched note"


def test_unlinked_entities_say_what_was_searched(built: tuple[BuildResult, Path]) -> None:
    rows = list(csv.DictReader((built[1] / "reports" / "reconciliation.tsv").open(encoding="utf-8"), delimiter="\t"))
    by_id = {r["id"]: r for r in rows if r["status"] == "no-wikidata-link"}
    assert "no verifiable source" in by_id["zhou-enlai"]["searched"]
    assert "Q45400" in by_id["port-arthur"]["searched"]
