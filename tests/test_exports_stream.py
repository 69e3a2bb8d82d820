"""Exports written from chunks, as a build writes them, are the bytes of the exports of the whole graph.

A release's dump is cut into its documents (a document with its parts) and the lines
outside them; the documents are shuffled into chunks, each chunk goes through
``chunk_exports`` and into a letter run, and ``write_exports_from_runs`` writes the
exports from the runs. Every file must equal what ``write_exports`` writes from the
whole graph, however the documents were chunked. The streaming writers are also held
against the libraries they stand in for: networkx (GEXF, GraphML) and lxml (CMIF).
"""

from __future__ import annotations

import gzip
import json
import pickle
import random
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from gexf13 import read_gexf, schema_errors

from cwgraph import __version__
from cwgraph.core.config import BASE_IRI
from cwgraph.exports import (
    EXPORT_FILES,
    chunk_exports,
    merge_letter_runs,
    read_letter_run,
    write_exports,
    write_exports_from_runs,
)
from cwgraph.exports.chunks import LETTERS, UnsortedLines, document_chunks
from cwgraph.exports.cmif import CmifWriter, _serialise, cmif_document
from cwgraph.core.errors import Location
from cwgraph.core.namespaces import PREFIXES
from cwgraph.core.records import Record
from cwgraph.core.terms import from_ox
from cwgraph.exports.letters import Letter, Names, Party, Place, document_counts, letter_skeletons, read_letters
from cwgraph.mapping.record import map_record
from cwgraph.mapping.rows import LetterSkeleton, document_rows
from cwgraph.exports.network import Network
from cwgraph.core.runs import merge_runs, reduce_runs
from cwgraph.building.pipeline import build
from cwgraph.stores.embedded import open_store

ROOT = Path(__file__).resolve().parents[1]
GENERATE = ROOT / "bench" / "generate.py"
ARGS = ["--records", "300", "--seed", "11", "--bad-share", "0.06", "--curated-share", "0.3", "--persons", "150"]
DOCUMENT = re.compile(rf"^<{re.escape(BASE_IRI)}document/([^/>]+)[/>]")


def _reference(source: Path, release: Path) -> Path:
    """A copy of ``source`` with the exports ``write_exports`` writes from the whole graph."""
    shutil.copytree(source, release, ignore=shutil.ignore_patterns(*EXPORT_FILES, "beacon"))
    write_exports(release)
    return release


