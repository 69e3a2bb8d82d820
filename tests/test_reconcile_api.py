"""The Reconciliation Service API at /reconcile, checked against the API's published JSON schemas (0.2).

The schemas are vendored in tests/fixtures/reconciliation/ (W3C licence). The requests are the
ones OpenRefine 3.x sends: the manifest by GET (and JSONP with ``callback`` from its web UI),
a form-encoded POST of ``queries=`` with ``type`` and ``type_strict``, the suggest widget's
GET with ``prefix``/``type``/``callback``, the preview in an iframe, and data extension.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from test_web_release import graph, published
from werkzeug.serving import make_server
from werkzeug.test import Client

from cwgraph.web.reconcile_api import MAX_BATCH, ReconcileService, normalise
from cwgraph.web.server import LinkedDataApp

SCHEMAS = Path(__file__).resolve().parent / "fixtures" / "reconciliation"


def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents, default_specification=_DRAFT7)))
    return Registry().with_resources(resources)


from referencing.jsonschema import DRAFT7 as _DRAFT7  # noqa: E402

REGISTRY = _registry()


def check(schema: str, instance: object) -> None:
    """Validate ``instance`` against the vendored schema ``schema`` (file name without .json)."""
    contents = json.loads((SCHEMAS / f"{schema}.json").read_text(encoding="utf-8"))
    errors = sorted(Draft7Validator(contents, registry=REGISTRY).iter_errors(instance), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


@pytest.fixture(scope="module")
def release(built) -> Path:  # type: ignore[no-untyped-def]
    return published(built[1])


@pytest.fixture(scope="module")
def client(release: Path) -> Client:
    return Client(LinkedDataApp(release, graph=graph(release)))


def _queries(client: Client, batch: dict) -> dict:
    check("reconciliation-query-batch", batch)
    r = client.post("/reconcile", data={"queries": json.dumps(batch)},
                    content_type="application/x-www-form-urlencoded; charset=UTF-8")
    assert r.status_code == 200, r.text
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    check("reconciliation-result-batch", r.json)
    return r.json


def test_the_manifest_follows_the_schema_and_offers_every_service(client: Client) -> None:
    r = client.get("/reconcile")
    assert r.status_code == 200 and r.mimetype == "application/json"
    manifest = r.json
    check("manifest", manifest)
    assert manifest["versions"] == ["0.2"] and manifest["identifierSpace"] == "https://w3id.org/cwgraph/"
    assert {t["id"] for t in manifest["defaultTypes"]} == {"person", "group", "place", "event", "cover-name", "actor"}
    assert manifest["preview"]["url"] == "http://localhost/reconcile/preview?id={{id}}"
    assert set(manifest["suggest"]) == {"entity", "type", "property"}
    assert manifest["extend"]["propose_properties"]["service_path"] == "/properties"


def test_the_manifest_as_jsonp_for_openrefines_web_ui(client: Client) -> None:
    r = client.get("/reconcile?callback=jQuery35101234_1700000000&_=1700000000")
    assert r.status_code == 200 and r.mimetype == "application/javascript"
    m = re.fullmatch(r"/\*\*/jQuery35101234_1700000000\((.*)\);", r.text, re.DOTALL)
    assert m, r.text[:100]
    check("manifest", json.loads(m.group(1)))
    bad = client.get("/reconcile?callback=alert(document.cookie)//")
    assert bad.status_code == 400 and bad.mimetype == "application/json" and "alert" not in bad.text


def test_queries_by_name_with_types_scores_and_match(client: Client) -> None:
    answer = _queries(client, {
        "q0": {"query": "Stalin", "type": "person", "type_strict": "should", "limit": 3},
        "q1": {"query": "Cde. Zhou  Enlai", "type": ["person"]},
        "q2": {"query": "Vyshynskey", "type": "person"},  # a spelling the authority does not list
        "q3": {"query": "Moscow", "type": "place"},
        "q4": {"query": "CCP Central Committee", "type": "group"},
        "q5": {"query": "Stalin"},  # no type: every kind
    })
    stalin = answer["q0"]["result"][0]
    assert stalin["id"] == "person/joseph-stalin" and stalin["match"] is True and stalin["score"] >= 95
    assert stalin["type"] == [{"id": "person", "name": "Person"}]
    assert all(c["type"][0]["id"] == "person" for c in answer["q0"]["result"])
    assert answer["q1"]["result"][0]["id"] == "person/zhou-enlai" and answer["q1"]["result"][0]["match"]
    fuzzy = answer["q2"]["result"][0]
    assert fuzzy["id"] == "person/andrei-vyshinsky" and not fuzzy["match"] and 60 <= fuzzy["score"] < 95
    assert answer["q3"]["result"][0]["id"] == "place/moscow"
    assert answer["q4"]["result"][0]["id"] == "group/ccp-central-committee"
    assert {c["type"][0]["id"] for c in answer["q5"]["result"]} >= {"person", "event"}
    for result in answer.values():
        scores = [c["score"] for c in result["result"]]
        assert scores == sorted(scores, reverse=True)
        assert sum(c["match"] for c in result["result"]) <= 1


def test_a_cover_name_reconciles_to_itself_and_names_its_bearer(client: Client) -> None:
    answer = _queries(client, {"q0": {"query": "Filippov", "type": "cover-name"}, "q1": {"query": "Filippov"}})
    [filippov] = [c for c in answer["q0"]["result"] if c["id"] == "name/filippov"]
    assert filippov["match"] and filippov["type"] == [{"id": "cover-name", "name": "Cover name"}]
    assert "cover name of Joseph Stalin" in filippov["description"]
    assert answer["q1"]["result"][0]["id"] == "name/filippov"
    assert "person/joseph-stalin" not in {c["id"] for c in answer["q1"]["result"]}  # never the bearer for the name


def test_dates_of_activity_and_wikidata_as_query_conditions(client: Client) -> None:
    answer = _queries(client, {
        "in": {"query": "Stalin", "type": "person", "properties": [{"pid": "active", "v": "1949-12"}]},
        "out": {"query": "Stalin", "type": "person", "properties": [{"pid": "active", "v": ["1990", "1991"]}]},
        "qid": {"properties": [{"pid": "wikidata", "v": "Q855"}]},
        "other": {"query": "Stalin", "type": "person", "properties": [{"pid": "wikidata", "v": "Q1"}]},
    })
    inside, outside = answer["in"]["result"][0], answer["out"]["result"][0]
    assert inside["id"] == outside["id"] == "person/joseph-stalin"
    assert inside["match"] and {"id": "active", "value": True} in inside["features"]
    assert not outside["match"] and outside["score"] < inside["score"]
    assert answer["qid"]["result"][0]["id"] == "person/joseph-stalin" and answer["qid"]["result"][0]["match"]
    assert not answer["other"]["result"][0]["match"]


def test_an_identifier_or_iri_as_query_returns_that_entity(client: Client) -> None:
    answer = _queries(client, {"q0": {"query": "person/mao-zedong"},
                               "q1": {"query": "https://w3id.org/cwgraph/place/moscow"}})
    assert answer["q0"]["result"][0]["id"] == "person/mao-zedong" and answer["q0"]["result"][0]["score"] == 100
    assert answer["q1"]["result"][0]["id"] == "place/moscow"


def test_get_queries_and_deterministic_order(client: Client) -> None:
    batch = {"a": {"query": "Mao"}, "b": {"query": "Liu"}}
    r = client.get("/reconcile?" + urllib.parse.urlencode({"queries": json.dumps(batch)}))
    assert r.status_code == 200
    check("reconciliation-result-batch", r.json)
    again = client.post("/reconcile", data={"queries": json.dumps(dict(reversed(list(batch.items()))))})
    assert again.json == r.json


@pytest.mark.parametrize(("body", "status", "says"), [
    ("{not json", 400, "not JSON"), ('{"q0": {"query": "x", "type": "ship"}}', 400, "unknown type"),
    ('{"q0": {"query": "x", "properties": [{"pid": "active", "v": "Dec 1949"}]}}', 400, "YYYY-MM"),
    ('{"q0": {"type": "person"}}', 400, "neither"), ('["Stalin"]', 400, "JSON object"),
    (json.dumps({f"q{i}": {"query": "x"} for i in range(MAX_BATCH + 1)}), 413, "at most")])
def test_bad_queries_get_a_clear_error(client: Client, body: str, status: int, says: str) -> None:
    r = client.post("/reconcile", data={"queries": body})
    assert r.status_code == status and says in r.json["error"]


def test_suggest_services_follow_their_schemas(client: Client) -> None:
    r = client.get("/reconcile/suggest/entity?prefix=Zhou&type=person&type_strict=should&callback=cb")
    entities = json.loads(re.fullmatch(r"/\*\*/cb\((.*)\);", r.text, re.DOTALL).group(1))
    check("suggest-entities-response", entities)
    assert entities["result"][0]["id"] == "person/zhou-enlai"
    assert entities["result"][0]["notable"] == [{"id": "person", "name": "Person"}]
    everything = client.get("/reconcile/suggest/entity?prefix=S").json
    more = client.get("/reconcile/suggest/entity?prefix=S&cursor=10").json
    check("suggest-entities-response", more)
    assert len(everything["result"]) == 10 and not {e["id"] for e in everything["result"]} & {e["id"] for e in more["result"]}
    types = client.get("/reconcile/suggest/type?prefix=cov").json
    check("suggest-types-response", types)
    assert types["result"] == [{"id": "cover-name", "name": "Cover name"}]
    props = client.get("/reconcile/suggest/property?prefix=act").json
    check("suggest-properties-response", props)
    assert {p["id"] for p in props["result"]} == {"active", "active_from", "active_to"}


def test_preview_is_an_escaped_html_page(client: Client) -> None:
    r = client.get("/reconcile/preview?id=name/filippov")
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "<h1>Filippov" in r.text and "cover name of Joseph Stalin" in r.text
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    assert client.get("/reconcile/preview?id=person/nobody").status_code == 404
    view = client.get("/reconcile/view/person/joseph-stalin")
    assert view.status_code == 303 and view.headers["Location"] == "/person/joseph-stalin"


def test_data_extension(client: Client) -> None:
    proposal = client.get("/reconcile/properties?type=person&limit=20").json
    check("data-extension-property-proposal", proposal)
    assert {"wikidata", "cover_names", "active_from"} <= {p["id"] for p in proposal["properties"]}
    query = {"ids": ["person/joseph-stalin", "name/filippov", "person/nobody"],
             "properties": [{"id": "wikidata"}, {"id": "cover_names"}, {"id": "bearer"}, {"id": "active_from"},
                            {"id": "documents"}]}
    check("data-extension-query", query)
    r = client.post("/reconcile", data={"extend": json.dumps(query)})
    assert r.status_code == 200, r.text
    check("data-extension-response", r.json)
    rows = r.json["rows"]
    assert rows["person/joseph-stalin"]["wikidata"] == [{"str": "Q855"}]
    assert {"id": "name/filippov", "name": "Filippov"} in rows["person/joseph-stalin"]["cover_names"]
    assert rows["name/filippov"]["bearer"] == [{"id": "person/joseph-stalin", "name": "Joseph Stalin"}]
    assert rows["person/nobody"] == {p["id"]: [] for p in query["properties"]}


def test_names_are_compared_without_case_accents_punctuation_or_honorifics() -> None:
    assert normalise("Cde. ZHOU  Enlai") == "zhou enlai"
    assert normalise("Vjačeslav Molotov") == "vjaceslav molotov"
    assert normalise("Comrade") == "comrade"  # a name made only of an honorific keeps it


# -- over HTTP, as OpenRefine sends it --------------------------------------------------------

@pytest.fixture(scope="module")
def server(release: Path) -> Iterator[str]:
    app = LinkedDataApp(release, graph=graph(release))
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_openrefine_requests_over_http(server: str) -> None:
    with urllib.request.urlopen(f"{server}/reconcile", timeout=10) as r:
        manifest = json.load(r)
    check("manifest", manifest)
    assert manifest["view"]["url"] == f"{server}/reconcile/view/{{{{id}}}}"
    # OpenRefine's StandardReconConfig: a form-encoded POST of queries= with type and type_strict
    batch = {"q0": {"query": "Mao Zedong", "type": "person", "type_strict": "should"},
             "q1": {"query": "Kuznetsov", "type": "cover-name", "type_strict": "should"}}
    body = urllib.parse.urlencode({"queries": json.dumps(batch)}).encode()
    request = urllib.request.Request(f"{server}/reconcile", data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"})
    with urllib.request.urlopen(request, timeout=10) as r:
        answer = json.load(r)
        assert r.headers["Access-Control-Allow-Origin"] == "*"
    check("reconciliation-result-batch", answer)
    assert answer["q0"]["result"][0]["id"] == "person/mao-zedong" and answer["q0"]["result"][0]["match"]
    assert "Joseph Stalin" in answer["q1"]["result"][0]["description"]
    # the view template filled in as OpenRefine does (the id encoded as a URI component) leads to the page
    view = manifest["view"]["url"].replace("{{id}}", urllib.parse.quote("person/mao-zedong", safe=""))
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(view, timeout=10)
    assert redirect.value.code == 303 and redirect.value.headers["Location"] == "/person/mao-zedong"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def test_the_service_reads_a_store_directly(release: Path) -> None:
    service = ReconcileService.from_store(graph(release).store)
    assert service.entries["person/joseph-stalin"].wikidata == ["Q855"]
    assert service.entries["name/kuznetsov"].bearer == ("person/joseph-stalin", "Joseph Stalin")
    assert service.entries["name/kuznetsov"].begin == "1947-01-01"


def test_geonames_from_close_match_and_wikidata_only_from_exact_match() -> None:
    import pyoxigraph as ox

    b, skos = "https://w3id.org/cwgraph/", "http://www.w3.org/2004/02/skos/core#"
    store = ox.Store()
    for s, p, o in [(f"{b}place/moscow", skos + "prefLabel", ox.Literal("Moscow")),
                    (f"{b}place/moscow", skos + "closeMatch", ox.NamedNode("https://sws.geonames.org/524901/")),
                    (f"{b}place/moscow", skos + "closeMatch", ox.NamedNode("http://www.wikidata.org/entity/Q1")),
                    (f"{b}place/moscow", skos + "exactMatch", ox.NamedNode("http://www.wikidata.org/entity/Q649"))]:
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o))
    service = ReconcileService.from_store(store)
    moscow = service.entries["place/moscow"]
    assert (moscow.geonames, moscow.wikidata) == ("524901", ["Q649"])
    rows = service.extend({"ids": ["place/moscow"], "properties": [{"id": "geonames"}]})["rows"]
    assert rows["place/moscow"]["geonames"] == [{"str": "524901"}]


def test_a_single_query_as_older_clients_send_it(client: Client) -> None:
    plain = client.get("/reconcile?query=Zhou%20Enlai").json
    as_object = client.get("/reconcile?" + urllib.parse.urlencode({"query": json.dumps({"query": "Zhou Enlai",
                                                                                         "type": ""})})).json
    assert plain == as_object and plain["result"][0]["id"] == "person/zhou-enlai"
