"""What a historian meets first on the pages: one date style, chronological order, dated treaties,
actors apart from contributors, a citation to copy, every canned query in the SPARQL form."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_web_release import graph, published
from test_web_release import render_page as page

from cwgraph.web.citation import bibtex, csl_json
from cwgraph.web.pages import PageRenderer, canned_queries
from cwgraph.web.views import DocumentSummary, Link, Views
from cwgraph.web.when import chronological, humane_edtf, when

BASE = "https://w3id.org/cwgraph/"
DAY_FIRST = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|"
                       r"December) \d{4}\b")


@pytest.fixture(scope="module")
def release(built) -> Path:  # type: ignore[no-untyped-def]
    return published(built[1])


@pytest.fixture(scope="module")
def renderer(release: Path) -> PageRenderer:
    return PageRenderer(graph(release))


def dates_shown(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<time(?: datetime="[^"]*")? title="([^"]*)">([^<]*)</time>', html)


def test_one_date_style_with_exact_bounds(renderer: PageRenderer) -> None:
    for path in ("document/110296", "person/joseph-stalin", "event/mao-zedong-visit-moscow-1949", "place/moscow",
                 "event/sino-soviet-treaty-1950-signing"):
        html = page(renderer, path)
        assert not re.search(r">\d{4}-\d{2}-\d{2}<", html), path  # no bare ISO dates as text
        assert html.count("<time") == len(dates_shown(html)) > 0, path  # every date in one form
        for title, shown in dates_shown(html):
            assert not DAY_FIRST.search(shown), (path, shown)
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}( to \d{4}-\d{2}-\d{2})?( \(printed “[^”]+”\))?", title), \
                (path, title, shown)
    html = page(renderer, "document/110296")
    assert '<time datetime="1947-12-16" title="1947-12-16">December 16, 1947</time>' in html
    signing = page(renderer, "event/sino-soviet-treaty-1950-signing")
    assert '<time datetime="1950-02-14" title="1950-02-14">February 14, 1950</time>' in signing


def test_humane_dates_print_as_the_archive_prints() -> None:
    assert humane_edtf("1950-02-14") == "February 14, 1950"
    assert humane_edtf("1945-02-04/1945-02-11") == "February 4–11, 1945"
    shown = when({"label": "August 1949", "edtf": "1949-08", "begin": "1949-08-01T00:00:00",
                  "end": "1949-08-31T23:59:59"})
    assert shown == {"text": "August 1949", "datetime": "1949-08", "title": "1949-08-01 to 1949-08-31"}
    assert when({"label": "1950-02-14", "edtf": "1950-02-14", "begin": None, "end": None})["text"] == "February 14, 1950"
    printed = when({"label": "16 December 1949", "edtf": "1949-12-16", "begin": "1949-12-16T00:00:00",
                    "end": "1949-12-16T23:59:59"})
    assert printed == {"text": "December 16, 1949", "datetime": "1949-12-16",
                       "title": "1949-12-16 (printed “16 December 1949”)"}
    assert when({"label": "Early 1950", "edtf": "1950-21", "begin": "1950-01-01T00:00:00",
                 "end": "1950-04-30T23:59:59"})["text"] == "Early 1950"
    assert when(None) is None


def test_a_month_sorts_before_its_days_and_a_year_before_its_months() -> None:
    def summary(label: str, begin: str, end: str) -> DocumentSummary:
        return DocumentSummary(Link(label, BASE + "document/" + label), label, None, begin, None, end=end)

    docs = [summary("b-day", "1950-02-01T00:00:00", "1950-02-01T23:59:59"),
            summary("a-month", "1950-02-01T00:00:00", "1950-02-28T23:59:59"),
            summary("c-next-day", "1950-02-02T00:00:00", "1950-02-02T23:59:59"),
            summary("d-year", "1950-01-01T00:00:00", "1950-12-31T23:59:59"),
            summary("e-undated", None, None)]  # type: ignore[arg-type]
    order = [d.link.label for d in sorted(docs, key=lambda d: d.sort_key)]
    assert order == ["d-year", "a-month", "b-day", "c-next-day", "e-undated"]
    assert chronological(None, None) > chronological("1950-12-31T00:00:00", "1950-12-31T23:59:59")


def test_documents_dated_by_a_month_come_before_that_months_first_day(release: Path) -> None:
    views = Views(graph(release))
    summaries = [views.summary(d) for d in views.documents]
    keys = [chronological(s.begin, s.end) for s in summaries]
    assert keys == sorted(keys)
    months = [i for i, s in enumerate(summaries) if s.edtf and re.fullmatch(r"\d{4}-\d{2}", s.edtf)]
    assert months, "the collection has documents dated by a month"
    for i in months:
        later = [s for s in summaries[i + 1:] if s.begin and s.begin[:7] == summaries[i].edtf]
        earlier = [s for s in summaries[:i] if s.begin and s.begin[:7] == summaries[i].edtf and s.edtf != summaries[i].edtf]
        assert not earlier, (summaries[i].link.label, [s.link.label for s in earlier])
        assert all(s.begin >= summaries[i].begin for s in later)  # type: ignore[operator]


def test_the_treaties_have_their_dates(renderer: PageRenderer) -> None:
    home = renderer.render_home()
    for path, shown in (("event/sino-soviet-treaty-1945", "August 14, 1945"),
                        ("event/sino-soviet-treaty-1950", "February 14, 1950")):
        html = page(renderer, path)
        assert "undated" not in html and shown in html, path
        label = renderer.g.label(BASE + path)
        assert re.search(rf'<time[^>]*>{shown}</time></span><span><a href="[^"]*">{re.escape(label)}', home), path


def test_people_are_the_historical_actors_and_contributors_apart(renderer: PageRenderer) -> None:
    home = renderer.render_home()
    people = home[home.index('id="people"'):home.index('id="contributors"')]
    contributors = home[home.index('id="contributors"'):home.index('id="cover-names"')]
    assert "person/joseph-stalin.html" in people and "person/sergey-radchenko.html" not in people
    assert "person/sergey-radchenko.html" in contributors and "translated 7 documents" in contributors
    assert "person/gary-goldberg.html" in contributors
    assert not re.search(r'<span class="written">0</span>', people)  # nobody and no archive with 0 documents
    radchenko = page(renderer, "person/sergey-radchenko")
    assert 'id="translated"' in radchenko and "document/110296.html" in radchenko


def test_cite_this_in_the_archives_form_with_bibtex_and_csl(renderer: PageRenderer) -> None:
    html = page(renderer, "document/110296")
    cite = html[html.index('id="cite"'):]
    assert ("“Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin],” December 16, 1947, Wilson Center Digital "
            "Archive, APRF: F. 39, Op. 1, D. 31, L. 25.") in cite
    assert "https://digitalarchive.wilsoncenter.org/document/" in cite and BASE + "document/110296" in cite
    citation = renderer.views.citation(BASE + "document/110296")
    entry = bibtex(citation)
    assert entry.startswith("@misc{cwgraph:110296,") and "year = {1947}" in entry and "date = {1947-12-16}" in entry
    assert entry.count("{") == entry.count("}")
    item = json.loads(csl_json(citation))[0]
    assert item["type"] == "manuscript" and item["issued"] == {"date-parts": [[1947, 12, 16]]}
    assert item["archive"] == "Wilson Center Digital Archive" and item["translator"] == [{"literal": "Sergey Radchenko"}]
    person = renderer.views.citation(BASE + "person/joseph-stalin")
    assert person.text.startswith("“Joseph Stalin.” In ") and person.text.endswith(BASE + "person/joseph-stalin")
    assert json.loads(csl_json(person))[0]["type"] == "entry"
    home = renderer.render_home()
    assert 'id="cite"' in home
    dataset = renderer.views.citation(BASE + "collection/sino-soviet-alliance")
    assert dataset.text.startswith("Making of the Sino-Soviet Alliance") and " In " not in dataset.text
    assert dataset.text.endswith(BASE + "collection/sino-soviet-alliance")
    assert json.loads(csl_json(dataset))[0]["type"] == "dataset" and "version = {" in bibtex(dataset)


def test_bibtex_escapes_what_tex_would_read() -> None:
    from cwgraph.web.citation import Citation

    entry = bibtex(Citation("document", "x", "Notes on 50% & #1_a {b}", BASE + "document/x", source="F. 3 $"))
    assert r"50\% \& \#1\_a \{b\}" in entry and r"F. 3 \$" in entry


def test_the_sparql_form_offers_every_canned_query_with_its_parameters(renderer: PageRenderer) -> None:
    from cwgraph.querying.queries import load_queries

    html = renderer.render_template("sparql.html", "sparql", title="Query", query="", action="sparql", timeout="5",
                                    max_rows=10, examples=[], result_formats=["json"], results=None)
    for q in load_queries().values():
        assert f'data-name="{q.name}"' in html, q.name
        for p in q.params:
            assert f'data-param="{p.name}"' in html, (q.name, p.name)
    timeline = next(q for q in canned_queries() if q["name"] == "person-timeline")
    assert timeline["params"][0]["namespace"] == BASE + "person/" and timeline["params"][0]["required"]
