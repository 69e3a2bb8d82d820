"""The pages a historian reads, and the static site: content, order, embedded data, links that resolve."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_web_release import graph, published, site
from test_web_release import render_page as render

from cwgraph.web.negotiation import jsonld_document
from cwgraph.web.pages import PageRenderer
from cwgraph.web.site import apache_rules, nginx_rules

BASE = "https://w3id.org/cwgraph/"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.jsonld: list[str] = []
        self.text: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag in ("a", "link") and a.get("href"):
            self.links.append(a["href"] or "")
        if tag == "img" and a.get("src"):
            self.links.append(a["src"] or "")
        if tag in ("script", "style"):
            self._script = a.get("type") or tag

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script == "application/ld+json":
            self.jsonld.append(data)
        elif self._script is None:
            self.text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def release(built) -> Path:  # type: ignore[no-untyped-def]
    return published(built[1])


@pytest.fixture(scope="module")
def renderer(release: Path) -> PageRenderer:
    return PageRenderer(graph(release))


def visible(html: str) -> str:
    return " ".join(" ".join(parse(html).text).split())


def test_document_page_says_who_wrote_to_whom_through_whom_under_which_names(renderer: PageRenderer) -> None:
    html = render(renderer, "document/110296")
    text = visible(html)
    assert "Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]" in text
    assert re.search(r"From Joseph Stalin as “ ?Kuznetsov ?” .*Through Andrei Orlov as “ ?Terebin ?” .*To Mao Zedong",
                     text)
    assert "December 16, 1947" in text and "Sergey Radchenko" in text  # date as printed, translator
    assert "APRF: F. 39" in text  # citation
    links = parse(html).links
    assert "../person/joseph-stalin.html" in links and "../name/kuznetsov.html" in links
    assert "https://digitalarchive.wilsoncenter.org/document/110296" in links
    assert "110296.ttl" in links and "110296.jsonld" in links


def test_no_page_is_a_dump_of_triples(renderer: PageRenderer) -> None:
    for path in ("document/110296", "person/joseph-stalin", "name/filippov", "place/moscow",
                 "event/sino-soviet-treaty-1950", "group/gru"):
        text = visible(render(renderer, path))
        assert not re.search(r"\b(crm|cw|rdfs|skos|dcterms):\w", text), path
        assert "P14_carried_out_by" not in text and "http://www.cidoc-crm.org" not in text, path


def test_pages_embed_their_description_as_json_ld(renderer: PageRenderer) -> None:
    for path in ("document/110296", "person/joseph-stalin", "name/filippov"):
        page = parse(render(renderer, path))
        assert len(page.jsonld) == 1
        data = json.loads(page.jsonld[0])
        assert data == json.loads(json.dumps(jsonld_document(renderer.g.description(BASE + path), BASE)))
        triples = list(ox.parse(page.jsonld[0].encode(), format=ox.RdfFormat.JSON_LD, base_iri=BASE))
        assert {t.subject.value for t in triples} >= {BASE + path}


def test_person_page_has_names_cover_names_correspondents_and_a_timeline(renderer: PageRenderer) -> None:
    html = render(renderer, "person/joseph-stalin")
    page = parse(html)
    text = visible(html)
    assert "Wikidata Q855" in text
    for cover in ("Filippov", "Kuznetsov"):
        assert f"../name/{cover.lower()}.html" in page.links
    assert {"name", "cover-names", "correspondents", "timeline"} <= page.ids
    assert "Mao Zedong" in text and "Filipov [Stalin]" in text  # a correspondent; a name as written
    dates = re.findall(r'datetime="(\d{4}-\d{2}-\d{2})"', html.split('id="timeline"')[1])
    assert dates == sorted(dates) and len(dates) > 20


def test_cover_name_page_names_bearer_period_evidence_and_uses(renderer: PageRenderer) -> None:
    html = render(renderer, "name/filippov")
    text = visible(html)
    assert "A name used by Joseph Stalin" in text and "1948–1951" in text and "confirmed" in text
    assert "digitalarchive.wilsoncenter.org/document/cable-filippov-stalin-anastas-mikoyan" in text
    uses = html.split('id="uses"')[1].split("</section>")[0]
    dates = re.findall(r'datetime="(\d{4}-\d{2}(?:-\d{2})?)"', uses)
    assert len(dates) >= 5 and dates == sorted(dates)
    assert "../person/joseph-stalin.html" in parse(html).links


def test_treaty_page_lists_its_negotiation_meetings_and_documents_in_order(renderer: PageRenderer) -> None:
    html = render(renderer, "event/sino-soviet-treaty-1950")
    text = visible(html)
    assert "Signed at Signing of the Sino-Soviet treaty" in text
    assert "How it was negotiated: Sino-Soviet treaty negotiations, 1949-1950" in text
    meetings = html.split('id="negotiation"')[1].split("</section>")[0]
    dates = re.findall(r'datetime="([\d-]+)"', meetings)
    assert len(dates) >= 3 and dates == sorted(dates)
    about = html.split('id="documents"')[1].split("</section>")[0]
    about_dates = re.findall(r'datetime="([\d-]+)"', about)
    assert len(about_dates) >= 3 and about_dates == sorted(about_dates)


def test_place_and_event_pages(renderer: PageRenderer) -> None:
    assert "Events here" in visible(render(renderer, "place/moscow"))
    visit = visible(render(renderer, "event/mao-zedong-visit-moscow-1949"))
    assert "Mao Zedong" in visit and "Documents about it, in order" in visit


def test_a_part_forwards_to_its_section_of_the_owner_page(renderer: PageRenderer) -> None:
    html = render(renderer, "document/110296/communication/sending")
    assert 'content="0; url=../../110296.html#communication"' in html


def test_every_link_of_the_static_site_resolves(release: Path) -> None:
    out = site(release)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 500
    ids: dict[Path, set[str]] = {}
    checked = 0
    for page in pages:
        parsed = parse(page.read_text("utf-8"))
        for href in parsed.links:
            if "://" in href or href.startswith(("mailto:", "sparql")):
                continue
            target, _, fragment = href.partition("#")
            path = (page.parent / target).resolve() if target else page
            assert path.is_file(), f"{page.relative_to(out)} links to missing {href}"
            if fragment and path.suffix == ".html":
                if path not in ids:
                    ids[path] = parse(path.read_text("utf-8")).ids
                assert fragment in ids[path], f"{page.relative_to(out)}: no #{fragment} in {target}"
            checked += 1
    assert checked > 5000


def test_static_site_has_every_format_the_rules_and_the_release(release: Path) -> None:
    out = site(release)
    for ext in ("html", "ttl", "jsonld", "nt", "rdf"):
        assert (out / f"document/110296.{ext}").is_file()
    assert (out / "index.html").is_file() and (out / ".well-known" / "void").is_file()
    assert (out / "dist" / "cwgraph.nt.gz").read_bytes() == (release / "cwgraph.nt.gz").read_bytes()
    assert (out / ".htaccess").read_text() == apache_rules()
    assert (out / "nginx.conf").read_text() == nginx_rules()
    htaccess = apache_rules()
    assert "RewriteRule ^ %{REQUEST_URI}.ttl [R=303" in htaccess and "Options -MultiViews" in htaccess
    assert "return 303 $uri.$cwgraph_ext;" in nginx_rules()
    triples = list(ox.parse((out / "document/110296.ttl").read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=BASE))
    assert any(t.subject.value == BASE + "document/110296" for t in triples)
