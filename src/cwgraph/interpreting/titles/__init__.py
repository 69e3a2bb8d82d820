"""The title grammar: an archive title to its parts.

A title is read in three steps: the first pass (:mod:`~cwgraph.interpreting.titles.tokens`) masks brackets
and quotes and sets aside editorial notes, the quoted subject, trailing numbers, classification
words and dates; then the ordered table of forms (:mod:`~cwgraph.interpreting.titles.forms`) reads it; then
the name gate (:mod:`~cwgraph.interpreting.titles.gate`) keeps a part as an actor only if the lexicon knows it
or it has the shape of a personal or organisation name. Word lists are data
(``data/title-words.tsv``, beside ``data/document-types.tsv``); names come from the authorities.
"""

from cwgraph.interpreting.titles.forms import FORMS, MAX_READ, Form, parse_title
from cwgraph.interpreting.titles.names import MAX_NAME_WORDS, brackets_balanced, split_name_list, strip_role
from cwgraph.interpreting.titles.reading import Conveyed, Lexicon, NameRef, TitleReading
from cwgraph.interpreting.titles.words import HONORIFICS, ROLE_WORDS

__all__ = [
    "FORMS", "HONORIFICS", "MAX_NAME_WORDS", "MAX_READ", "ROLE_WORDS", "Conveyed", "Form", "Lexicon", "NameRef",
    "TitleReading", "brackets_balanced", "parse_title", "split_name_list", "strip_role",
]
