"""The dataset description: VoID statistics and DCAT distributions, plus PROV of the build."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from cwgraph import __version__
from cwgraph.core.config import BASE_IRI, DATASET
from cwgraph.core.ids import COLLECTION
from cwgraph.core.namespaces import PREFIXES, SPDX, curie
from cwgraph.mapping.graph import Triples
from cwgraph.publishing.outdir import SOFTWARE_IRI
from cwgraph.publishing.publish import DUMP_FILES, sha256_file
from cwgraph.publishing.serialize import Stats

__all__ = ["describe_dataset"]

RDF_TYPE = PREFIXES["rdf"] + "type"
IANA = "http://www.iana.org/assignments/media-types/"
IANA_REGISTERED = frozenset({
    "application/n-triples", "text/turtle", "application/ld+json", "application/tei+xml", "image/svg+xml",
    "image/png", "text/tab-separated-values", "text/plain", "application/gzip", "application/rdf+xml",
})


def partition_name(iri: str) -> str:
    """The local name of a property partition: prefix and name, so ``rdf:type`` and ``dcterms:type`` differ.

    A property outside the prefix table gets a slug of its whole IRI (letters, digits, ``-``), so the
    partition's IRI is a plain path that a static site can hold as a file.

    >>> partition_name("http://purl.org/dc/terms/type"), partition_name("http://www.cidoc-crm.org/cidoc-crm/P2_has_type")
    ('dcterms-type', 'crm-P2_has_type')
    >>> partition_name("https://example.org/ns#weight")
    'https-example-org-ns-weight'
    """
    compact = curie(iri)
    if compact:
        prefix, local = compact.split(":", 1)
        return f"{prefix}-{local}"
    return re.sub(r"[^A-Za-z0-9_]+", "-", iri).strip("-")


def checksum(g: Triples, file_iri: str, digest: str) -> None:
    """SPDX's checksum of a file (as DCAT 3 and DCAT-AP use it), on a node named after the file."""
    node = f"{file_iri}#sha256"
    g.iri(file_iri, SPDX + "checksum", node)
    g.add(node, RDF_TYPE, ox.NamedNode(SPDX + "Checksum"))
    g.iri(node, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
    g.add(node, SPDX + "checksumValue", ox.Literal(digest, datatype=ox.NamedNode(PREFIXES["xsd"] + "hexBinary")))


def describe_dataset(stats: Stats, dumps: Path, sources: list[tuple[str, str | None]]) -> list[ox.Triple]:
    """VoID + DCAT triples for the release in ``dumps`` (files already written); ``sources`` are the
    source files as displayed, each with the SHA-256 of the bytes read (None: it could not be read).

    Long: the VoID/DCAT/PROV statements of the dataset, one after another, as they appear in
    ``void.ttl``."""
    g = Triples()
    ds = COLLECTION
    g.a(ds, "void:Dataset", "dcat:Dataset", "prov:Entity")
    g.lang(ds, "dcterms:title", DATASET.title)
    g.lang(ds, "dcterms:description", DATASET.description)
    g.iri(ds, "dcterms:license", DATASET.license)
    g.add(ds, "dcterms:publisher", DATASET.publisher)
    g.iri(ds, "dcterms:source", DATASET.source_page)
    g.iri(ds, "foaf:homepage", DATASET.archive)
    g.add(ds, "owl:versionInfo", __version__)
    g.add(ds, "dcterms:issued", ox.Literal(DATASET.issued, datatype=ox.NamedNode(PREFIXES["xsd"] + "date")))
    g.add(ds, "void:uriSpace", BASE_IRI)
    for vocab in ("crm", "dcterms", "cw", "skos", "foaf"):
        g.iri(ds, "void:vocabulary", PREFIXES[vocab])
    g.add(ds, "void:triples", ox.Literal(str(stats.triples), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")))
    g.add(ds, "void:distinctSubjects", ox.Literal(str(stats.subjects), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")))
    for cls, count in sorted(stats.classes.items()):
        part = f"{BASE_IRI}dataset/class/{cls.rsplit('/', 1)[-1].rsplit('#', 1)[-1]}"
        g.iri(ds, "void:classPartition", part)
        g.iri(part, "void:class", cls)
        g.add(part, "void:entities", ox.Literal(str(count), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")))
    for prop, count in sorted(stats.properties.items()):
        part = f"{BASE_IRI}dataset/property/{partition_name(prop)}"
        g.iri(ds, "void:propertyPartition", part)
        g.iri(part, "void:property", prop)
        g.add(part, "void:triples", ox.Literal(str(count), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")))
    exports = {"cwgraph.cmif.xml": "application/tei+xml", "network.gexf": "application/gexf+xml",
               "network.graphml": "application/graphml+xml", "network.svg": "image/svg+xml", "network.png": "image/png",
               "mixnmatch-persons.tsv": "text/tab-separated-values"}
    for name, media in {**DUMP_FILES, **{k: v for k, v in exports.items() if (dumps / k).exists()}}.items():
        path = dumps / name
        dist = f"{BASE_IRI}dist/{name}"
        if name in DUMP_FILES:
            g.iri(ds, "void:dataDump", dist)
        g.iri(ds, "dcat:distribution", dist)
        g.a(dist, "dcat:Distribution")
        g.iri(dist, "dcat:downloadURL", dist)
        if media in IANA_REGISTERED:  # dcat:mediaType is for IANA types; GEXF and GraphML have none
            g.iri(dist, "dcat:mediaType", IANA + media)
        g.add(dist, "dcterms:format", media)
        if name.endswith(".gz"):  # the file is the gzip of a file of ``media`` (no package: one file)
            g.iri(dist, "dcat:compressFormat", IANA + "application/gzip")
        if path.exists():
            g.add(dist, "dcat:byteSize", ox.Literal(str(path.stat().st_size), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")))
            checksum(g, dist, sha256_file(path))
    activity = f"{BASE_IRI}dataset/build"
    g.iri(ds, "prov:wasGeneratedBy", activity)
    g.a(activity, "prov:Activity")
    g.add(activity, "rdfs:label", f"cwgraph {__version__} build")
    g.iri(activity, "prov:wasAssociatedWith", SOFTWARE_IRI)
    g.add(activity, "cw:softwareVersion", __version__)
    for display, digest in sorted(sources):
        src = f"{BASE_IRI}dataset/source/{quote(display.encode('utf-8', 'surrogateescape'), safe='/')}"
        g.iri(activity, "prov:used", src)
        g.a(src, "prov:Entity")
        g.add(src, "rdfs:label", display)
        if digest:
            checksum(g, src, digest)
    return sorted(g.to_ox(), key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))
