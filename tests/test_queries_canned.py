"""What the canned queries answer: on a small graph written to docs/model.md, and on the release.

The small graph holds the cases a historian worries about: a document dated only "February
1950", one dated to the day, one with a range, one undated, a message relayed under a cover
name, a conversation during a visit, and names no authority knows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cwgraph.querying.queries import load_queries, run_query

MODEL = """\
@prefix crm: <http://www.cidoc-crm.org/cidoc-crm/> .
@prefix cw: <https://w3id.org/cwgraph/vocab#> .
@prefix cwd: <https://w3id.org/cwgraph/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

cwd:person\\/stalin a crm:E21_Person ; rdfs:label "Joseph Stalin" ; skos:prefLabel "Joseph Stalin" ;
  skos:altLabel "Filippov (as written)" ; skos:exactMatch <http://www.wikidata.org/entity/Q855> .
cwd:person\\/mao a crm:E21_Person ; rdfs:label "Mao Zedong" .
cwd:person\\/orlov a crm:E21_Person ; rdfs:label "Andrei Orlov" .
cwd:person\\/mikoyan a crm:E21_Person ; rdfs:label "Anastas Mikoyan" .
cwd:actor\\/pak a crm:E39_Actor ; rdfs:label "Pak Heon-yeong" ; cw:awaitingReconciliation true ;
  cw:sourceRecord "source/listings/p.txt#L3" .
cwd:place\\/unresolved-xibaipo a crm:E53_Place ; rdfs:label "Xibaipo" ; cw:awaitingReconciliation true ;
  cw:sourceRecord "source/listings/p.txt#L9" .
cwd:place\\/moscow a crm:E53_Place ; rdfs:label "Moscow" .
cwd:place\\/beijing a crm:E53_Place ; rdfs:label "Beijing" .
cwd:name\\/terebin a crm:E33_E41_Linguistic_Appellation ; rdfs:label "Terebin" .
cwd:name\\/terebin\\/assignment crm:P141_assigned cwd:name\\/terebin ; crm:P140_assigned_attribute_to cwd:person\\/orlov ;
  crm:P16_used_specific_object cwd:document\\/feb .

cwd:event\\/visit a crm:E7_Activity ; rdfs:label "Mao's visit to Moscow" ;
  crm:P14_carried_out_by cwd:person\\/stalin, cwd:person\\/mao ; crm:P4_has_time-span cwd:event\\/visit\\/time .
cwd:event\\/visit\\/time a crm:E52_Time-Span ; cw:edtf "1949-12-16/1950-02-17" ;
  crm:P82a_begin_of_the_begin "1949-12-16T00:00:00"^^xsd:dateTime ; crm:P82b_end_of_the_end "1950-02-17T23:59:59"^^xsd:dateTime .

# "February 1950": Stalin to Mao through Orlov, who signs as Terebin
cwd:document\\/feb a crm:E31_Document ; dcterms:title "Cable, Stalin to Mao Zedong [via Terebin]" ;
  cw:sender cwd:person\\/stalin ; cw:recipient cwd:person\\/mao ; cw:intermediary cwd:person\\/orlov ;
  cw:edtf "1950-02" ; cw:dateBegin "1950-02-01T00:00:00"^^xsd:dateTime ; cw:dateEnd "1950-02-28T23:59:59"^^xsd:dateTime ;
  crm:P70_documents cwd:document\\/feb\\/communication .
cwd:document\\/feb\\/communication crm:P9_consists_of cwd:document\\/feb\\/communication\\/transmission .
cwd:document\\/feb\\/communication\\/transmission\\/actor\\/orlov a crm:PC14_carried_out_by ;
  crm:P01_has_domain cwd:document\\/feb\\/communication\\/transmission ; crm:P02_has_range cwd:person\\/orlov ;
  cw:nameAsWritten "Terebin" ; cw:coverNameAsWritten "Terebin" ; cw:usedAppellation cwd:name\\/terebin .

# 15 February 1950: a conversation in Moscow during the visit
cwd:document\\/talk a crm:E31_Document ; dcterms:title "Record of Conversation, Stalin and Mao" ;
  cw:participant cwd:person\\/stalin, cwd:person\\/mao ; cw:about cwd:event\\/visit ;
  cw:edtf "1950-02-15" ; cw:dateBegin "1950-02-15T00:00:00"^^xsd:dateTime ; cw:dateEnd "1950-02-15T23:59:59"^^xsd:dateTime ;
  crm:P70_documents cwd:document\\/talk\\/conversation .