@pytest.fixture(scope="module")
def collection(built, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    return _reference(built[1], tmp_path_factory.mktemp("collection") / "dist")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    subprocess.run([sys.executable, str(GENERATE), "--out", str(folder / "src"), "--quiet", *ARGS],
                   check=True, timeout=300)
    result = build([folder / "src" / "listings", folder / "src" / "records"], folder / "built",
                   folder / "src" / "authorities", validate=False)
    assert result.published > 250
    return _reference(folder / "built", folder / "dist")


@pytest.fixture(params=["collection", "generated"])
def release(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(request.param)


def split_dump(release: Path) -> tuple[dict[str, list[str]], list[str]]:
    """The dump's lines by document key (a document and its parts), and the lines outside the documents."""
    documents: dict[str, list[str]] = defaultdict(list)
    outside: list[str] = []
    with gzip.open(release / "cwgraph.nt.gz", "rt", encoding="utf-8", newline="\n") as f:
        for line in f:
            match = DOCUMENT.match(line)
            (documents[match[1]] if match else outside).append(line)
    return documents, outside


def chunked(documents: dict[str, list[str]], n: int, seed: int) -> list[list[str]]:
    """The documents shuffled into ``n`` chunks, each chunk's lines sorted (as a build's run is)."""
    keys = sorted(documents)
    random.Random(seed).shuffle(keys)
    return [sorted(line for key in keys[i::n] for line in documents[key]) for i in range(n)]


def letter_runs(chunks: list[list[str]], folder: Path) -> tuple[list[Path], dict[str, int]]:
    """What the workers leave: one letter run a chunk (in a shuffled order), and the summed counts."""
    folder.mkdir(parents=True, exist_ok=True)
    runs, counts = [], Counter()
    for index, lines in enumerate(chunks):
        exports = chunk_exports(lines)
        runs.append(exports.write_letters(folder / f"letters-{index:06d}.jsonl"))
        counts.update(exports.counts)
    return runs, dict(counts)


def assert_same_exports(expected: Path, actual: Path) -> None:
    for name in EXPORT_FILES:
        assert (actual / name).read_bytes() == (expected / name).read_bytes(), name


@pytest.mark.parametrize("n", [3, 7])
def test_exports_from_shuffled_chunks_are_the_exports_of_the_whole_graph(release: Path, n: int,
                                                                          tmp_path: Path) -> None:
    documents, outside = split_dump(release)
    runs, counts = letter_runs(chunked(documents, n, seed=n), tmp_path / "work")
    out = tmp_path / "dist"
    shutil.copytree(release, out, ignore=shutil.ignore_patterns(*EXPORT_FILES, "beacon"))
    written = write_exports_from_runs(out, runs, outside, counts)
    assert sorted(p.relative_to(out).as_posix() for p in written) == sorted(EXPORT_FILES)
    assert_same_exports(release, out)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")], "scratch files left behind"


def test_the_chunking_does_not_change_the_letters_or_the_counts(release: Path, tmp_path: Path) -> None:
    documents, _ = split_dump(release)
    seen = []
    for n in (1, 2, 7, len(documents)):
        runs, counts = letter_runs(chunked(documents, n, seed=100 + n), tmp_path / str(n))
        seen.append(([json.dumps(s.to_json()) for s in merge_letter_runs(runs)], counts))
    assert all(s == seen[0] for s in seen[1:])
    letters, counts = seen[0]
    assert len(letters) >= 40 and counts
    assert letters == sorted(letters, key=lambda s: (json.loads(s)[4] or "9999", json.loads(s)[0]))


def test_the_letters_are_those_of_the_whole_store(collection: Path, tmp_path: Path) -> None:
    documents, outside = split_dump(collection)
    runs, _ = letter_runs(chunked(documents, 5, seed=5), tmp_path)
    store = open_store(collection)
    names_store = ox.Store()
    names_store.bulk_load("".join(outside).encode(), format=ox.RdfFormat.N_TRIPLES)
    names = Names.from_store(names_store)
    assert [names.letter(s) for s in merge_letter_runs(runs)] == read_letters(store)
    first = read_letters(store)[0]
    assert first.senders[0].label == "Joseph Stalin" and first.senders[0].cover_label == "Kuznetsov"


def test_a_letter_run_is_plain_sorted_json_lines(collection: Path, tmp_path: Path) -> None:
    documents, _ = split_dump(collection)
    exports = chunk_exports(sorted(line for lines in documents.values() for line in lines))
    assert pickle.loads(pickle.dumps(exports)) == exports  # it comes back from a worker process
    run = exports.write_letters(tmp_path / "letters-000000.jsonl")
    lines = run.read_text("utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(exports.letters)
    begin, iri, body = lines[0].split("\t")
    assert (begin, iri) == exports.letters[0].sort_key and json.loads(body)[0] == iri
    assert list(read_letter_run(run)) == exports.letters
    assert exports.counts[f"{BASE_IRI}person/joseph-stalin"] > 5


def test_many_runs_are_merged_a_few_at_a_time(collection: Path, tmp_path: Path) -> None:
    documents, _ = split_dump(collection)
    runs, _ = letter_runs(chunked(documents, 20, seed=20), tmp_path / "runs")
    (tmp_path / "merged").mkdir()
    fewer = reduce_runs(runs, tmp_path / "merged", "letters", fan_in=3)
    assert len(fewer) == 3 and all(run.is_file() for run in runs)
    assert list(merge_runs(fewer)) == list(merge_runs(runs))
    assert len(list(merge_runs(fewer))) == sum(1 for run in runs for _ in read_letter_run(run))
    # merged as letters (by their sort keys) or as lines, the order is the same
    letters = list(merge_letter_runs(runs))
    assert [letter.iri for letter in letters] == [line.split("\t", 2)[1] for line in merge_runs(runs)]
    typed = reduce_runs(runs, tmp_path / "merged", "typed", 4, LETTERS)
    assert len(typed) == 2 and list(merge_runs(typed, LETTERS)) == letters


# -- letter rows: one function for the build, a dump and a store -------------------------------------
# The SPARQL the rows were first read with, kept as the oracle: rows.document_rows walks the same paths.
_PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
_ORACLE_DOCS = """SELECT ?doc ?title ?type ?edtf ?begin ?end WHERE {
  ?doc a crm:E31_Document . FILTER EXISTS { ?doc cw:sender|cw:recipient ?someone }
  OPTIONAL { ?doc dcterms:title ?title } OPTIONAL { ?doc crm:P2_has_type ?type } OPTIONAL { ?doc cw:edtf ?edtf }
  OPTIONAL { ?doc cw:dateBegin ?begin } OPTIONAL { ?doc cw:dateEnd ?end } }"""
_ORACLE_PARTIES = """SELECT ?doc ?role ?actor ?written ?cover WHERE {
  ?doc crm:P70_documents ?act . ?act crm:P9_consists_of ?part .
  ?node crm:P01_has_domain ?part ; crm:P02_has_range ?actor ; crm:P14.1_in_the_role_of ?roleType .
  FILTER NOT EXISTS { ?act crm:P2_has_type ?actType FILTER(STRENDS(STR(?actType), "/type/conveyed-message")) }
  BIND(STRAFTER(STR(?roleType), "/role/") AS ?role)
  OPTIONAL { ?node cw:nameAsWritten ?written } OPTIONAL { ?node cw:usedAppellation ?cover } }"""
_ORACLE_PLACES = """SELECT ?doc ?place ?part WHERE {
  { ?doc crm:P70_documents/crm:P7_took_place_at ?place } UNION
  { ?doc crm:P70_documents/crm:P9_consists_of ?node . ?node crm:P7_took_place_at ?place ; crm:P2_has_type ?t .
    BIND(STRAFTER(STR(?t), "/type/") AS ?part) FILTER(?part IN ("sending", "receipt")) } }"""
_ORACLE_DATES = "SELECT ?doc ?label WHERE { ?doc crm:P70_documents/crm:P4_has_time-span/rdfs:label ?label }"
_ORACLE_PAGES = "SELECT ?doc ?page WHERE { ?doc a crm:E31_Document ; foaf:page ?page }"
_ORACLE_COUNTS = f"""SELECT ?e (COUNT(DISTINCT ?doc) AS ?n) WHERE {{
  ?doc a crm:E31_Document ; ?p ?e . FILTER(isIRI(?e) && STRSTARTS(STR(?e), "{BASE_IRI}"))
  VALUES ?p {{ cw:sender cw:recipient cw:intermediary cw:participant cw:author crm:P67_refers_to dcterms:spatial
              cw:about }} }} GROUP BY ?e"""


def _rows(store: ox.Store, query: str) -> list[dict[str, str | None]]:
    result = store.query(_PROLOGUE + query)
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in result]


def _oracle(store: ox.Store) -> tuple[list[LetterSkeleton], dict[str, int]]:
    """The letter rows and counts as the SPARQL above reads them."""
    docs: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in _rows(store, _ORACLE_DOCS):
        for name in ("title", "type", "edtf", "begin", "end"):
            if row[name] is not None:
                docs[row["doc"]][name].add(row[name])
        docs[row["doc"]]  # noqa: B018  (a letter without any of them is still a letter)
    parties: dict[str, dict[tuple[str, str], set]] = defaultdict(lambda: defaultdict(set))
    for row in _rows(store, _ORACLE_PARTIES):
        if row["doc"] in docs and row["role"] in ("sender", "recipient", "intermediary"):
            parties[row["doc"]][(row["role"], row["actor"])].add((row["written"], row["cover"]))
    places: dict[str, set[str]] = defaultdict(set)
    received: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, _ORACLE_PLACES):
        (received if row["part"] == "receipt" else places)[row["doc"]].add(row["place"])
    dates: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, _ORACLE_DATES):
        dates[row["doc"]].add(row["label"])
    pages: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, _ORACLE_PAGES):
        pages[row["doc"]].add(row["page"])
    least = lambda values: min(values) if values else None  # noqa: E731
    letters = [LetterSkeleton(
        iri, least(d["title"]) or iri, sorted(d["type"]), least(d["edtf"]), least(d["begin"]), least(d["end"]),
        least(dates[iri]), sorted(pages[iri]),
        [(role, actor, sorted(o, key=lambda o: (o[0] or "", o[1] or "", o[0] is None, o[1] is None)))
         for (role, actor), o in sorted(parties[iri].items())], sorted(places[iri]), sorted(received[iri]))
        for iri, d in docs.items()]
    counts = {r["e"]: int(r["n"]) for r in _rows(store, _ORACLE_COUNTS)}
    return sorted(letters, key=lambda s: s.sort_key), counts


