"""A real headless Chromium and a real ``cwgraph serve``: pages load, links resolve, nothing overlaps.

Starts the server as a user would (``python -m cwgraph serve`` on a free 127.0.0.1 port),
follows links from a document page to a person to a cover name with Chromium's
``--dump-dom``, fetches the same IRIs as Turtle and JSON-LD and runs a SPARQL query over
HTTP (urllib, so the server is tested, not our client), and keeps a screenshot of a page.
Through the DevTools protocol (tests/cdp.py) it measures the text boxes of the pages at
1280 and 390 CSS pixels wide, and runs a canned query from the SPARQL form.

Chromium (Debian's ``chromium``, /usr/bin/chromium) is required under CI (the CI variable
set; ``.ci/run`` installs it); elsewhere, without it, these tests are skipped with a message
saying how to install it — as the Virtuoso tests are.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import TYPE_CHECKING
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from servers import free_port, in_ci
from test_web_release import CHROMIUM, CHROMIUM_FLAGS, chromium, published

if TYPE_CHECKING:
    from cdp import Browser

pytestmark = pytest.mark.integration
BASE = "https://w3id.org/cwgraph/"


@pytest.fixture(autouse=True, scope="module")
def _chromium_required() -> None:
    if not Path(CHROMIUM).is_file():
        message = (f"Chromium is not installed ({CHROMIUM}); install it with 'DEBIAN_FRONTEND=noninteractive "
                   "apt-get install -y --no-install-recommends chromium fonts-dejavu-core' (.ci/run does)")
        if in_ci():
            pytest.fail(f"{message}; it is required in CI", pytrace=False)
        pytest.skip(f"{message}; skipped outside CI")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def fetch(url: str, accept: str | None = None, *, follow: bool = True) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with opener.open(request, timeout=30) as resp:  # noqa: S310 (local URL)
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture(scope="module")
def server(built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    release = published(built[1])
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "cwgraph", "serve", "--data", str(release),
                                    "--port", str(port), "--workers", "1", "--timeout", "5"],
                                   stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"cwgraph serve exited: {log.read_text()}")
            try:
                if fetch(f"{base}/index.html")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        else:
            raise RuntimeError(f"cwgraph serve did not answer: {log.read_text()}")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def dom(url: str, profile: Path) -> str:
    result = chromium("--virtual-time-budget=5000", "--dump-dom", url, profile=profile)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def hrefs(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]+)"', html)


def test_follow_links_from_a_document_to_a_person_to_a_cover_name(server: str, tmp_path: Path) -> None:
    page = dom(f"{server}/document/110296", tmp_path / "p1")  # the IRI: Chromium follows the 303
    assert "Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]</h1>" in page
    assert 'type="application/ld+json"' in page
    person = next(h for h in hrefs(page) if h.endswith("person/joseph-stalin.html"))
    person_url = urllib.parse.urljoin(f"{server}/document/110296.html", person)
    page = dom(person_url, tmp_path / "p2")
    assert "Joseph Stalin</h1>" in page and "Correspondents" in page
    cover = next(h for h in hrefs(page) if h.endswith("name/filippov.html"))
    cover_url = urllib.parse.urljoin(person_url, cover)
    page = dom(cover_url, tmp_path / "p3")
    assert "Filippov" in page and "A name used by" in page
    for link in hrefs(page):
        if "://" in link:
            continue
        status = fetch(urllib.parse.urljoin(cover_url, link))[0]
        assert status == 200, link


def test_a_screenshot_of_a_person_page(server: str, tmp_path: Path) -> None:
    shot = tmp_path / "person.png"
    result = chromium("--window-size=1280,1600", f"--screenshot={shot}", f"{server}/person/joseph-stalin.html",
                      profile=tmp_path / "p")
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a page with text on it, not a blank
    keep = os.environ.get("CWGRAPH_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / "person-joseph-stalin.png").write_bytes(data)


def test_the_same_iris_for_machines(server: str) -> None:
    status, headers, _ = fetch(f"{server}/person/joseph-stalin", "text/turtle", follow=False)
    assert status == 303 and headers["Location"] == "/person/joseph-stalin.ttl"
    status, headers, body = fetch(f"{server}/person/joseph-stalin", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert any(t.subject.value == BASE + "person/joseph-stalin"
               for t in ox.parse(body, format=ox.RdfFormat.TURTLE, base_iri=BASE))
    status, headers, body = fetch(f"{server}/person/joseph-stalin", "application/ld+json")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert any(n.get("@id") == "person/joseph-stalin" for n in json.loads(body)["@graph"])


def test_sparql_over_http(server: str) -> None:
    query = "SELECT ?doc WHERE { ?doc cw:signedAs <https://w3id.org/cwgraph/name/filippov> } ORDER BY ?doc"
    status, headers, body = fetch(f"{server}/sparql?query={urllib.parse.quote(query)}",
                                  "application/sparql-results+json")
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"]
    request = urllib.request.Request(f"{server}/sparql", data=query.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as resp:  # noqa: S310 (local URL)
        assert resp.status == 200 and b"document/" in resp.read()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    from cdp import Browser

    session = Browser(CHROMIUM, CHROMIUM_FLAGS, tmp_path_factory.mktemp("cdp"))
    try:
        yield session
    finally:
        session.close()


PAGES = ["index.html", "document/110296.html", "person/joseph-stalin.html", "place/moscow.html",
         "event/mao-zedong-visit-moscow-1949.html", "event/sino-soviet-treaty-1950.html", "name/filippov.html",
         "person/sergey-radchenko.html", "group/ccp-central-committee.html", "sparql"]


@pytest.mark.parametrize("width", [1280, 390])
def test_no_text_overlaps_and_nothing_wider_than_the_screen(server: str, browser: Browser, width: int) -> None:
    from cdp import LAYOUT_PROBLEMS

    problems = {}
    for path in PAGES:
        browser.open(f"{server}/{path}", width)
        found = browser.evaluate(LAYOUT_PROBLEMS)
        assert found["boxes"] > 20, (path, found)  # the page has text on it
        if found["overlaps"] or found["outside"] or found["scrollWidth"] > found["width"]:
            problems[path] = found
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


def test_the_sparql_form_runs_a_canned_query_with_its_parameter(server: str, browser: Browser) -> None:
    browser.open(f"{server}/sparql", 1280)
    browser.evaluate("""(() => {
        const form = document.querySelector('form[data-name="person-timeline"]');
        form.closest("details").open = true;
        form.querySelector('[data-param="person"]').value = "joseph-stalin";
        form.requestSubmit();
        return true; })()""")
    deadline = time.monotonic() + 30
    while "query=" not in (browser.evaluate("location.href") or "") or \
            browser.evaluate("document.readyState") != "complete":
        assert time.monotonic() < deadline, "the form did not submit"
        time.sleep(0.1)
    rows = browser.evaluate("document.querySelectorAll('table tbody tr').length")
    assert rows > 5
    assert "Yalta Conference" in browser.evaluate("document.body.innerText")
    # a value that is not a date is refused in the page, before anything is sent
    browser.open(f"{server}/sparql", 1280)
    problem = browser.evaluate("""(() => {
        const form = document.querySelector('form[data-name="between"]');
        form.closest("details").open = true;
        form.querySelector('[data-param="from"]').value = "soon";
        form.querySelector('[data-param="to"]').value = "1950";
        form.requestSubmit();
        return form.querySelector(".problem").textContent; })()""")
    assert "is not a date" in problem and "query=" not in browser.evaluate("location.href")


def test_the_served_void_names_the_endpoint(server: str) -> None:
    status, _, body = fetch(f"{server}/.well-known/void", "text/turtle")
    assert status == 200
    void = rdflib.Graph().parse(data=body, format="turtle")
    dataset = rdflib.URIRef(BASE + "collection/sino-soviet-alliance")
    endpoint = rdflib.URIRef(BASE + "sparql")
    assert void.value(dataset, rdflib.URIRef("http://rdfs.org/ns/void#sparqlEndpoint")) == endpoint
    assert (endpoint, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#DataService")) in void