cwd:document\\/talk\\/conversation crm:P7_took_place_at cwd:place\\/moscow .

# 25 February 1950: to an unknown recipient; Beijing mentioned
cwd:document\\/late a crm:E31_Document ; dcterms:title "Letter, Mao Zedong to Pak Heon-yeong" ;
  cw:sender cwd:person\\/mao ; cw:recipient cwd:actor\\/pak ; crm:P67_refers_to cwd:place\\/beijing ;
  dcterms:description "About the railway to Beijing." ;
  cw:edtf "1950-02-25" ; cw:dateBegin "1950-02-25T00:00:00"^^xsd:dateTime ; cw:dateEnd "1950-02-25T23:59:59"^^xsd:dateTime ;
  crm:P70_documents cwd:document\\/late\\/communication .
cwd:document\\/late\\/communication crm:P9_consists_of cwd:document\\/late\\/communication\\/receipt .
cwd:document\\/late\\/communication\\/receipt\\/actor\\/pak crm:P01_has_domain cwd:document\\/late\\/communication\\/receipt ;
  crm:P02_has_range cwd:actor\\/pak ; cw:nameAsWritten "Pak Heon-yeong" .

# 5-12 February 1950: a range that starts before the period asked for; an unknown place
cwd:document\\/range a crm:E31_Document ; dcterms:title "Notes by Mikoyan" ; cw:author cwd:person\\/mikoyan ;
  crm:P67_refers_to cwd:place\\/unresolved-xibaipo ;
  cw:edtf "1950-02-05/1950-02-12" ; cw:dateBegin "1950-02-05T00:00:00"^^xsd:dateTime ; cw:dateEnd "1950-02-12T23:59:59"^^xsd:dateTime .

# undated
cwd:document\\/undated a crm:E31_Document ; dcterms:title "Cable, Stalin to Mao Zedong [undated]" ;
  cw:sender cwd:person\\/stalin ; cw:recipient cwd:person\\/mao .