def test_the_rows_walk_the_paths_the_sparql_reads(release: Path) -> None:
    store = open_store(release)
    letters, counts = _oracle(store)
    assert len(letters) >= 40 and any(p for s in letters for _, _, options in s.parties for _, p in options)
    assert letter_skeletons(store) == letters
    assert document_counts(store) == counts


def test_a_build_reads_the_rows_its_dump_gives(generated: Path) -> None:
    """The build takes each letter row from map_record; the exports written from its dump read them
    from the triples: the files are the same."""
    assert_same_exports(generated, generated.parent / "built")


def _triples(turtle: str) -> list[tuple]:
    store = ox.Store()
    store.load(turtle.encode(), format=ox.RdfFormat.TURTLE, base_iri=BASE_IRI)
    return [(q.subject.value, q.predicate.value, from_ox(q.object)) for q in store]


_LETTER = """@prefix crm: <http://www.cidoc-crm.org/cidoc-crm/> . @prefix cw: <https://w3id.org/cwgraph/vocab#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<document/1> a crm:E31_Document ; dcterms:title "B title", "A title" ; cw:sender <person/a> ; cw:dateBegin "x" ;
  crm:P70_documents <document/1/communication>, <document/1/communication/conveyed-1> ;
  dcterms:spatial <place/moscow>, <http://example.org/elsewhere> .
<document/1/communication> crm:P9_consists_of <document/1/communication/sending>,
  <document/1/communication/receipt> ; crm:P4_has_time-span <document/1/communication/time> .
<document/1/communication/time> rdfs:label "December 1949" .
<document/1/communication/sending> crm:P2_has_type <type/sending> ; crm:P7_took_place_at <place/moscow> .
<document/1/communication/receipt> crm:P2_has_type <type/receipt> ; crm:P7_took_place_at <place/beijing> .
<document/1/communication/sending/actor/a> crm:P01_has_domain <document/1/communication/sending> ;
  crm:P02_has_range <person/a> ; crm:P14.1_in_the_role_of <type/role/sender> ;
  cw:nameAsWritten "Stalin", "I. Stalin" ; cw:usedAppellation <cover/kuznetsov> .
<document/1/communication/conveyed-1> crm:P2_has_type <type/conveyed-message> ;
  crm:P9_consists_of <document/1/communication/conveyed-1/sending> .
<document/1/communication/conveyed-1/sending/actor/b> crm:P01_has_domain <document/1/communication/conveyed-1/sending> ;
  crm:P02_has_range <person/b> ; crm:P14.1_in_the_role_of <type/role/sender> .
<document/2> a crm:E31_Document ; cw:participant <person/a> ; crm:P67_refers_to <place/moscow> .
"""


