"""How well cwgraph reads the archive's other collections: build the development set, score it.

    python bench/fidelity.py [--archive ../shared/archive] [--keep DIR] [--verbose]

1. The hand-read set (records 1–270 of ``records.jsonl``, readings in ``expected.jsonl``): a
   listing page in the archive's plain layout with the archive's summaries, built with
   ``cwgraph build``, queried with ``cwgraph query letters``, scored with the archive's
   ``score_letters.py --strict --orgs --authors``. Prints overall, senders, recipients,
   participants, authors and the share of published correspondent names that are false.
2. The unread set (records 271–594): built the same way; prints crashes, records lost (in the
   source, not in the letters), and published correspondent names that look suspicious
   (digits, quotes, lower-case words, dates, countries, verbs and nouns that are not names).

Figures, not assertions: the targets are in issue 11 (overall ≥ 0.85, senders and recipients
≥ 0.80, participants ≥ 0.75, false names ≤ 3 %).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARCHIVE = ROOT.parent / "shared" / "archive"
NAME_COLUMNS = ("senders", "recipients", "intermediaries", "participants", "authors")
# words that are never a correspondent's name on their own (the list of invented names)
_NOT_NAMES = re.compile(
    r"^(?:the\s+)?(?:report|meeting|visit|reply|sent|letter|telegram|memorandum|note|notes|conversation|"
    r"minutes|record|et al\.?|secretary|ambassador|chairman|premier|president|minister|"
    r"germany|china|ussr|prc|korea|crimea|cuba|hungary|poland|japan|united states|united kingdom|"
    r"soviet union|yugoslavia|romania|czechoslovakia|vietnam|mongolia|albania|bulgaria|india|france)$",
    re.I)
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"


def _cwgraph() -> list[str]:
    return [sys.executable, "-m", "cwgraph"]


def write_listing(records: list[dict], path: Path) -> int:
    """A listing page in the archive's plain layout (as ``make_listing.py`` writes it); undated
    records are written with the archive's ``Date unknown``-free form: left out, and counted."""
    kept = [r for r in records if (r.get("date_printed") or "").strip()]
    out = ["Skip to content", "", "", f"1 - {len(kept)} of {len(kept)}", "", ""]
    for r in kept:
        out += [r["date_printed"].strip(), "", r["title"].strip(), ""]
        summary = " ".join((r.get("summary") or "").split())
        if summary:
            out += [summary, ""]
    path.write_text("\n".join(out).rstrip("\n") + "\n", encoding="utf-8")
    return len(records) - len(kept)