"""

DOC = "https://w3id.org/cwgraph/document/"


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("model") / "model.ttl"
    path.write_text(MODEL, "utf-8")
    return path


def rows(query_name: str, data: Path, /, **params: str) -> list[dict[str, str]]:
    result = run_query(query_name, params, data=data)
    return [dict(zip(result.columns, row)) for row in result.rows]


def docs(found: list[dict[str, str]]) -> list[str]:
    return [r["document"].removeprefix(DOC) for r in found]


# --- between: imprecise dates handled honestly --------------------------------------------------------

def test_between_overlap_lists_every_document_that_may_fall_in_the_range(model: Path) -> None:
    found = rows("between", model, **{"from": "1950-02-10", "to": "1950-02-20"})
    assert docs(found) == ["feb", "range", "talk"]  # by begin date; never the undated one nor 25 February
    assert {r["document"].removeprefix(DOC): r["fit"] for r in found} == {
        "feb": "overlaps", "range": "overlaps", "talk": "within"}


def test_between_within_lists_only_documents_entirely_inside(model: Path) -> None:
    found = rows("between", model, **{"from": "1950-02-10", "to": "1950-02-20", "match": "within"})
    assert docs(found) == ["talk"]  # "February 1950" overlaps 10-20 February but is not within it


def test_between_takes_printed_dates_as_their_full_extent(model: Path) -> None:
    found = rows("between", model, **{"from": "February 1950", "to": "February 1950", "match": "within"})
    assert docs(found) == ["feb", "range", "talk", "late"]
    assert all(r["fit"] == "within" for r in found)


def test_between_bounds_are_inclusive(model: Path) -> None:
    assert docs(rows("between", model, **{"from": "1950-02-15", "to": "1950-02-15", "match": "within"})) == ["talk"]
    assert docs(rows("between", model, **{"from": "1950-02-28", "to": "1950-03-31"})) == ["feb"]
    assert rows("between", model, **{"from": "1950-03-01", "to": "1950-12-31"}) == []


# --- the other historian's queries ---------------------------------------------------------------------

def test_person_timeline(model: Path) -> None:
    found = rows("person-timeline", model, person="stalin")
    assert [(r["kind"], r["item"].rsplit("/", 1)[-1], r["roles"]) for r in found] == [
        ("document", "undated", "sender"),
        ("event", "visit", "carried out"),
        ("document", "feb", "sender"),
        ("document", "talk", "participant"),
    ]
    feb = found[2]
    assert feb["with"] == "Andrei Orlov | Mao Zedong" and feb["date"] == "1950-02"
    assert found[0]["date_begin"] == ""  # undated first, with empty cells, not shifted columns


def test_person_timeline_relayed_and_authored(model: Path) -> None:
    orlov = rows("person-timeline", model, person="orlov")
    assert [(r["roles"], r["cover_names"]) for r in orlov] == [("intermediary", "Terebin")]
    mikoyan = rows("person-timeline", model, person="cwd:person/mikoyan")
    assert [r["roles"] for r in mikoyan] == ["author"]


def test_intermediaries(model: Path) -> None:
    found = rows("intermediaries", model)
    assert found == [{"intermediary": "Andrei Orlov", "sender": "Joseph Stalin", "recipient": "Mao Zedong",
                      "documents": "1", "first": "1950-02-01T00:00:00", "last": "1950-02-28T23:59:59",
                      "acting_as": "Terebin"}]


def test_mentions(model: Path) -> None:
    assert [(r["document"].removeprefix(DOC), r["how_referred"]) for r in rows("mentions", model, place="moscow")] \
        == [("talk", "took place at")]
    assert [(r["document"].removeprefix(DOC), r["how_referred"]) for r in rows("mentions", model, place="beijing")] \
        == [("late", "mentioned")]
    assert [r["document"].removeprefix(DOC) for r in rows("mentions", model, event="visit")] == ["talk"]
    both = rows("mentions", model, place="beijing", event="visit")
    assert sorted(r["document"].removeprefix(DOC) for r in both) == ["late", "talk"]
    everything = rows("mentions", model)
    assert {r["target_label"] for r in everything} == {"Beijing", "Moscow", "Mao's visit to Moscow", "Xibaipo"}


def test_unresolved(model: Path) -> None:
    found = {r["label"]: r for r in rows("unresolved", model)}
    assert set(found) == {"Pak Heon-yeong", "Xibaipo"}
    pak = found["Pak Heon-yeong"]
    assert (pak["kinds"], pak["names_as_written"], pak["documents"], pak["document_iris"], pak["sources"]) == (
        "actor", "Pak Heon-yeong", "1", DOC + "late", "source/listings/p.txt#L3")
    assert (found["Xibaipo"]["kinds"], found["Xibaipo"]["document_iris"]) == ("place", DOC + "range")


def test_lookup_and_search(model: Path) -> None:
    assert [(r["kind"], r["label"]) for r in rows("lookup", model, name="FILIPPOV")] == [("person", "Joseph Stalin")]
    assert [(r["kind"], r["label"]) for r in rows("lookup", model, name="terebin")] == [("cover name", "Terebin")]
    assert [(r["document"].removeprefix(DOC), r["found_in"]) for r in rows("search", model, text="RAILWAY")] == [
        ("late", "summary")]


# --- on the release ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_canned_query_answers_on_the_release(name: str, root: Path) -> None:
    query = load_queries()[name]
    for params in query.examples or ({},):
        result = run_query(name, dict(params), data=root / "dist")
        assert result.rows, f"{name} {params} returns nothing on the release"
        assert all(len(row) == len(result.columns) for row in result.rows)


def test_between_on_the_release_february_1950(root: Path) -> None:
    period = {"from": "1950-02-10", "to": "1950-02-20"}
    overlap = {r["document"]: r for r in rows("between", root / "dist", **period)}
    within = {r["document"] for r in rows("between", root / "dist", **period, match="within")}
    assert within <= set(overlap)
    assert within == {d for d, r in overlap.items() if r["fit"] == "within"}
    months = {d for d, r in overlap.items() if r["date"] == "1950-02"}
    assert months and not months & within


def test_readme_documents_every_canned_query(root: Path) -> None:
    readme = (root / "README.md").read_text("utf-8")
    for name in load_queries():
        assert f"`{name}`" in readme or f"cwgraph query {name}" in readme, f"README does not mention {name}"
    assert "cwgraph load" in readme