def test_a_letter_row_takes_the_least_and_leaves_conveyed_parties_out() -> None:
    rows = document_rows(_triples(_LETTER))
    [letter] = rows.letters  # document 2 has no sender or recipient: counted, but no letter
    assert letter.iri == f"{BASE_IRI}document/1" and letter.title == "A title" and letter.date_label == "December 1949"
    assert letter.parties == [("sender", f"{BASE_IRI}person/a", [("I. Stalin", f"{BASE_IRI}cover/kuznetsov"),
                                                                 ("Stalin", f"{BASE_IRI}cover/kuznetsov")])]
    assert (letter.places, letter.received_places) == ([f"{BASE_IRI}place/moscow"], [f"{BASE_IRI}place/beijing"])
    assert rows.counts == {f"{BASE_IRI}person/a": 2, f"{BASE_IRI}place/moscow": 2}


def test_map_record_gives_the_letter_row_of_its_own_triples(auth, resolver) -> None:  # type: ignore[no-untyped-def]
    record = Record(title="Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]", printed_date="January 2, 1950",
                    key="1", record_id="1", sources=[Location("x.jsonl", 1)])
    mapped = map_record(record, auth, resolver)
    rows = document_rows(mapped.triples.triples)
    assert mapped.letter == rows.letters[0] and mapped.counted == set(rows.counts)
    roles = {(role, actor.rsplit("/", 1)[1]) for role, actor, _ in mapped.letter.parties}
    assert roles == {("sender", "joseph-stalin"), ("recipient", "mao-zedong"), ("intermediary", "andrei-orlov")}
    assert f"{BASE_IRI}person/mao-zedong" in mapped.counted and not mapped.warnings