def build_and_query(listing: Path, work: Path) -> tuple[Path | None, str, float]:
    """Build ``listing`` into ``work/out`` and write the letters CSV; (csv, stderr, seconds)."""
    out = work / "out"
    started = time.perf_counter()
    build = subprocess.run([*_cwgraph(), "build", "--source", str(listing), "--out", str(out), "--quiet"],
                           capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if build.returncode != 0 or not out.exists():
        return None, build.stdout + build.stderr, seconds
    query = subprocess.run([*_cwgraph(), "query", "letters", "--data", str(out), "--format", "csv"],
                           capture_output=True, text=True, cwd=ROOT)
    if query.returncode != 0:
        return None, build.stderr + query.stderr, seconds
    letters = work / "letters.csv"
    letters.write_text(query.stdout, encoding="utf-8")
    _add_authors(letters, out)
    return letters, build.stderr, seconds


def _add_authors(letters: Path, release: Path) -> None:
    """Until the ``letters`` query has an ``authors`` column (issue 11, item 5), add one from the
    release's ``cw:author`` statements, so that the authors a title names are scored."""
    with letters.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or "authors" in rows[0]:
        return
    import gzip

    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(gzip.decompress((release / "cwgraph.nt.gz").read_bytes()), format=pyoxigraph.RdfFormat.N_TRIPLES)
    authors: dict[str, list[str]] = {}
    for sol in store.query("SELECT ?d ?l WHERE { ?d <https://w3id.org/cwgraph/vocab#author> ?a . "
                           "?a <http://www.w3.org/2000/01/rdf-schema#label> ?l }"):
        authors.setdefault(sol["d"].value, []).append(sol["l"].value)
    for row in rows:
        row["authors"] = " | ".join(sorted(set(authors.get(row["document"], []))))
    with letters.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def score(expected: Path, letters: Path, scorer: Path, verbose: bool) -> dict[str, float]:
    args = [sys.executable, str(scorer), str(expected), str(letters), "--strict", "--orgs", "--authors"]
    run = subprocess.run(args + (["--verbose"] if verbose else []), capture_output=True, text=True)
    text = run.stdout
    if verbose:
        print(text)
    figures = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", text)}
    if m := re.search(r"false names: (\d+) of (\d+)", text):
        figures["false_names"], figures["produced_names"] = int(m.group(1)), int(m.group(2))
    if m := re.search(r"overall ([0-9.]+)", text):
        figures["overall"] = float(m.group(1))
    return figures


def suspicious(name: str) -> str | None:
    """Why a published correspondent name looks invented, or None."""
    bare = name.strip()
    if re.search(r"\d", bare):
        return "digits"
    if re.search(r"[‘’'\"“”]", bare) and not re.search(r"\w[’']\w", bare):
        return "quote"
    if re.search(rf"\b{_MONTHS}\b", bare):
        return "month"
    if _NOT_NAMES.match(bare):
        return "not a name"
    words = [w for w in re.split(r"\s+", bare) if w]
    if any(w[0].islower() and w not in ("of", "the", "and", "in", "for", "de", "van", "von", "il", "al", "bin", "der", "on",
                                        "du", "da", "dos", "del", "di", "la", "le")
           for w in words if w[0].isalpha()):
        return "lower-case word"
    if len(words) > 9:
        return "long"
    return None


def read_letters(letters: Path) -> list[dict]:
    with letters.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _norm(title: str) -> str:
    return " ".join(title.split()).casefold()


def survey(records: list[dict], work: Path) -> dict:
    """Build the unread records; crashes, lost records and suspicious names."""
    listing = work / "listing.txt"
    undated = write_listing(records, listing)
    letters, stderr, seconds = build_and_query(listing, work)
    result: dict = {"records": len(records), "undated_left_out": undated, "seconds": seconds,
                    "crash": None, "lost": [], "suspicious": []}
    if letters is None:
        result["crash"] = stderr[-3000:]
        return result
    if "Traceback" in stderr:
        result["crash"] = stderr[-3000:]
    rows = read_letters(letters)
    published = {_norm(r["title"]) for r in rows}
    for r in records:
        if (r.get("date_printed") or "").strip() and _norm(r["title"]) not in published:
            result["lost"].append(r["title"])
    for row in rows:
        for column in ("senders", "recipients", "intermediaries", "participants", "authors"):
            for name in (x.strip() for x in (row.get(column) or "").split("|")):
                if name and (why := suspicious(name)):
                    result["suspicious"].append((column, name, why, row["title"]))
    result["published"] = len(rows)
    result["names"] = sum(len([x for x in (row.get(c) or "").split("|") if x.strip()])
                          for row in rows for c in NAME_COLUMNS)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    ap.add_argument("--keep", type=Path, help="keep the built folders here instead of a temporary folder")
    ap.add_argument("--verbose", action="store_true", help="print the scorer's list of misses")
    ap.add_argument("--no-survey", action="store_true", help="skip the run over records 271–594")
    args = ap.parse_args(argv)
    archive: Path = args.archive
    records = [json.loads(line) for line in (archive / "records.jsonl").open(encoding="utf-8") if line.strip()]
    by_index = {r["index"]: r for r in records}
    expected = archive / "expected.jsonl"
    read_indexes = {json.loads(line)["index"] for line in expected.open(encoding="utf-8") if line.strip()}

    with tempfile.TemporaryDirectory(prefix="cwgraph-fidelity-") as tmp:
        base = args.keep or Path(tmp)
        dev = base / "dev"
        dev.mkdir(parents=True, exist_ok=True)
        listing = dev / "listing.txt"
        write_listing([by_index[i] for i in sorted(read_indexes)], listing)
        letters, stderr, seconds = build_and_query(listing, dev)
        print(f"development set: {len(read_indexes)} hand-read records (build {seconds:.1f} s)")
        if letters is None:
            print("  build or query failed:\n" + stderr[-3000:])
            return 1
        f = score(expected, letters, archive / "score_letters.py", args.verbose)
        share = f.get("false_names", 0) / f["produced_names"] if f.get("produced_names") else 0.0
        print(f"  overall {f.get('overall', 0):.3f}   senders {f.get('senders', 0):.2f}   "
              f"recipients {f.get('recipients', 0):.2f}   participants {f.get('participants', 0):.2f}   "
              f"authors {f.get('authors', 0):.2f}   intermediaries {f.get('intermediaries', 0):.2f}")
        print(f"  cover names {f.get('cover_names', 0):.2f}   found {f.get('found', 0):.2f}   "
              f"dates {f.get('dates', 0):.2f}   types {f.get('types', 0):.2f}")
        print(f"  false correspondent names {f.get('false_names', 0)} of {f.get('produced_names', 0)} "
              f"({100 * share:.1f} %)")
        if args.no_survey:
            return 0
        unread = [r for r in records if r["index"] not in read_indexes]
        other = base / "unread"
        other.mkdir(parents=True, exist_ok=True)
        s = survey(unread, other)
        print(f"\nunread set: {s['records']} records ({s['undated_left_out']} undated left out; "
              f"build {s['seconds']:.1f} s)")
        print(f"  crash: {'none' if s['crash'] is None else s['crash']}")
        if "published" in s:
            print(f"  published {s['published']}; lost {len(s['lost'])}")
            for title in s["lost"]:
                print(f"    lost: {title}")
            print(f"  suspicious names {len(s['suspicious'])} of {s['names']} published names")
            for column, name, why, title in s["suspicious"]:
                print(f"    {column}: {name!r} ({why}) in {title!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
