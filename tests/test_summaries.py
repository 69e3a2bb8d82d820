"""Summaries: cover-name statements anywhere in a sentence, mentions only of whole names."""

from __future__ import annotations

import pytest

from cwgraph.resolving.authorities import Authorities
from cwgraph.resolving.summaries import find_cover_statements, find_mentions


@pytest.mark.parametrize("text,cover,bearer", [
    ("Using the name Filippov, Stalin urged Mao to hold the line.", "filippov", "joseph-stalin"),
    ("Writing as Feng Xi, Stalin asked Mao Zedong for his view.", "feng-xi", "joseph-stalin"),
    ("Under the pseudonym Filippov, Stalin replied at once.", "filippov", "joseph-stalin"),
    ("Stalin, using the name Filippov, replied at once.", "filippov", "joseph-stalin"),
])
def test_cover_name_phrases_at_a_sentence_start_and_inside(text: str, cover: str, bearer: str,
                                                           auth: Authorities) -> None:
    found = [(s.cover.id, s.bearer.id if s.bearer else None) for s in find_cover_statements(text, auth)]
    assert (cover, bearer) in found


def test_a_lowercase_phrase_without_a_capitalised_name_is_no_statement(auth: Authorities) -> None:
    assert find_cover_statements("using the name of the party, the leaders wrote.", auth) == []


@pytest.mark.parametrize("text,absent,present", [
    ("The Marshall Islands tests alarmed Molotov.", "george-marshall", "vyacheslav-molotov"),
    ("The Stalin Prize was awarded in Moscow.", "joseph-stalin", None),
    ("Marshall met Molotov in Paris.", None, "george-marshall"),
    ("Marshall, Acheson and Molotov met.", None, "george-marshall"),
    ("A list: Stalin Mao Zedong.", None, "joseph-stalin"),
])
def test_mentions_need_the_whole_name(text: str, absent: str | None, present: str | None, auth: Authorities) -> None:
    ids = {m.entity.id for m in find_mentions(text, auth)}
    if absent:
        assert absent not in ids
    if present:
        assert present in ids
