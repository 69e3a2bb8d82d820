"""SHACL engines side by side on one chunk of generated documents: the compiled evaluator
(cwgraph.validation.shacl), Core constraints translated to SPARQL over pyoxigraph, and pyshacl.

    python bench/generate.py --records 2000 --out /tmp/gen2k --quiet
    python bench/shacl_engines.py /tmp/gen2k [--records 2000] [--pyshacl] [--runs 3]

The SPARQL translation covers the constraints that are one query each — minCount,
maxCount, class, datatype, nodeKind, pattern, minLength and in, on a predicate path of a
targeted shape — and says how many it leaves out (node, or, not, qualified value shapes,
equals, lessThanOrEquals, inverse and sequence paths). On the constraints it covers its
findings are compared with the compiled evaluator's, on the chunk with every 97th triple
dropped (``--drop``) so that both have violations to find. Figures only, no assertion.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pyoxigraph as ox

from cwgraph.resolving.authorities import load_authorities
from cwgraph.core.config import project_root
from cwgraph.mapping import Triples, map_document, map_globals
from cwgraph.resolving.resolve import LocalRegistry, Resolver
from cwgraph.validation.shacl import CompiledShapes, type_context
from cwgraph.sources import ReadResult
from cwgraph.sources.discover import iter_records
from cwgraph.validation.validate import load_shapes, validate_triples

XSD = "http://www.w3.org/2001/XMLSchema#"
OWN = 'FILTER(STRSTARTS(STR(?f), "https://w3id.org/cwgraph/document/"))'  # the chunk's nodes, not its context
SIMPLE = {"minCount", "maxCount", "class", "datatype", "nodeKind", "pattern", "minLength", "in"}


def _value_filter(name: str, arg: object) -> str | None:
    if name == "class":
        return f"FILTER(isLiteral(?v) || NOT EXISTS {{ ?v a <{arg}> }})"
    if name == "datatype":
        return f"FILTER(!isLiteral(?v) || datatype(?v) != <{arg}>)"
    if name == "nodeKind":
        kind = str(arg).rsplit("#", 1)[-1]
        test = {"IRI": "isIRI(?v)", "Literal": "isLiteral(?v)", "BlankNode": "isBlank(?v)",
                "BlankNodeOrIRI": "(isBlank(?v) || isIRI(?v))"}.get(kind)
        return f"FILTER(!{test})" if test else None
    if name == "pattern":
        pattern = arg.pattern.replace("\\", "\\\\").replace('"', '\\"')  # type: ignore[attr-defined]
        flags = ', "i"' if arg.flags & 2 else ""  # type: ignore[attr-defined]
        return f'FILTER(isBlank(?v) || !regex(str(?v), "{pattern}"{flags}))'
    if name == "minLength":
        return f"FILTER(isBlank(?v) || strlen(str(?v)) < {arg})"
    if name == "in":
        values = []
        for t in sorted(arg):  # type: ignore[attr-defined]
            values.append(f"<{t[1]}>" if t[0] == "I" else
                          f'"{t[1]}"' + (f"@{t[3]}" if t[3] else f"^^<{t[2]}>"))
        return f"FILTER(?v NOT IN ({', '.join(values)}))"
    return None


def translate(compiled: CompiledShapes) -> tuple[list[tuple[str, str, str, str]], int, int]:
    """(component, path, target class, query) for each constraint one query can check; counts."""
    queries, covered, skipped = [], 0, 0
    for shape in compiled.targeted:
        for target in shape.targets:
            for prop in shape.properties:
                simple = prop.path is not None and len(prop.path) == 1 and prop.path[0][0] == "out"
                for name, arg in prop.checks:
                    if not simple or name not in SIMPLE:
                        skipped += 1
                        continue
                    p = prop.path[0][1]  # type: ignore[index]
                    if name in ("minCount", "maxCount"):
                        op = "<" if name == "minCount" else ">"
                        q = (f"SELECT ?f WHERE {{ ?f a <{target}> {OWN} OPTIONAL {{ ?f <{p}> ?v }} }} "
                             f"GROUP BY ?f HAVING (COUNT(DISTINCT ?v) {op} {arg})")
                    else:
                        condition = _value_filter(name, arg)
                        if condition is None:
                            skipped += 1
                            continue
                        q = f"SELECT DISTINCT ?f WHERE {{ ?f a <{target}> ; <{p}> ?v . {OWN} {condition} }}"
                    queries.append((name[0].upper() + name[1:], p, target, q))
                    covered += 1
    return queries, covered, skipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="a folder written by bench/generate.py")
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--drop", type=int, default=97, help="drop every N-th triple (0: none)")
    parser.add_argument("--pyshacl", action="store_true", help="also time pyshacl (slow: minutes)")
    args = parser.parse_args()

    auth = load_authorities(args.source / "authorities", project_root())
    static = Triples()
    map_globals(static, auth, LocalRegistry(), {}, [], set())
    context_lines = [line for line in static.lines() if "#type> " in line]
    resolver = Resolver(auth)
    g = Triples()
    for n, record in enumerate(iter_records([args.source / "listings"], project_root(), ReadResult())):
        if n >= args.records:
            break
        try:
            map_document(g, resolver.resolve(record))
        except Exception:  # noqa: BLE001 - a bad generated record is skipped here, reported by builds
            continue
    local = Triples()
    from cwgraph.mapping.entities import map_locals

    map_locals(local, resolver.local)
    context_lines += [line for line in local.lines() if "#type> " in line]
    pairs = [pair for i, pair in enumerate(g.sorted_triples()) if not args.drop or i % args.drop]
    triples = [t for _, t in pairs]  # every --drop'th triple removed: violations both engines must find
    shapes = load_shapes()
    compiled = CompiledShapes(shapes)
    context = type_context(context_lines)
    import os
    import platform

    print(f"{len(triples)} triples of {args.records} generated documents; {platform.machine()}, "
          f"{os.cpu_count()} cores, python {platform.python_version()}")

    native_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        native = validate_triples(triples, context, shapes)
        native_times.append(time.perf_counter() - start)
    print(f"compiled evaluator (all constraints + CRM check): {statistics.median(native_times):.2f} s median "
          f"of {args.runs}, {len(native)} findings")

    queries, covered, skipped = translate(compiled)
    load_times, query_times = [], []
    found: set[tuple[str, str, str]] = set()
    for _ in range(args.runs):
        start = time.perf_counter()
        store = ox.Store()
        store.bulk_load("".join(line for line, _ in pairs).encode() + "".join(context_lines).encode(),
                        format=ox.RdfFormat.N_TRIPLES)
        load_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        found = set()
        for component, path, _, q in queries:
            for row in store.query(q):  # type: ignore[union-attr]
                found.add((row["f"].value, path, component))
        query_times.append(time.perf_counter() - start)
    print(f"SPARQL over pyoxigraph: {len(queries)} queries for {covered} constraints ({skipped} not "
          f"translatable as one query); load {statistics.median(load_times):.2f} s + queries "
          f"{statistics.median(query_times):.2f} s median of {args.runs}")
    from cwgraph.validation.shacl import Index

    index = Index(context=context, inverse=compiled.inverse)
    index.add(triples)
    covered_keys = {(component, path) for component, path, _, _ in queries}
    results = compiled.validate(index, {s for s, _, _ in triples})
    expected = {(r.focus, r.path, r.component) for r in results if (r.component, r.path) in covered_keys}
    print(f"on the covered constraints: SPARQL {len(found)} findings, evaluator {len(expected)}; "
          f"only SPARQL {len(found - expected)}, only evaluator {len(expected - found)}")
    if args.pyshacl:
        import rdflib

        from cwgraph.validation.validate import _shacl

        data = rdflib.Graph().parse(data="".join(line for line, _ in pairs) + "".join(context_lines),
                                    format="nt")
        start = time.perf_counter()
        reference = _shacl(data, shapes)
        print(f"pyshacl (whole chunk, once): {time.perf_counter() - start:.1f} s, {len(reference)} findings")


if __name__ == "__main__":
    main()
