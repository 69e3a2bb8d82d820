"""The dataset description as VoID readers and DCAT harvesters read it (rdflib, not our code)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import rdflib
from test_web_release import published, site
from werkzeug.test import Client

from cwgraph.web.graph import ReleaseGraph, vocabulary_file
from cwgraph.web.server import LinkedDataApp
from cwgraph.web.sparql_endpoint import SparqlService

SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
RDF = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
IANA = "http://www.iana.org/assignments/media-types/"
CW = rdflib.Namespace("https://w3id.org/cwgraph/vocab#")
DATASET = rdflib.URIRef("https://w3id.org/cwgraph/collection/sino-soviet-alliance")


@pytest.fixture(scope="module")
def release(built) -> Path:  # type: ignore[no-untyped-def]
    return published(built[1])


@pytest.fixture(scope="module")
def void(built) -> rdflib.Graph:  # type: ignore[no-untyped-def]
    return rdflib.Graph().parse(built[1] / "void.ttl")


def test_one_partition_per_property(void: rdflib.Graph) -> None:
    partitions = list(void.objects(DATASET, VOID.propertyPartition))
    assert len(partitions) > 20
    properties = []
    for part in partitions:
        assert len(list(void.objects(part, VOID.property))) == 1, part
        assert len(list(void.objects(part, VOID.triples))) == 1, part
        properties.append(void.value(part, VOID.property))
    assert len(set(properties)) == len(properties)
    assert {RDF.type, DCTERMS.type} <= set(properties)
    assert sum(int(void.value(p, VOID.triples)) for p in partitions) == int(void.value(DATASET, VOID.triples))
    for part in void.objects(DATASET, VOID.classPartition):
        assert len(list(void.objects(part, VOID["class"]))) == 1, part


def test_distributions_carry_spdx_checksums_and_iana_types(void: rdflib.Graph, built) -> None:  # type: ignore[no-untyped-def]
    assert not list(void.triples((None, CW.sha256, None)))
    distributions = list(void.objects(DATASET, DCAT.distribution))
    assert len(distributions) >= 3
    for dist in distributions:
        name = str(dist).rsplit("/dist/", 1)[1]
        checksum = void.value(dist, SPDX.checksum)
        assert checksum is not None, dist
        assert void.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = void.value(checksum, SPDX.checksumValue)
        assert value.datatype == XSD.hexBinary
        assert str(value) == hashlib.sha256((built[1] / name).read_bytes()).hexdigest()
        for media in void.objects(dist, DCAT.mediaType):
            assert isinstance(media, rdflib.URIRef) and str(media).startswith(IANA), (dist, media)
    dump = rdflib.URIRef("https://w3id.org/cwgraph/dist/cwgraph.nt.gz")
    assert void.value(dump, DCAT.mediaType) == rdflib.URIRef(IANA + "application/n-triples")
    assert void.value(dump, DCAT.compressFormat) == rdflib.URIRef(IANA + "application/gzip")
    assert void.value(rdflib.URIRef("https://w3id.org/cwgraph/dist/cwgraph.ttl"), DCAT.compressFormat) is None
    for source in void.objects(None, rdflib.URIRef("http://www.w3.org/ns/prov#used")):
        assert void.value(void.value(source, SPDX.checksum), SPDX.checksumValue) is not None, source


def _served_void(client: Client) -> rdflib.Graph:
    r = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 303
    body = client.get(r.headers["Location"], headers={"Accept": "text/turtle"})
    assert body.status_code == 200
    return rdflib.Graph().parse(data=body.data, format="turtle")


def test_the_served_void_names_the_sparql_endpoint(release: Path) -> None:
    service = SparqlService(release, timeout=5.0, max_rows=50, workers=1)  # described, never started
    graph = ReleaseGraph(release, vocabulary=vocabulary_file())
    served = _served_void(Client(LinkedDataApp(release, sparql=service, graph=graph)))
    endpoint = rdflib.URIRef("https://w3id.org/cwgraph/sparql")
    assert served.value(DATASET, VOID.sparqlEndpoint) == endpoint
    assert (endpoint, RDF.type, DCAT.DataService) in served
    assert served.value(endpoint, DCAT.endpointURL) == endpoint
    assert (endpoint, DCAT.servesDataset, DATASET) in served
    access = [d for d in served.objects(DATASET, DCAT.distribution) if served.value(d, DCAT.accessService) == endpoint]
    assert len(access) == 1 and served.value(access[0], DCAT.accessURL) == endpoint
    # the same release without an endpoint names none
    quiet = _served_void(Client(LinkedDataApp(release, sparql=None, graph=graph)))
    assert quiet.value(DATASET, VOID.sparqlEndpoint) is None
    assert not list(quiet.subjects(RDF.type, DCAT.DataService))


def test_a_static_site_names_no_endpoint(release: Path) -> None:
    void = rdflib.Graph().parse(site(release) / ".well-known" / "void", format="turtle")
    assert void.value(DATASET, VOID.triples) is not None
    assert void.value(DATASET, VOID.sparqlEndpoint) is None