def test_a_release_is_cut_into_whole_documents() -> None:
    doc = f"<{BASE_IRI}document/"
    documents = {key: [f"{doc}{key}> <p> <o> .\n", f"{doc}{key}/a> <p> <o> .\n", f"{doc}{key}/a/b> <p> <o> .\n"]
                 for key in ("11", "110", "11a", "12", "2")}
    before, after = [f"<{BASE_IRI}actor/x> <p> <o> .\n"], [f"<{BASE_IRI}place/y> <p> <o> .\n", "_:b <p> <o> .\n"]
    lines = sorted(before + after + [line for ls in documents.values() for line in ls])
    for size in (1, 2, 3, 5, 10):
        outside: list[str] = []
        chunks = list(document_chunks(iter(lines), size, outside))
        assert sorted(outside) == sorted(before + after)
        assert sorted(line for chunk in chunks for line in chunk) == sorted(set(lines) - set(outside))
        for chunk in chunks:
            keys = {DOCUMENT.match(line)[1] for line in chunk}  # type: ignore[index]
            assert len(keys) <= size and all(set(documents[k]) <= set(chunk) for k in keys)
    with pytest.raises(UnsortedLines):
        list(document_chunks(reversed(lines), 2, []))


def test_write_exports_reads_an_unsorted_dump_and_a_store(collection: Path, tmp_path: Path) -> None:
    lines = gzip.decompress((collection / "cwgraph.nt.gz").read_bytes()).decode().splitlines(keepends=True)
    random.Random(1).shuffle(lines)
    (tmp_path / "shuffled.nt").write_text("".join(lines), encoding="utf-8")
    for graph in (tmp_path / "shuffled.nt", open_store(collection)):
        out = tmp_path / f"dist-{type(graph).__name__}"
        shutil.copytree(collection, out, ignore=shutil.ignore_patterns(*EXPORT_FILES, "beacon"))
        write_exports(out, graph)
        assert_same_exports(collection, out)


# --- the streaming writers against the libraries they stand in for ---------------------------------------

NAMES = ["Zhōu Ēnlái", 'A & B <c> "d"', "tab\there", "line\nbreak", "cr\rhere", "emoji 😀", "’quoted’", "x\u2028y",
         "nel\x85", "Ω > ω", "plain"]


def _letters(seed: int, count: int = 120, dated: bool = True) -> list[Letter]:
    rng = random.Random(seed)
    people = [Party(f"{BASE_IRI}{kind}/{kind[0]}{i}", rng.choice(NAMES) + f" {i}", kind,
                    rng.choice([None, f"http://www.wikidata.org/entity/Q{i}"]))
              for i, kind in enumerate(["person"] * 9 + ["group"] * 3 + ["actor"] * 2)]

    def parties(most: int) -> list[Party]:
        chosen = rng.sample(people, rng.randint(0, most))
        return sorted(Party(p.iri, p.label, p.kind, p.wikidata, rng.choice([None, *NAMES]),
                            *rng.choice([(None, None), (f"{BASE_IRI}name/n{p.iri[-1]}", rng.choice(NAMES))]))
                      for p in chosen)

    letters = []
    for i in range(count):
        begin = f"19{rng.randint(40, 60)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T00:00:00"
        begin = begin if dated and rng.random() < 0.8 else None
        letters.append(Letter(
            f"{BASE_IRI}document/k{i}", rng.choice(NAMES), rng.choice([None, "Cable", "Letter & Co"]),
            rng.choice([None, "1950-01", "1950?", "1950-01-1X"]), begin,
            rng.choice([None, begin.replace("T00:00:00", "T23:59:59")]) if begin else None,
            rng.choice([None, "January 1950", "c. 1950 <approx>"]), parties(3), parties(3), parties(2),
            sorted({Place(f"{BASE_IRI}place/pl{j}", rng.choice(NAMES), rng.choice([None, "http://www.wikidata.org/entity/Q1"]),
                          rng.choice([None, "524901"]))
                    for j in rng.sample(range(5), rng.randint(0, 2))}, key=lambda p: (p.label, p.iri)),
            sorted(rng.sample(["https://example.org/a", "https://example.org/b&c"], rng.randint(0, 2))),
            [Place(f"{BASE_IRI}place/r{j}", rng.choice(NAMES)) for j in rng.sample(range(3), rng.randint(0, 1))]))
    return sorted(letters, key=lambda l: l.sort_key)


