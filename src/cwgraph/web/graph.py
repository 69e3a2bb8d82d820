"""The published graph as a set of web resources: IRIs, their owners and their descriptions.

A release folder is loaded once into an in-memory pyoxigraph store: the data
(``cwgraph.nt.gz``) in the default graph, the dataset description
(``void.ttl``) and our vocabulary (``ontology/cwgraph.ttl``) in named graphs
named after the documents they come from. Every IRI under the base that a
triple mentions (as subject or object) is a *resource* and resolves, except the
release files under ``dist/``, which are served as they are.

A resource's *description* (what ``.ttl``/``.jsonld``/``.nt`` return) is:

- every triple whose subject is the resource or one of its parts (IRIs that
  extend it by ``/…``: a document's title, communication, time-spans, the
  actor nodes of its sending and receipt);
- every triple that points at the resource from outside (the documents that
  mention a person, the assignment that attributes a cover name);
- the labels of every IRI those triples mention, so a client can display them.

The *owner* of a part is the shortest resource it extends: the owner of
``document/110296/communication/sending`` is ``document/110296``.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox

from cwgraph.core.config import BASE_IRI, project_path
from cwgraph.core.dumps import dump_of, read_bytes
from cwgraph.core.errors import StoreError
from cwgraph.core.namespaces import PREFIXES

__all__ = ["LABEL_PROPERTIES", "ReleaseGraph", "load_release_store", "vocabulary_file"]

RDF_TYPE = PREFIXES["rdf"] + "type"
LABEL_PROPERTIES = (PREFIXES["skos"] + "prefLabel", PREFIXES["rdfs"] + "label", PREFIXES["dcterms"] + "title")
_LABELS = {ox.NamedNode(p) for p in LABEL_PROPERTIES}


def vocabulary_file() -> Path | None:
    """Our vocabulary (``ontology/cwgraph.ttl``) when the project checkout is at hand."""
    path = project_path("ontology", "cwgraph.ttl")
    return path if path.is_file() else None


def load_release_store(folder: Path, *, base: str = BASE_IRI, vocabulary: Path | None = None) -> ox.Store:
    """The release's data (default graph), its VoID (graph ``{base}dist/void.ttl``) and the vocabulary.

    ``folder`` is a release folder (with ``cwgraph.nt.gz``) or a single RDF file.
    """
    if not folder.exists():
        raise StoreError(f"no such release folder: {folder}", hint="build it first (cwgraph build) or pass --data")
    dump = dump_of(folder)
    if not dump.is_file():
        raise StoreError(f"no cwgraph.nt.gz in {folder}", hint="build the release first: cwgraph build")
    store = ox.Store()
    data = read_bytes(dump)
    fmt = ox.RdfFormat.N_TRIPLES if ".nt" in dump.name else ox.RdfFormat.from_extension(dump.suffix.lstrip("."))
    if fmt is None:
        raise StoreError(f"unknown RDF file type {dump.name}", hint="use a release folder or an .nt/.ttl file")
    try:
        store.bulk_load(data, format=fmt, base_iri=base)
        void = folder / "void.ttl" if folder.is_dir() else None
        if void is not None and void.is_file():
            store.bulk_load(path=void, format=ox.RdfFormat.TURTLE, base_iri=base,
                            to_graph=ox.NamedNode(f"{base}dist/void.ttl"))
        if vocabulary is not None and vocabulary.is_file():
            store.bulk_load(path=vocabulary, format=ox.RdfFormat.TURTLE, base_iri=base,
                            to_graph=ox.NamedNode(f"{base}vocab"))
    except SyntaxError as exc:
        raise StoreError(f"cannot load {folder}: {exc}", hint="check the release files are valid RDF") from None
    return store


@dataclass(frozen=True)
class Resource:
    """One resolvable IRI: its path below the base and the resource that owns it."""

    iri: str
    path: str  # below the base, percent-encoded as in the IRI: "document/110296"
    owner: str  # IRI of the owning resource (itself for a top-level one)

    @property
    def is_part(self) -> bool:
        return self.owner != self.iri

    @property
    def kind(self) -> str:
        """The first path segment: document, person, group, actor, place, event, name, type, …"""
        return self.path.split("/", 1)[0]

    @property
    def file_path(self) -> str:
        """The path as a file name (percent-decoded), for a static site."""
        return unquote(self.path)


class ReleaseGraph:
    """A release loaded for the web: resources, owners, descriptions, labels."""

    def __init__(self, folder: Path, *, base: str = BASE_IRI, vocabulary: Path | None = None,
                 store: ox.Store | None = None):
        self.folder = folder
        self.base = base
        self.vocabulary = vocabulary
        self.store = store if store is not None else load_release_store(folder, base=base, vocabulary=vocabulary)
        subjects: set[str] = set()
        for q in self.store.quads_for_pattern(None, None, None, None):
            for term in (q.subject, q.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(base):
                    subjects.add(term.value.split("#", 1)[0])  # vocabulary terms are hash IRIs of /vocab
        subjects.discard(base)
        # release files (dist/…) are served as they are, not described
        subjects = {s for s in subjects if not s.startswith(f"{base}dist/")}
        self._sorted = sorted(subjects)
        self._set = subjects
        self._endpoint_quads: list[ox.Quad] = []

    # --- resources -------------------------------------------------------------------------

    def __contains__(self, iri: str) -> bool:
        return iri in self._set

    @property
    def iris(self) -> list[str]:
        return list(self._sorted)

    def path_of(self, iri: str) -> str:
        return iri[len(self.base):] if iri.startswith(self.base) else iri

    def iri_of(self, path: str) -> str:
        return self.base + path.lstrip("/")

    def resource(self, iri: str) -> Resource | None:
        if iri not in self._set:
            return None
        return Resource(iri, self.path_of(iri), self.owner_of(iri))

    def owner_of(self, iri: str) -> str:
        """The shortest resource that ``iri`` extends by ``/…`` (itself when none does)."""
        path = self.path_of(iri)
        parts = path.split("/")
        for n in range(1, len(parts)):
            prefix = self.base + "/".join(parts[:n])
            if prefix in self._set:
                return prefix
        return iri

    def resources(self) -> list[Resource]:
        return [Resource(i, self.path_of(i), self.owner_of(i)) for i in self._sorted]

    def parts_of(self, iri: str) -> list[str]:
        """Resources below ``iri`` (``iri/…``), in IRI order."""
        prefix = iri + "/"
        start = bisect.bisect_left(self._sorted, prefix)
        out = []
        for other in self._sorted[start:]:
            if not other.startswith(prefix):
                break
            out.append(other)
        return out

    # --- descriptions ----------------------------------------------------------------------

    def _triples(self, subject: ox.NamedNode | None = None, predicate: ox.NamedNode | None = None,
                 obj: ox.NamedNode | ox.Literal | None = None, graph: object = None) -> Iterable[ox.Triple]:
        for q in self.store.quads_for_pattern(subject, predicate, obj, graph):  # type: ignore[arg-type]
            yield q.triple

    def description(self, iri: str) -> list[ox.Triple]:
        """The resource's triples, its parts' triples, the links to it, and the labels they need."""
        if iri == self.base + "vocab":
            triples = set(self._triples(graph=ox.NamedNode(iri)))
            return _sorted(triples)
        node = ox.NamedNode(iri)
        triples: set[ox.Triple] = set()
        for subject in [iri, *self.parts_of(iri)]:
            triples.update(self._triples(ox.NamedNode(subject)))
        if iri in self.dataset_iris:
            triples.update(self._triples(graph=ox.NamedNode(f"{self.base}dist/void.ttl")))
        inside = {iri, *self.parts_of(iri)}
        for t in self._triples(None, None, node):
            if t.subject.value not in inside:
                triples.add(t)
        mentioned = {t.object for t in triples if isinstance(t.object, ox.NamedNode)}
        mentioned |= {t.subject for t in triples}
        for other in mentioned:
            if other.value in inside:
                continue
            for label in _LABELS:
                triples.update(self._triples(other, label))
        return _sorted(triples)

    @cached_property
    def dataset_iris(self) -> set[str]:
        """The datasets the VoID describes (their description includes the whole VoID)."""
        void = ox.NamedNode(PREFIXES["void"] + "Dataset")
        return {q.subject.value for q in self.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), void, None)}

    def announce_endpoint(self, endpoint: str | None) -> None:
        """Say in the dataset description that ``endpoint`` answers SPARQL over the release (None: that none does).

        ``void:sparqlEndpoint`` for VoID readers; a ``dcat:DataService`` serving the dataset and a
        ``dcat:Distribution`` accessed through it for DCAT harvesters. Only where an endpoint runs
        (``cwgraph serve``), so a static site never names one that is not there.
        """
        for quad in self._endpoint_quads:
            self.store.remove(quad)
        self._endpoint_quads = []
        if endpoint is None:
            return
        void_graph = ox.NamedNode(f"{self.base}dist/void.ttl")
        service = ox.NamedNode(endpoint)
        access = ox.NamedNode(f"{endpoint}#distribution")

        def p(curie: str) -> ox.NamedNode:
            prefix, local = curie.split(":", 1)
            return ox.NamedNode(PREFIXES[prefix] + local)

        quads = [
            (service, p("rdf:type"), p("dcat:DataService")),
            (service, p("dcterms:title"), ox.Literal("SPARQL endpoint", language="en")),
            (service, p("dcat:endpointURL"), service),
            (service, p("dcterms:conformsTo"), ox.NamedNode("https://www.w3.org/TR/sparql11-protocol/")),
            (access, p("rdf:type"), p("dcat:Distribution")),
            (access, p("dcterms:title"), ox.Literal("SPARQL endpoint", language="en")),
            (access, p("dcat:accessURL"), service),
            (access, p("dcat:accessService"), service),
        ]
        for dataset in sorted(self.dataset_iris):
            node = ox.NamedNode(dataset)
            quads += [(node, p("void:sparqlEndpoint"), service), (service, p("dcat:servesDataset"), node),
                      (node, p("dcat:distribution"), access)]
        self._endpoint_quads = [ox.Quad(s, pred, o, void_graph) for s, pred, o in quads]
        for quad in self._endpoint_quads:
            self.store.add(quad)

    def label(self, iri: str) -> str:
        """skos:prefLabel, else rdfs:label, else the last path segment."""
        node = ox.NamedNode(iri)
        for prop in LABEL_PROPERTIES:
            for q in self.store.quads_for_pattern(node, ox.NamedNode(prop), None, None):
                return q.object.value
        tail = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        return unquote(tail)

    def types(self, iri: str) -> set[str]:
        return {q.object.value for q in self.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE),
                                                                        None, None)}

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of the release's files, for ETags: it changes when the release does."""
        digest = hashlib.sha256()
        for name in ("cwgraph.nt.gz", "void.ttl"):
            path = self.folder / name if self.folder.is_dir() else self.folder
            if path.is_file():
                digest.update(path.read_bytes())
        if self.vocabulary is not None and self.vocabulary.is_file():
            digest.update(self.vocabulary.read_bytes())
        return digest.hexdigest()[:16]

    def query(self, sparql: str, **kwargs: object) -> ox.QuerySolutions:
        return self.store.query(sparql, **kwargs)  # type: ignore[arg-type, return-value]


def _sorted(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    return sorted(triples, key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))