def _networkx_graph(letters: list[Letter]) -> nx.MultiDiGraph:
    """The graph the exports were written from before they were streamed."""
    graph = nx.MultiDiGraph(name="correspondence")
    parties: dict[str, Party] = {}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    covers: dict[str, set[str]] = defaultdict(set)
    for letter in letters:
        for role, group in (("sent", letter.senders), ("received", letter.recipients),
                            ("relayed", letter.intermediaries)):
            for party in group:
                parties.setdefault(party.iri, party)
                counts[party.iri][role] += 1
                if party.cover_label:
                    covers[party.iri].add(party.cover_label)
    for iri in sorted(parties):
        party = parties[iri]
        graph.add_node(iri, label=party.label, kind=party.kind, iri=iri, wikidata=party.wikidata or "",
                       letters_sent=counts[iri]["sent"], letters_received=counts[iri]["received"],
                       letters_relayed=counts[iri]["relayed"], cover_names="; ".join(sorted(covers[iri])))
    for letter in letters:
        via = letter.intermediaries
        single = len(letter.senders) * len(letter.recipients) == 1
        for sender in letter.senders:
            for recipient in letter.recipients:
                key = letter.key if single else (f"{letter.key}--{sender.iri.rsplit('/', 1)[-1]}--"
                                                 f"{recipient.iri.rsplit('/', 1)[-1]}")
                attrs = {
                    "document": letter.iri, "title": letter.title, "document_type": letter.type_label or "",
                    "date": letter.edtf or "", "date_label": letter.date_label or "",
                    "sender_as_written": sender.as_written or "", "sender_cover_name": sender.cover_label or "",
                    "recipient_as_written": recipient.as_written or "",
                    "recipient_cover_name": recipient.cover_label or "",
                    "cover_name_used": bool(sender.cover_label or recipient.cover_label),
                    "intermediaries": "; ".join(p.label for p in via),
                    "intermediary_iris": " ".join(p.iri for p in via),
                    "intermediary_cover_names": "; ".join(p.cover_label or "" for p in via if p.cover_label),
                    "weight": 1.0,
                }
                if letter.begin:
                    attrs["start"] = letter.begin[:10]
                    attrs["end"] = (letter.end or letter.begin)[:10]
                graph.add_edge(sender.iri, recipient.iri, key=key, **attrs)
    return graph


CASES = {
    "letters": lambda: _letters(1),
    "undated": lambda: _letters(2, dated=False),
    "no edges": lambda: [l for l in _letters(3) if not (l.senders and l.recipients)],
    "none": lambda: [],
}


@pytest.mark.parametrize("case", CASES)
def test_the_network_files_hold_the_networkx_graph(case: str, tmp_path: Path) -> None:
    letters = CASES[case]()
    network = Network(tmp_path / "runs", memory=2000)  # many edge runs
    for letter in letters:
        network.add_nodes(letter)
    for letter in letters:
        network.add_edges(letter)
    network.write(tmp_path / "network.gexf", tmp_path / "network.graphml")
    graph = _networkx_graph(letters)
    # GEXF: valid against the official 1.3 schema, and the same graph when networkx reads it
    assert schema_errors(tmp_path / "network.gexf") == []
    assert f"<creator>cwgraph {__version__}</creator>" in (tmp_path / "network.gexf").read_text("utf-8")
    read = read_gexf(tmp_path / "network.gexf")
    assert list(read.nodes(data=True)) == list(graph.nodes(data=True))
    expected = [(u, v, k, {**d, "id": k, "label": " ".join(d["title"].split())})
                for u, v, k, d in graph.edges(keys=True, data=True)]
    assert list(read.edges(keys=True, data=True)) == expected
    # GraphML: what networkx writes, and a networkx round trip gives the graph back
    nx.write_graphml(graph, tmp_path / "nx.graphml", encoding="utf-8", prettyprint=True, named_key_ids=True)
    assert (tmp_path / "network.graphml").read_bytes() == (tmp_path / "nx.graphml").read_bytes()
    back = nx.read_graphml(tmp_path / "network.graphml", edge_key_type=str, force_multigraph=True)
    assert list(back.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))
    assert list(back.nodes(data=True)) == list(graph.nodes(data=True))
    if case == "letters":
        assert len(network.sorter.runs) > 3 and graph.number_of_edges() > 100


@pytest.mark.parametrize("case", CASES)
def test_the_cmif_stream_is_the_whole_document(case: str, tmp_path: Path) -> None:
    letters = CASES[case]()
    writer = CmifWriter(tmp_path / "cmif.xml", published="2026-02-14")
    for letter in letters:
        writer.add(letter)
    writer.close()
    expected = _serialise(cmif_document(letters, published="2026-02-14"))
    assert (tmp_path / "cmif.xml").read_bytes() == expected
