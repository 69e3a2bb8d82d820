#!/usr/bin/env python3
"""Generate a realistic, self-contained cwgraph source folder of any size, deterministically.

    python bench/generate.py --records N --out DIR [--seed S] [--bad-share 0.01]
                             [--unknown-share 0.05] [--curated-share 0.1]
                             [--persons K] [--per-file M] [--force]

DIR receives:

- ``listings/page-00001.txt`` …: listing pages in the archive's format ("Skip to content", the
  header ``1 - 10 of T``, then ten blocks of date / title / summary), with the whitespace
  variations real copies have (one to three blank lines, trailing blanks, a block printed
  without blank lines, a summary in two paragraphs, a record without summary, a CRLF page,
  a byte-order mark, no final newline, a no-break space in a date).
- ``records/curated-0001.jsonl`` …: curated records (the keys of ``source/records/*.jsonl``)
  for ``--curated-share`` of the documents. About 60 % of them are also on a listing page
  (same title and date, ``listing_page``/``listing_position`` set for most), so the merge
  path runs; some are two documents with one title and one date on one page (the
  "day and evening meetings" case), told apart by their listing position.
- ``authorities/`` (persons, groups, places, events, cover-names ``.tsv``): the rows of
  ``source/authorities/`` verbatim, followed by invented rows in the same format — thousands
  of persons (Russian, Chinese, Korean, American) with the spelling variants the records use
  (transliterations, initials, Wade-Giles), places, groups, events with matching windows and
  cover names with bearers (some unknown). Invented rows carry no Wikidata QID and say
  ``synthetic (bench/generate.py)`` in their note.
- ``expected.json``: ``{"records": N, "good": …, "bad": [{"file", "line", "kind", "why"}], …}``
  — every record a build must reject, with the file (relative to DIR) and the line its
  reject is reported at; also ``read`` (records a build reads: listing blocks plus curated
  lines) and ``merged`` (curated records that are also on a listing page), so that
  ``published == good``, ``rejected == len(bad)`` and ``read == published + rejected + merged``.

The records follow every title convention of the collection (see
``/work/shared/collection/README.md`` and ``src/cwgraph/interpreting/titles/``): document types with a
classification ("Top Secret Memorandum …"), numbered telegrams ("No. 58986",
"Nos. 50450, 50470, and 50490"), ``Type, X to Y`` / ``Type from X to Y`` / ``Type to Y from X``
/ ``X to Y``, cover names in brackets both ways ("Stalin [Kuznetsov]", "Filippov [Stalin]",
"Feng Xi (Stalin)", "Stalin [via Kuznetsov]"), channels ("[via X]", "(via X)", "via X"),
messages carried inside another ("…, containing a message from Z", "…, transmitting a Message
from Z to W"), roles and honorifics ("Soviet Ambassador to China Nikolai Roshchin", "Cde.",
"Comrade"), conversations ("Memorandum of Conversation between A and B", "Conversation, A and
B with C, Moscow, 17 January 1950", "From the Journal of X: …"), several correspondents
("A, B, and C"), titles with no correspondent (protocols, statements, remarks, recollections,
notes by …), subjects and dates embedded in the title ("…, 18 December 1949", "… on 2 June
1948", "…, December 16, 1947"). Dates come to the day, the month or the year, as ranges,
"c. 1950", "1950s" and "[undated]". Titles repeat; names are written in their variant
spellings; ``--unknown-share`` of the names are names no authority knows. Summaries (one to
five sentences) mention persons, places, groups and events and make cover-name statements
('acting under the name "Terebin."', "Writing as Filippov (Joseph Stalin), …").

``--bad-share`` of the records (listing-only or curated-only ones) cannot be read: an
unreadable date ("Febtember 1950", "31 February 1950"), no title, no date, a line with a
byte that is not UTF-8, a title of more than 1000 characters (a title merged with its
summary), a page cut off after a date. Each is listed in ``expected.json``.

Deterministic: the same arguments give a byte-identical folder (one ``random.Random`` per
concern, seeded from ``--seed``; no timestamps; sorted output). Streaming: records are
written page by page (curated files line by line), page files on two writer threads; memory
grows with the authorities and with one 8-byte hash per distinct (title, date), used to keep
curated records unambiguous (200 MB peak RSS at 1 M records). CPU cost is about 0.1 ms a
record (one core; see bench/README.md).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import shutil
import string
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
REAL_AUTHORITIES = HERE.parent / "source" / "authorities"
AUTHORITY_FILES = ("persons.tsv", "groups.tsv", "places.tsv", "events.tsv", "cover-names.tsv")
SYNTHETIC = "synthetic (bench/generate.py)"

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_MDAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def mdays(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MDAYS[month - 1]


def norm(text: str) -> str:
    """How cwgraph compares a listing record with a curated one (title, printed date)."""
    return " ".join(text.replace("’", "'").split()).casefold()


def name_key(name: str) -> str:
    """Close to cwgraph's ``normalize_name`` (ASCII-only input): used to keep names unique."""
    out = name.casefold().replace("’", "").replace("'", "")
    for ch in ".-‐–—_,;:\"“”()[]":
        out = out.replace(ch, " ")
    return " ".join(out.split())


def _h64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def content_key(date: str, title: str, summary: str | None) -> str:
    """cwgraph's content key (``records.content_key``): ``h-`` + 12 hex digits."""
    def n(text: str | None) -> str:
        return " ".join((text or "").split()).casefold()
    return "h-" + hashlib.sha256(f"{n(date)}\n{n(title)}\n{n(summary)}".encode()).hexdigest()[:12]


def slugify(text: str) -> str:
    out = []
    for ch in name_key(text):
        out.append(ch if ch.isascii() and ch.isalnum() else "-")
    return "-".join(p for p in "".join(out).split("-") if p)[:70]


# --------------------------------------------------------------------------------------------
# Entities
# --------------------------------------------------------------------------------------------

class Person:
    __slots__ = ("id", "label", "forms", "plain", "short", "nat", "roles", "covers", "known")

    def __init__(self, pid: str | None, label: str, variants: list[str], nat: str, known: bool,
                 short: list[str] | None = None, roles: tuple[str, ...] = ()):
        self.id = pid
        self.label = label
        self.forms = [label, *variants]
        # forms that carry no honorific or role of their own (one may be added)
        self.plain = [f for f in self.forms if f.split()[0].rstrip(".").lower() not in _PREFIX_WORDS]
        self.short = short or [label]
        self.nat = nat
        self.roles = roles
        self.covers: list[Cover] = []
        self.known = known


class Cover:
    __slots__ = ("id", "name", "forms", "bearer", "begin", "end", "namesake")

    def __init__(self, cid: str, name: str, variants: list[str], bearer: Person | None, begin: int, end: int,
                 namesake: str | None = None):
        self.id = cid
        self.name = name
        self.forms = [name, *[v for v in variants if not v.lower().startswith(("comrade", "cde", "com["))]]
        self.bearer = bearer
        self.begin = begin
        self.end = end
        self.namesake = namesake


class Named:
    """A place, group or event: forms as written; years (events) for their matching window."""

    __slots__ = ("id", "label", "forms", "lo", "hi", "kind")

    def __init__(self, nid: str | None, label: str, variants: list[str], lo: int = 0, hi: int = 9999,
                 kind: str = ""):
        self.id = nid
        self.label = label
        self.forms = [label, *variants]
        self.lo = lo
        self.hi = hi
        self.kind = kind


_PREFIX_WORDS = {"comrade", "cde", "chairman", "generalissimo", "marshal", "general", "president", "doctor", "dr",
                 "mr", "ambassador", "premier"}

# Real persons: (nationality, weight as a correspondent, short forms in summaries, roles before the name)
REAL_PEOPLE: dict[str, tuple[str, float, list[str] | None, tuple[str, ...]]] = {
    "joseph-stalin": ("ru", 30, ["Stalin"], ("Chairman of the USSR Council of Ministers",)),
    "mao-zedong": ("zh", 30, ["Mao", "Mao Zedong"], (
        "Chairman", "Chairman of the Central People's Government of the People's Republic of China")),
    "zhou-enlai": ("zh", 12, ["Zhou Enlai", "Zhou"], ("Chinese Prime Minister", "Premier")),
    "andrei-vyshinsky": ("ru", 8, ["Vyshinsky"], ("Soviet Foreign Minister", "Minister of Foreign Affairs")),
    "vyacheslav-molotov": ("ru", 6, ["Molotov"], ("Deputy Chairman of the Council of Ministers",)),
    "anastas-mikoyan": ("ru", 6, ["Mikoyan"], ("Politburo member",)),
    "liu-shaoqi": ("zh", 8, ["Liu Shaoqi"], ()),
    "ivan-kovalev": ("ru", 6, ["Kovalev"], ("Soviet representative",)),
    "nikolai-roshchin": ("ru", 5, ["Roshchin"], ("Soviet Ambassador to China", "USSR Ambassador to China")),
    "andrei-gromyko": ("ru", 4, ["Gromyko"], ("Deputy Foreign Minister",)),
    "kim-il-sung": ("ko", 4, ["Kim Il Sung"], ("Premier",)),
    "terenty-shtykov": ("ru", 3, ["Shtykov"], ("Soviet Ambassador to North Korea",)),
    "georgy-malenkov": ("ru", 2, ["Malenkov"], ()),
    "zhu-de": ("zh", 2, None, ("Commander-in-Chief",)),
    "ren-bishi": ("zh", 1, None, ()),
    "peng-dehuai": ("zh", 2, None, ("General",)),
    "chiang-kai-shek": ("zh", 2, ["Chiang Kai-shek"], ("President of the Chinese Republic",)),
    "evgeny-kovalev": ("ru", 1, None, ()),
    "andrei-orlov": ("ru", 1, ["Orlov"], ()),
    "fyodor-kuznetsov": ("ru", 0.3, None, ()),
    "karsky": ("ru", 1, None, ()),
    "miklashevsky": ("ru", 1, None, ()),
    "kotov": ("ru", 0.5, None, ()),
    "dean-acheson": ("us", 0.5, ["Acheson"], ("Secretary of State",)),
    "george-marshall": ("us", 0.5, None, ("General",)),
    "joseph-stilwell": ("us", 0.2, None, ()),
    "syngman-rhee": ("ko", 0.5, None, ()),
    "josip-broz-tito": ("yu", 0.5, ["Tito"], ()),
}
SCHOLARS = {"sergey-radchenko", "gary-goldberg", "andrei-ledovskii", "raisa-mirovitskaia", "vladimir-miasnikov",
            "shuguang-zhang", "jian-chen", "david-wolff"}
TRANSLATORS = ["Sergey Radchenko", "Gary Goldberg", "David Wolff", "Sergei Radchenko"]

# --- name material ---------------------------------------------------------------------------
RU_FIRST = [("Andrei", "Andrey"), ("Nikolai", "Nikolay"), ("Sergei", "Sergey"), ("Aleksei", "Alexei", "Alexey"),
            ("Dmitri", "Dmitry", "Dmitrii"), ("Yuri", "Yury", "Iurii"), ("Grigory", "Grigorii"),
            ("Vasily", "Vasilii", "Vassily"), ("Fyodor", "Fedor"), ("Pyotr", "Petr"), ("Semyon", "Semen"),
            ("Yakov", "Iakov"), ("Ilya", "Ilia"), ("Yevgeny", "Evgeny", "Evgenii"), ("Mikhail",), ("Ivan",),
            ("Pavel",), ("Boris",), ("Konstantin",), ("Viktor",), ("Leonid",), ("Stepan",), ("Timofei", "Timofey"),
            ("Anatoly", "Anatolii"), ("Vladimir",), ("Arkady", "Arkadii"), ("Gennady", "Gennadii"), ("Kirill",),
            ("Matvei", "Matvey"), ("Nikita",), ("Trofim",), ("Filipp",), ("Ignat",), ("Zakhar",), ("Valentin",),
            ("Lev",), ("Oleg",), ("Roman",), ("Maksim", "Maxim"), ("Georgy", "Georgii", "Georgi"), ("Vsevolod",),
            ("Vyacheslav", "Viacheslav"), ("Afanasy", "Afanasii"), ("Kuzma",), ("Terenty", "Terentii"),
            ("Aleksandr", "Alexander"), ("Nikifor",), ("Yemelyan", "Emelian")]
RU_PATRONYMIC = [("Ivanovich",), ("Petrovich",), ("Nikolaevich", "Nikolayevich"), ("Sergeevich", "Sergeyevich"),
                 ("Vasilyevich", "Vasil'evich", "Vasilievich"), ("Fedorovich", "Fyodorovich"), ("Mikhailovich",),
                 ("Pavlovich",), ("Andreyevich", "Andreevich"), ("Grigoryevich", "Grigorievich"), ("Stepanovich",),
                 ("Semyonovich", "Semenovich"), ("Yakovlevich",), ("Borisovich",), ("Konstantinovich",),
                 ("Alekseyevich", "Alexeevich"), ("Dmitrievich",), ("Timofeyevich",), ("Ilyich", "Il'ich"),
                 ("Maksimovich",), ("Romanovich",), ("Leonidovich",), ("Viktorovich",), ("Vladimirovich",),
                 ("Georgievich", "Georgiyevich"), ("Aleksandrovich", "Alexandrovich"), ("Filippovich",),
                 ("Trofimovich",), ("Kuzmich",), ("Afanasyevich", "Afanasievich")]
RU_STEMS = ["Bel", "Gor", "Kras", "Lav", "Mel", "Nov", "Orl", "Pav", "Rud", "Sav", "Tar", "Vol", "Zhur", "Mosk",
            "Pet", "Sok", "Vor", "Zai", "Bog", "Dub", "Kal", "Kol", "Lis", "Mak", "Nik", "Pan", "Rog", "Tim", "Ush",
            "Fed", "Khar", "Chern", "Shev", "Grom", "Zvon", "Bur", "Dor", "Yer", "Kis", "Lob", "Med", "Ost", "Pol",
            "Rad", "Sem", "Ter", "Ulyan", "Fil", "Khrom", "Tsvet", "Shul", "Yak", "Zem", "Bar", "Ves", "Glad",
            "Dem", "Zhel", "Kor", "Lap", "Myas", "Nos", "Pes", "Ryab", "Sluts", "Tol", "Frol", "Tsyb", "Chug",
            "Shap", "Shchuk", "Yud", "Aver", "Bash", "Vin", "Gus", "Drozd", "Yef", "Zub", "Kur", "Luk", "Mir",
            "Naum", "Ovch", "Prokh", "Rozh", "Sid", "Tikh", "Ust", "Khlop", "Tsar", "Chist", "Shir", "Shcherb"]
RU_MIDDLE = ["", "", "a", "o", "e", "i", "ush", "an", "en", "ach", "ets", "il"]
RU_SUFFIX = [("ov",), ("ev", "yov"), ("in",), ("sky", "skii", "skiy"), ("enko",), ("ikov",), ("yakov", "iakov"),
             ("ovsky", "ovskii"), ("anov",), ("kin",), ("chenko",), ("itsyn",), ("nikov",), ("ykh",), ("tsev",)]
ZH_FAMILY = [("Wang", "Wang"), ("Li", "Li"), ("Zhang", "Chang"), ("Liu", "Liu"), ("Chen", "Ch'en"), ("Yang", "Yang"),
             ("Huang", "Huang"), ("Zhao", "Chao"), ("Wu", "Wu"), ("Zhou", "Chou"), ("Xu", "Hsu"), ("Sun", "Sun"),
             ("Ma", "Ma"), ("Zhu", "Chu"), ("Hu", "Hu"), ("Guo", "Kuo"), ("He", "Ho"), ("Gao", "Kao"),
             ("Lin", "Lin"), ("Luo", "Lo"), ("Zheng", "Cheng"), ("Liang", "Liang"), ("Xie", "Hsieh"),
             ("Song", "Sung"), ("Tang", "T'ang"), ("Han", "Han"), ("Feng", "Feng"), ("Deng", "Teng"),
             ("Cao", "Ts'ao"), ("Peng", "P'eng"), ("Zeng", "Tseng"), ("Xiao", "Hsiao"), ("Tian", "T'ien"),
             ("Dong", "Tung"), ("Pan", "P'an"), ("Yuan", "Yuan"), ("Cai", "Ts'ai"), ("Jiang", "Chiang"),
             ("Yu", "Yu"), ("Du", "Tu"), ("Ye", "Yeh"), ("Cheng", "Ch'eng"), ("Wei", "Wei"), ("Su", "Su"),
             ("Lu", "Lu"), ("Ding", "Ting"), ("Ren", "Jen"), ("Shen", "Shen"), ("Yao", "Yao"), ("Cui", "Ts'ui"),
             ("Tan", "T'an"), ("Liao", "Liao"), ("Fan", "Fan"), ("Shi", "Shih"), ("Jia", "Chia"), ("Xia", "Hsia"),
             ("Fu", "Fu"), ("Fang", "Fang"), ("Xiong", "Hsiung"), ("Bai", "Pai"), ("Meng", "Meng"),
             ("Qin", "Ch'in"), ("Hou", "Hou"), ("Yan", "Yen"), ("Duan", "Tuan"), ("Lei", "Lei"), ("Tao", "T'ao"),
             ("Gu", "Ku"), ("Kang", "K'ang"), ("Nie", "Nieh"), ("Rao", "Jao"), ("Bo", "Po"), ("Lai", "Lai")]
ZH_GIVEN = [("an", "an"), ("bo", "po"), ("chun", "ch'un"), ("de", "te"), ("en", "en"), ("fang", "fang"), ("fu", "fu"),
            ("gang", "kang"), ("guo", "kuo"), ("hai", "hai"), ("hong", "hung"), ("hua", "hua"), ("hui", "hui"),
            ("jian", "chien"), ("jun", "chun"), ("kai", "k'ai"), ("lai", "lai"), ("li", "li"), ("liang", "liang"),
            ("lin", "lin"), ("ming", "ming"), ("nan", "nan"), ("ping", "p'ing"), ("qing", "ch'ing"),
            ("quan", "ch'uan"), ("rong", "jung"), ("shan", "shan"), ("sheng", "sheng"), ("shi", "shih"),
            ("tao", "t'ao"), ("tian", "t'ien"), ("wei", "wei"), ("wen", "wen"), ("xian", "hsien"),
            ("xiang", "hsiang"), ("xin", "hsin"), ("xing", "hsing"), ("yi", "i"), ("ying", "ying"), ("yong", "yung"),
            ("yuan", "yuan"), ("yun", "yun"), ("zhang", "chang"), ("zhen", "chen"), ("zheng", "cheng"),
            ("zhi", "chih"), ("zhong", "chung"), ("zi", "tzu"), ("bin", "pin"), ("cai", "ts'ai"),
            ("chang", "ch'ang"), ("dong", "tung"), ("feng", "feng"), ("gui", "kuei"), ("heng", "heng"),
            ("jia", "chia"), ("jin", "chin"), ("kang", "k'ang"), ("lu", "lu"), ("mao", "mao"), ("mu", "mu"),
            ("pei", "p'ei"), ("qi", "ch'i"), ("ren", "jen"), ("rui", "jui"), ("song", "sung"), ("tang", "t'ang"),
            ("ting", "t'ing"), ("xue", "hsueh"), ("yan", "yen"), ("yao", "yao"), ("ze", "tse"), ("zhao", "chao"),
            ("zhou", "chou"), ("zu", "tsu"), ("bao", "pao"), ("da", "ta"), ("guang", "kuang"), ("hao", "hao"),
            ("ji", "chi"), ("kun", "k'un"), ("long", "lung"), ("min", "min"), ("qiu", "ch'iu"), ("shu", "shu"),
            ("wu", "wu"), ("xiu", "hsiu"), ("yu", "yu"), ("zhu", "chu")]
KO_FAMILY = [("Kim",), ("Pak", "Park"), ("Li", "Lee", "Ri"), ("Choe", "Choi"), ("Chong", "Jeong"), ("Kang",),
             ("Cho",), ("Yun",), ("Han",), ("Hong",), ("Ho",), ("Mun",), ("Ryu", "Yu"), ("Sin", "Shin"), ("Om",)]
KO_GIVEN = ["Il", "Sung", "Chol", "Ho", "Yong", "Song", "Hun", "Chang", "Tok", "Hyon", "Man", "Gi", "Ok", "Nam",
            "Chun", "Su", "Gwang", "Bong", "Dok", "Hak", "Jin", "Won", "Yon", "Hwa", "Sok", "Bin", "Gyu"]
US_FIRST = ["John", "Robert", "William", "George", "Harold", "Walter", "Philip", "Edward", "Charles", "Richard",
            "Arthur", "Frank", "Henry", "Paul", "Raymond"]
US_SURNAME = ["Ashford", "Brandt", "Caldwell", "Dunmore", "Ellery", "Fairbank", "Garland", "Holloway", "Ingram",
              "Jessop", "Kendall", "Lockwood", "Merriam", "Norcross", "Oakes", "Prescott", "Quincy", "Rutledge",
              "Sheldon", "Thayer", "Underhill", "Vance", "Whitcomb", "Yardley", "Abbott", "Barlow", "Corbett",
              "Dalton", "Everett", "Fenwick", "Granger", "Hollis", "Kimball", "Lowell", "Mercer", "Pennock"]

RU_ROLES = ("Soviet Ambassador to China", "Soviet Consul General", "Deputy Minister of Foreign Affairs", "General",
            "Colonel", "Soviet military adviser", "Counsellor of the Soviet Embassy", "Soviet trade representative")
ZH_ROLES = ("Chinese Vice Foreign Minister", "Commander", "General", "Vice Chairman", "CCP CC Secretary",
            "Chinese Ambassador to the USSR")
KO_ROLES = ("Korean Ambassador", "Minister", "Vice Premier")
US_ROLES = ("Ambassador", "Consul General", "Secretary of State")
ROLES_BY_NAT = {"ru": RU_ROLES, "zh": ZH_ROLES, "ko": KO_ROLES, "us": US_ROLES, "yu": ()}
DESCRIPTIONS = {"ru": ("Soviet diplomat", "Soviet military officer", "Soviet party official", "Soviet specialist"),
                "zh": ("CCP official", "PLA commander", "Chinese diplomat", "official of the Central People's Government"),
                "ko": ("Korean Workers' Party official", "North Korean diplomat"),
                "us": ("American diplomat", "American officer")}

ZH_PLACE_SYL = ["an", "bao", "chang", "cheng", "da", "dong", "feng", "fu", "gu", "guan", "hai", "he", "heng", "hua",
                "huai", "jia", "jiang", "jin", "kai", "lan", "ling", "long", "nan", "ning", "ping", "qian", "qing",
                "shan", "shou", "song", "tai", "tong", "wei", "xi", "xin", "xing", "yang", "yi", "ying", "yuan",
                "yun", "zhang", "zhou"]
ZH_WG = dict(ZH_GIVEN) | {"cheng": "ch'eng", "gu": "ku", "guan": "kuan", "he": "ho", "huai": "huai", "jiang": "chiang",
                          "lan": "lan", "ling": "ling", "ning": "ning", "qian": "ch'ien", "shou": "shou", "tai": "t'ai",
                          "tong": "t'ung", "xi": "hsi", "yang": "yang"}
RU_PLACE_SUFFIX = ["grad", "sk", "ovka", "insk", "ovo", "nogorsk", "evo"]
PROVINCES = ["hebei", "shanxi", "henan", "hunan", "shandong", "gansu", "xinjiang", "manchuria", "inner-mongolia",
             "china"]

GOODS = ["grain", "oil", "cotton", "rubber", "tin", "tungsten", "steel", "trucks", "aviation fuel", "rolling stock",
         "machine tools", "coal", "wool", "tea"]
TYPES_CORR = [("Cable", 22), ("Telegram", 20), ("Ciphered Telegram", 9), ("Cable Telegram", 3), ("Letter", 10),
              ("Memorandum", 8), ("Note", 3), ("Report", 5), ("Message", 3), ("Directive", 1.5), ("Instructions", 1),
              ("Radiogram", 1), ("Cablegram", 0.5), ("Ciphered Cable", 0.5), ("Reply", 1), ("Information", 1),
              ("Greetings", 0.5), ("Aide-Memoire", 0.3), ("Coded Telegram", 0.5), ("Request", 0.5), ("Dispatch", 0.5),
              ("Circular", 0.4), ("Spravka", 0.3)]
TYPES_CONV = [("Memorandum of Conversation", 10), ("Record of Conversation", 6), ("Record of Talks", 2),
              ("Minutes of Conversation", 2), ("Minutes of Talks", 1.5), ("Notes of Conversation", 1),
              ("Transcript of Conversation", 1), ("Summary of Conversation", 0.5), ("Memorandum of a Conversation", 0.5),
              ("Record of a Conversation", 0.5)]
TITLE_START_TYPES = ["Cable", "Telegram", "Ciphered Telegram", "Letter", "Memorandum", "Report", "Message", "Note"]
BAD_MONTHS = ["Febtember", "Octember", "Janaury", "Septober", "Novembre", "Agust", "Decmber", "Juli"]


def _weighted(pairs: list[tuple[str, float]]) -> tuple[list[str], list[float]]:
    names, cum, total = [], [], 0.0
    for name, weight in pairs:
        total += weight
        names.append(name)
        cum.append(total)
    return names, cum


# --------------------------------------------------------------------------------------------
# Authorities: the real rows, then invented ones
# --------------------------------------------------------------------------------------------

def _read_tsv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    lines = path.read_text("utf-8").splitlines()
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t") + [""] * len(header)
        rows.append({h: c.strip() for h, c in zip(header, cells)})
    return header, rows


def _variants(row: dict[str, str]) -> list[str]:
    label = row.get("label") or row.get("name") or ""
    return [v.strip() for v in (row.get("variants") or "").split(";") if v.strip() and v.strip() != label]


class World:
    """Every entity the records may name, and the rows written to DIR/authorities."""

    def __init__(self, rng: Random, n_persons: int, n_unknown: int):
        self.rng = rng
        self.used: set[str] = set()  # name keys of every authority name (and unknown names)
        self.ids: set[str] = set()
        self.rows: dict[str, list[list[str]]] = {f: [] for f in AUTHORITY_FILES}
        self.known: list[Person] = []     # real correspondents, weighted
        self.invented: list[Person] = []  # invented, skewed (the first are frequent)
        self.unknown: list[Person] = []
        self.groups: list[Named] = []
        self.recipient_groups: list[Named] = []
        self.places: list[Named] = []
        self.conv_places: list[Named] = []
        self.events: list[Named] = []
        self.covers: list[Cover] = []
        self.channels: list[Person] = []
        self.zh_places: list[Named] = []
        self._load_real()
        self._invent_persons(n_persons)
        self._invent_unknown(n_unknown)
        self._invent_places(max(150, n_persons // 20))
        self._invent_groups(max(40, n_persons // 60))
        self._invent_covers(max(20, n_persons // 100))
        self._invent_events(max(40, n_persons // 100))
        _, self.known_cum = self._cum(self.known, [REAL_PEOPLE.get(p.id or "", ("", 0.3, None, ()))[1]
                                                                  for p in self.known])
        self.events_by_year: dict[int, list[Named]] = {}
        for year in range(1940, 1965):
            self.events_by_year[year] = [e for e in self.events if e.lo <= year <= e.hi]
        self.undated_events = [e for e in self.events if e.lo == 0]
        self.covered = [c for c in self.covers if c.bearer is not None]

    @staticmethod
    def _cum(items: list[Person], weights: list[float]) -> tuple[list[Person], list[float]]:
        cum, total = [], 0.0
        for w in weights:
            total += w
            cum.append(total)
        return items, cum

    def _claim(self, name: str) -> bool:
        key = name_key(name)
        if not key or key in self.used:
            return False
        self.used.add(key)
        return True

    def _new_id(self, base: str) -> str:
        slug = slugify(base) or "x"
        candidate, n = slug, 2
        while candidate in self.ids:
            candidate, n = f"{slug}-{n}", n + 1
        self.ids.add(candidate)
        return candidate

    # -- real rows ---------------------------------------------------------------------------
    def _load_real(self) -> None:
        self.real_text: dict[str, str] = {}
        for filename in AUTHORITY_FILES:
            path = REAL_AUTHORITIES / filename
            text = path.read_text("utf-8")
            self.real_text[filename] = text if text.endswith("\n") else text + "\n"
            _, rows = _read_tsv(path)
            for row in rows:
                self.ids.add(row["id"])
                label = row.get("label") or row.get("name") or ""
                for name in [label, *_variants(row)]:
                    self.used.add(name_key(name))
                self._real_row(filename, row, label)
        self.person_by_id = {p.id: p for p in self.known}
        for cover in list(self.covers):
            bearer = self.person_by_id.get(cover.bearer) if isinstance(cover.bearer, str) else None
            cover.bearer = bearer
            if bearer is not None:
                bearer.covers.append(cover)
        for pid in ("ivan-kovalev", "terenty-shtykov", "nikolai-roshchin", "evgeny-kovalev"):
            self.channels.append(self.person_by_id[pid])

    def _real_row(self, filename: str, row: dict[str, str], label: str) -> None:
        variants = _variants(row)
        if filename == "persons.tsv":
            if row["id"] in SCHOLARS:
                return
            zh = label.split()[0] in {f for f, _ in ZH_FAMILY} | {"Qian", "Nie", "Duan", "Guo"}
            nat, _weight, short, roles = REAL_PEOPLE.get(row["id"], ("zh" if zh else "ru", 0.3, None, ()))
            if short is None:
                short = [label] if nat in ("zh", "ko") else [label.split()[-1]]
            self.known.append(Person(row["id"], label, variants, nat, True, short, roles))
        elif filename == "groups.tsv":
            if row["id"] in {"aprf", "garf", "rgaspi", "prc-foreign-ministry-archive", "cwihp",
                             "ccp-central-documentary-research-office"}:
                return
            named = Named(row["id"], label, variants)
            self.groups.append(named)
            if row["id"] in {"ccp-central-committee", "vkp-b-central-committee", "soviet-government",
                             "central-peoples-government", "chinese-foreign-ministry", "nanjing-government"}:
                self.recipient_groups.append(named)
        elif filename == "places.tsv":
            named = Named(row["id"], label, variants)
            self.places.append(named)
            if row["id"] in {"moscow", "beijing", "xibaipo", "yalta", "harbin", "shanghai", "nanjing", "leningrad",
                             "dalian", "port-arthur", "urumqi", "changchun", "tianjin"}:
                self.conv_places.append(named)
        elif filename == "events.tsv":
            lo = int(row["match_from"][:4]) if row.get("match_from") else (int(row["begin"][:4]) if row.get("begin") else 0)
            hi = int(row["match_until"][:4]) if row.get("match_until") else (
                int(row["end"][:4]) if row.get("end") else (9999 if lo else 0))
            if row.get("match_from") and not row.get("match_until"):
                hi = 9999
            self.events.append(Named(row["id"], label, variants, lo, hi, row.get("kind", "")))
        elif filename == "cover-names.tsv":
            begin = int(row["begin"][:4]) if row.get("begin") else 0
            end = int(row["end"][:4]) if row.get("end") else 9999
            namesake = "Fyodor Kuznetsov" if row["id"] == "kuznetsov" else None
            self.covers.append(Cover(row["id"], label, variants, row.get("bearer") or None,  # type: ignore[arg-type]
                                     begin, end, namesake))

    # -- invented persons --------------------------------------------------------------------
    def _ru_person(self) -> tuple[str, list[str], str] | None:
        rng = self.rng
        first = rng.choice(RU_FIRST)
        patr = rng.choice(RU_PATRONYMIC)
        stem, mid, suf = rng.choice(RU_STEMS), rng.choice(RU_MIDDLE), rng.choice(RU_SUFFIX)
        surname = stem + mid + suf[0]
        if len(surname) < 5:
            return None
        label = f"{first[0]} {surname}"
        if not self._claim(label):
            return None
        cands = [f"{first[0][0]}. {patr[0][0]}. {surname}", f"{first[0][0]}.{patr[0][0]}. {surname}",
                 f"{first[0]} {patr[0]} {surname}"]
        cands += [f"{alt} {surname}" for alt in first[1:]]
        cands += [f"{first[0]} {patr[0]} {surname}".replace(patr[0], alt) for alt in patr[1:2]]
        cands += [f"{first[0]} {stem + mid + alt}" for alt in suf[1:]]
        if len(suf) > 1:
            cands.append(f"{first[0][0]}. {patr[0][0]}. {stem + mid + suf[1]}")
        if surname.startswith("Kh") and rng.random() < 0.5:
            cands.append(f"{first[0]} H{surname[2:]}")
        if rng.random() < 0.3:  # the archive's typo
            i = rng.randrange(2, len(surname) - 1)
            cands.append(f"{first[0][0]}. {patr[0][0]}. {surname[:i] + surname[i + 1:]}")
        variants = [c for c in dict.fromkeys(cands) if c != label and self._claim(c)]
        return label, variants, surname

    def _zh_person(self) -> tuple[str, list[str], str] | None:
        rng = self.rng
        fam = rng.choice(ZH_FAMILY)
        g1 = rng.choice(ZH_GIVEN)
        two = rng.random() < 0.85
        g2 = rng.choice(ZH_GIVEN) if two else None
        given = g1[0] + (g2[0] if g2 else "")
        label = f"{fam[0]} {given.capitalize()}"
        if not self._claim(label):
            return None
        wg_given = g1[1].capitalize() + (f"-{g2[1]}" if g2 else "")
        cands = [f"{fam[1]} {wg_given}", f"{fam[1]} {wg_given}".replace("'", "")]
        if g2:
            cands.append(f"{fam[0]} {g1[0].capitalize()}-{g2[0]}")
        variants = [c for c in dict.fromkeys(cands) if c != label and self._claim(c)]
        return label, variants, label

    def _ko_person(self) -> tuple[str, list[str], str] | None:
        rng = self.rng
        fam = rng.choice(KO_FAMILY)
        g1, g2 = rng.choice(KO_GIVEN), rng.choice(KO_GIVEN)
        label = f"{fam[0]} {g1} {g2}"
        if not self._claim(label):
            return None
        cands = [f"{fam[0]} {g1}-{g2.lower()}", f"{fam[0]} {g1}-{g2}"] + [f"{alt} {g1} {g2}" for alt in fam[1:]]
        variants = [c for c in dict.fromkeys(cands) if c != label and self._claim(c)]
        return label, variants, label

    def _us_person(self) -> tuple[str, list[str], str] | None:
        rng = self.rng
        first, last = rng.choice(US_FIRST), rng.choice(US_SURNAME)
        middle = rng.choice("ABCDEFGHJKLMNPRSTW")
        label = f"{first} {middle}. {last}"
        if not self._claim(label):
            return None
        cands = [f"{first} {last}", f"{first[0]}. {middle}. {last}"]
        variants = [c for c in dict.fromkeys(cands) if self._claim(c)]
        return label, variants, last

    def _invent_persons(self, count: int) -> None:
        rng = self.rng
        makers: list[tuple[str, Callable[[], tuple[str, list[str], str] | None]]] = [
            ("ru", self._ru_person), ("zh", self._zh_person), ("ko", self._ko_person), ("us", self._us_person)]
        cum = [0.47, 0.88, 0.96, 1.0]
        made: list[tuple[str, str, list[str], str]] = []
        tries = 0
        while len(made) < count and tries < count * 20:
            tries += 1
            r = rng.random()
            nat, maker = next(m for m, c in zip(makers, cum) if r < c)
            got = maker()
            if got is not None:
                made.append((nat, *got))
        surnames: dict[str, int] = {}
        for nat, _label, _variants, surname in made:
            if nat in ("ru", "us"):
                surnames[surname] = surnames.get(surname, 0) + 1
        for nat, label, variants, surname in made:
            if nat in ("ru", "us") and surnames[surname] == 1 and self._claim(surname):
                variants = [*variants, surname]  # a bare surname only where it is unambiguous
                short = [surname]
            else:
                short = [label]
            pid = self._new_id(label)
            roles = ROLES_BY_NAT[nat]
            person = Person(pid, label, variants, nat, True, short, roles)
            self.invented.append(person)
            if nat == "ru" and rng.random() < 0.08:
                self.channels.append(person)
            self.rows["persons.tsv"].append([pid, label, "; ".join(variants), "", "", rng.choice(DESCRIPTIONS[nat]),
                                             SYNTHETIC])

    def _invent_unknown(self, count: int) -> None:
        """Names no authority knows (not written to the authority files)."""
        rng = self.rng
        makers = [("ru", self._ru_person), ("zh", self._zh_person), ("ko", self._ko_person)]
        tries = 0
        while len(self.unknown) < count and tries < count * 20:
            tries += 1
            nat, maker = makers[0] if rng.random() < 0.5 else makers[1 if rng.random() < 0.85 else 2]
            got = maker()
            if got is None:
                continue
            label, variants, surname = got
            short = [surname] if nat == "ru" else [label]
            self.unknown.append(Person(None, label, variants[:2], nat, False, short, ROLES_BY_NAT[nat][:2]))

    # -- places, groups, events, cover names ---------------------------------------------------
    def _invent_places(self, count: int) -> None:
        rng = self.rng
        made = 0
        tries = 0
        while made < count and tries < count * 30:
            tries += 1
            if rng.random() < 0.75:
                a, b = rng.choice(ZH_PLACE_SYL), rng.choice(ZH_PLACE_SYL)
                if a == b:
                    continue
                label = (a + b).capitalize()
                wg = (ZH_WG.get(a, a) + ZH_WG.get(b, b)).replace("'", "").capitalize()
                wg2 = ZH_WG.get(a, a).capitalize() + "-" + ZH_WG.get(b, b)
                cands = [wg, wg2, f"{label} county"]
                within = rng.choice(PROVINCES)
                desc = "town in China"
            else:
                label = rng.choice(RU_STEMS) + rng.choice(["a", "o", "e", ""]) + rng.choice(RU_PLACE_SUFFIX)
                cands = [label.replace("sk", "ssk")] if "sk" in label else []
                within = "soviet-union"
                desc = "town in the Soviet Union"
            if not self._claim(label):
                continue
            variants = [c for c in dict.fromkeys(cands) if c != label and self._claim(c)]
            pid = self._new_id(label)
            self.rows["places.tsv"].append([pid, label, "; ".join(variants), "", "", desc, SYNTHETIC, within])
            place = Named(pid, label, variants)
            if within != "soviet-union":
                self.zh_places.append(place)
            self.places.append(place)
            if rng.random() < 0.3:
                self.conv_places.append(place)
            made += 1

    def _invent_groups(self, count: int) -> None:
        rng = self.rng
        zh_places = self.zh_places or [p for p in self.places if p.id in PROVINCES]
        ordinals = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
                    "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth",
                    "Eighteenth", "Nineteenth", "Twentieth"]
        suffix = {1: "st", 2: "nd", 3: "rd"}
        made, tries = 0, 0
        while made < count and tries < count * 30:
            tries += 1
            r = rng.random()
            place = rng.choice(zh_places)
            if r < 0.35:
                label = f"{place.label} Provincial Committee of the CCP"
                cands = [f"{place.label} Provincial Party Committee", f"CCP {place.label} Committee"]
                desc = "provincial committee of the Chinese Communist Party"
            elif r < 0.55:
                label = f"Soviet Military Mission in {place.label}"
                cands = [f"Soviet military mission in {place.label}"]
                desc = "Soviet military mission"
            elif r < 0.75:
                n = rng.randrange(1, 21)
                label = f"{ordinals[n - 1]} Field Army"
                cands = [f"{n}{suffix.get(n % 10 if n not in (11, 12, 13) else 0, 'th')} Field Army",
                         f"PLA {ordinals[n - 1]} Field Army"]
                desc = "army of the PLA"
            elif r < 0.9:
                label = f"{place.label} Military District"
                cands = [f"{place.label} military district"]
                desc = "military district"
            else:
                label = f"Soviet Trade Delegation in {place.label}"
                cands = [f"Soviet trade delegation in {place.label}"]
                desc = "Soviet trade delegation"
            if not self._claim(label):
                continue
            variants = [c for c in dict.fromkeys(cands) if c != label and self._claim(c)]
            gid = self._new_id(label)
            self.rows["groups.tsv"].append([gid, label, "; ".join(variants), "", "", desc, SYNTHETIC])
            group = Named(gid, label, variants)
            self.groups.append(group)
            if rng.random() < 0.3:
                self.recipient_groups.append(group)
            made += 1

    def _invent_covers(self, count: int) -> None:
        rng = self.rng
        ru = [p for p in self.invented if p.nat == "ru"]
        zh = [p for p in self.invented if p.nat == "zh"]
        made, tries = 0, 0
        while made < count and tries < count * 30:
            tries += 1
            name = rng.choice(RU_STEMS) + rng.choice(["a", "o", "e", "i"]) + rng.choice(["nin", "shin", "lin", "tov", "rov"])
            if not self._claim(name):
                continue
            r = rng.random()
            if r < 0.15 or not ru:
                bearer, certainty = None, "bearer unknown"
            elif r < 0.25:
                bearer, certainty = rng.choice(self.known[:12]), "secondary"
            else:
                bearer, certainty = rng.choice(ru + zh[: len(zh) // 5]), "confirmed"
            begin = rng.randrange(1944, 1954)
            end = begin + rng.randrange(0, 4)
            cands = [name[:2] + name[1:], f"Comrade {name}", f"Cde. {name}"]
            variants = [c for c in dict.fromkeys(cands) if c != name and self._claim(c)]
            cid = self._new_id(name)
            used = f"{begin}-{end} cables" + (f" of {bearer.label}" if bearer else "")
            self.rows["cover-names.tsv"].append([
                cid, name, "; ".join(variants), bearer.id if bearer else "", str(begin), str(end), used,
                f"https://digitalarchive.wilsoncenter.org/document/{rng.randrange(100000, 300000)}", certainty])
            cover = Cover(cid, name, variants, bearer, begin, end)
            self.covers.append(cover)
            if bearer is not None:
                bearer.covers.append(cover)
            made += 1

    def _invent_events(self, count: int) -> None:
        rng = self.rng
        topics = ["railway", "aviation", "oil", "non-ferrous metals", "trade", "credit", "shipping", "telegraph",
                  "specialists", "border", "fisheries", "customs"]
        made, tries = 0, 0
        while made < count and tries < count * 30:
            tries += 1
            r = rng.random()
            year = rng.randrange(1945, 1956)
            if r < 0.45:
                person = rng.choice(self.known[:12] + self.invented[:200])
                place = rng.choice(self.conv_places)
                label = f"{person.label}'s visit to {place.label}, {year}"
                cands = [f"{person.short[0]}'s visit to {place.label}", f"{person.short[0]}'s trip to {place.label}"]
                kind, participants, where = "visit", person.id or "", place.id or ""
                month = rng.randrange(1, 12)
                begin, end = f"{year}-{month:02d}", f"{year}-{month + 1:02d}"
                mfrom, muntil = f"{year}-{month:02d}-01", f"{year}-{month + 1:02d}-{mdays(year, month + 1)}"
                lo, hi = year, year
            elif r < 0.7:
                topic = rng.choice(topics)
                place = rng.choice(self.conv_places)
                label = f"Sino-Soviet {topic} talks, {year}"
                cands = [f"{topic} talks of {year}", f"Sino-Soviet talks on {topic}" + (f" in {year}")]
                kind, participants, where = "negotiation", "", place.id or ""
                begin, end, mfrom, muntil = str(year), str(year), f"{year}-01-01", f"{year}-12-31"
                lo, hi = year, year
            elif r < 0.9:
                place = rng.choice(self.places)
                label = f"{place.label} conference, {year}"
                cands = [f"conference in {place.label}", f"{place.label} conference"]
                kind, participants, where = "conference", "", place.id or ""
                begin, end, mfrom, muntil = str(year), str(year), str(year), str(year + 1)
                lo, hi = year, year + 1
            else:
                topic = rng.choice(topics)
                label = f"Sino-Soviet agreement on {topic}, {year}"
                cands = [f"agreement on {topic}", f"Sino-Soviet {topic} agreement"]
                kind, participants, where = "treaty", "", "moscow"
                begin = end = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
                mfrom, muntil = f"{year - 1}-06-01", ""
                lo, hi = year - 1, 9999
            if not self._claim(label):
                continue
            variants = [c for c in dict.fromkeys(cands) if c != label and self._claim(c)]
            eid = self._new_id(label)
            self.rows["events.tsv"].append([eid, label, "; ".join(variants), "", "", f"{kind} ({year})", SYNTHETIC,
                                            kind, begin, end, where, "", participants, mfrom, muntil])
            self.events.append(Named(eid, label, variants, lo, hi, kind))
            made += 1

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for filename in AUTHORITY_FILES:
            rows = sorted(self.rows[filename], key=lambda r: r[0])
            text = self.real_text[filename] + "".join("\t".join(r) + "\n" for r in rows)
            (folder / filename).write_bytes(text.encode("utf-8"))


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------

class Ctx:
    """What a record's title says, for its summary and its curated mentions."""

    __slots__ = ("senders", "recipients", "channels", "participants", "authors", "carried", "places", "covers",
                 "mentioned", "doc_word", "year", "kind", "used")

    def __init__(self) -> None:
        self.senders: list[tuple[Person, str]] = []      # (person, as written)
        self.recipients: list[tuple[Person, str]] = []
        self.channels: list[tuple[Person, str]] = []
        self.participants: list[tuple[Person, str]] = []
        self.authors: list[tuple[Person, str]] = []
        self.carried: list[tuple[Person, str]] = []
        self.places: list[str] = []
        self.covers: list[tuple[Cover, Person]] = []
        self.mentioned: list[str] = []
        self.doc_word = "document"
        self.year = 0
        self.kind = "corr"
        self.used: list[Person] = []  # persons the title names already (no one writes to himself)


class Generator:
    def __init__(self, world: World, seed: int, unknown_share: float):
        self.w = world
        self.rng = Random(f"{seed}-records")
        self._random = self.rng.random
        self.unknown_share = unknown_share
        self.corr_types = _weighted(TYPES_CORR)
        self.conv_types = _weighted(TYPES_CONV)
        self.recent: list[str] = []
        self.serial = 0

    # -- small helpers -----------------------------------------------------------------------
    def pick(self, seq: list):  # noqa: ANN201
        return seq[int(self._random() * len(seq))]

    def pick_person(self, ctx: Ctx | None = None) -> Person:
        p = self._pick_person()
        if ctx is not None:
            for _ in range(4):
                if p not in ctx.used:
                    break
                p = self._pick_person()
            ctx.used.append(p)
        return p

    def _pick_person(self) -> Person:
        r = self.rng.random()
        w = self.w
        if r < self.unknown_share:
            return self.pick(w.unknown)
        if r < self.unknown_share + 0.42:
            x = self.rng.random() * w.known_cum[-1]
            lo, hi = 0, len(w.known_cum) - 1
            while lo < hi:
                mid = (lo + hi) // 2
                if w.known_cum[mid] < x:
                    lo = mid + 1
                else:
                    hi = mid
            return w.known[lo]
        if not w.invented:
            return w.known[int(len(w.known) * self.rng.random())]
        # invented persons: a few are frequent, most are rare
        return w.invented[int(len(w.invented) * self.rng.random() ** 2.2)]

    def written_form(self, p: Person) -> str:
        r = self.rng.random()
        if r < 0.45:
            return self.pick(p.short)
        if r < 0.65:
            return p.label
        return self.pick(p.forms)

    def decorate(self, p: Person, form: str) -> str:
        r = self.rng.random()
        if form in p.plain:
            if r < 0.07:
                return ("Cde. " if self.rng.random() < 0.6 else "Comrade ") + form
            if r < 0.14 and p.roles:
                return f"{self.pick(p.roles)} {form}"
        return form

    def person_ref(self, p: Person, ctx: Ctx, role: str, allow_cover: bool = True) -> str:
        """A person as a title writes it: variant, honorific or role, cover name in brackets."""
        rng = self.rng
        if allow_cover and p.covers and rng.random() < 0.45:
            covers = [c for c in p.covers if not ctx.year or c.begin <= ctx.year <= c.end] or p.covers
            cover = self.pick(covers)
            cname = self.pick(cover.forms)
            pform = self.pick(p.short) if rng.random() < 0.7 else self.pick(p.plain or p.forms)
            r = rng.random()
            ctx.covers.append((cover, p))
            if r < 0.3:
                text = f"{pform} [{cname}]"
            elif r < 0.62:
                text = f"{cname} [{pform}]"
            elif r < 0.72:
                text = f"{cname} ({pform})"
            elif r < 0.9 or role != "sender":
                text = cname
            else:
                text = f"{pform} [via {cname}]"
            ctx.mentioned.append(text)  # a curator writes the name as the title has it, without honorific
            if r >= 0.3 and r < 0.62 and rng.random() < 0.12:
                text = ("Comrade " if rng.random() < 0.5 else "Cde. ") + text
            return text
        form = self.written_form(p)
        text = self.decorate(p, form)
        if p is self.w.person_by_id.get("mao-zedong") and rng.random() < 0.03:
            text = form = "Chairman Mao [Zedong]"
        ctx.mentioned.append(form)
        return text

    def name_list(self, ctx: Ctx, role: str, first: Person | None = None, max_n: int = 3) -> str:
        rng = self.rng
        r = rng.random()
        n = 1 if r < 0.84 or max_n == 1 else (2 if r < 0.96 or max_n == 2 else 3)
        parts = []
        target = ctx.senders if role == "sender" else ctx.recipients
        chosen: list[Person] = []
        for i in range(n):
            if role == "recipient" and rng.random() < 0.07 and self.w.recipient_groups:
                g = self.pick(self.w.recipient_groups)
                form = self.pick(g.forms)
                if rng.random() < 0.2 and not form.startswith("the "):
                    form = "the " + form
                parts.append(form)
                ctx.mentioned.append(form[4:] if form.startswith("the ") else form)
                continue
            p = first if (i == 0 and first is not None) else self.pick_person(ctx)
            if p in chosen:
                continue
            chosen.append(p)
            text = self.person_ref(p, ctx, role)
            target.append((p, text))
            parts.append(text)
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            return f"{parts[0]} and {parts[1]}"
        if rng.random() < 0.6:
            return f"{parts[0]}, {parts[1]}, and {parts[2]}"
        return f"{parts[0]}, {parts[1]} and {parts[2]}"

    def channel(self, ctx: Ctx) -> str:
        rng = self.rng
        w = self.w
        if rng.random() < 0.35:
            terebin = next((c for c in w.covers if c.id == "terebin"), None)
            if terebin is not None and rng.random() < 0.5:
                ctx.channels.append((terebin.bearer, terebin.name))  # type: ignore[arg-type]
                ctx.covers.append((terebin, terebin.bearer))  # type: ignore[arg-type]
                return self.pick(terebin.forms)
            c = self.pick(w.covered)
            ctx.covers.append((c, c.bearer))  # type: ignore[arg-type]
            ctx.channels.append((c.bearer, c.name))  # type: ignore[arg-type]
            return c.name
        p = self.pick(w.channels) if rng.random() < 0.8 else self.pick_person(ctx)
        text = self.decorate(p, self.written_form(p))
        ctx.channels.append((p, text))
        return text

    def doc_type(self, which: tuple[list[str], list[float]]) -> str:
        names, cum = which
        x = self.rng.random() * cum[-1]
        for name, c in zip(names, cum):
            if x < c:
                return name
        return names[-1]

    def number(self) -> str:
        r = self.rng.random()
        if r < 0.1:
            return f"0{self.ri(10, 999)}"
        return str(self.ri(100, 99999))

    def place_form(self, place: Named) -> str:
        return place.label if self.rng.random() < 0.75 else self.pick(place.forms)

    def dmy(self, y: int, m: int, d: int) -> str:
        return f"{d} {MONTHS[m - 1]} {y}"

    # -- dates -------------------------------------------------------------------------------
    YEARS = [1944] + [1945] * 4 + [1946] * 4 + [1947] * 6 + [1948] * 10 + [1949] * 16 + [1950] * 16 + \
        [1951] * 6 + [1952] * 4 + [1953] * 3 + [1954] * 2 + [1955] * 2 + [1956] * 2 + [1958]

    def date(self) -> tuple[str, int, int, int, str]:
        """(printed, year, month, day, precision); year 0 when undated."""
        rng = self.rng
        year = self.pick(self.YEARS)
        r = rng.random()
        month = self.ri(1, 13)
        if r < 0.74:
            day = self.ri(1, mdays(year, month) + 1)
            if rng.random() < 0.01:
                return f"{day} {MONTHS[month - 1]} {year}", year, month, day, "day"
            return f"{MONTHS[month - 1]} {day}, {year}", year, month, day, "day"
        if r < 0.88:
            return f"{MONTHS[month - 1]} {year}", year, month, 0, "month"
        if r < 0.94:
            return str(year), year, 0, 0, "year"
        if r < 0.96:
            return f"c. {year}", year, 0, 0, "approx"
        if r < 0.97:
            return f"{year // 10 * 10}s", 0, 0, 0, "decade"
        if r < 0.985:
            last = mdays(year, month)
            d1 = self.ri(1, last - 3)
            d2 = d1 + self.ri(1, 4)
            return f"{MONTHS[month - 1]} {d1}-{d2}, {year}", year, month, d1, "range"
        return "[undated]", 0, 0, 0, "undated"

    def embedded(self, y: int, m: int, d: int, precision: str) -> str:
        rng = self.rng
        if precision == "day" or precision == "range":
            if rng.random() < 0.15:
                d = max(1, min(mdays(y, m), d + rng.choice((-3, -2, -1, 1, 2))))
            r = rng.random()
            if r < 0.6:
                return f", {self.dmy(y, m, d)}"
            if r < 0.8:
                return f", {MONTHS[m - 1]} {d}, {y}"
            return f" on {self.dmy(y, m, d)}"
        if precision == "month":
            return f", {MONTHS[m - 1]} {y}"
        return ""

    # -- titles ------------------------------------------------------------------------------
    def title(self, ctx: Ctx, y: int, m: int, d: int, precision: str) -> str:
        r = self.rng.random()
        if r < 0.72:
            return self.correspondence(ctx, y, m, d, precision)
        if r < 0.9:
            return self.conversation(ctx, y, m, d, precision)
        return self.other(ctx, y, m, d, precision)

    def classified(self, t: str) -> str:
        r = self.rng.random()
        if r < 0.06:
            return "Top Secret " + t
        if r < 0.08:
            return "Secret " + t
        if r < 0.085:
            return "Urgent " + t
        return t

    def correspondence(self, ctx: Ctx, y: int, m: int, d: int, precision: str, simple: bool = False) -> str:
        rng = self.rng
        ctx.kind = "corr"
        t = self.pick(TITLE_START_TYPES) if simple else self.doc_type(self.corr_types)
        ctx.doc_word = t.split()[-1].lower()
        r = rng.random()
        if not simple and r < 0.02:  # several telegrams carrying one message
            plural = {"Telegram": "Telegrams", "Cable": "Cables", "Ciphered Telegram": "Ciphered Telegrams"}.get(
                t, "Ciphered Telegrams")
            nums = [self.number() for _ in range(self.ri(2, 4))]
            numtext = f"{nums[0]} and {nums[1]}" if len(nums) == 2 else f"{nums[0]}, {nums[1]}, and {nums[2]}"
            s = self.name_list(ctx, "sender", max_n=1)
            rc = self.name_list(ctx, "recipient", max_n=1)
            z = self.pick_person(ctx)
            zt = self.person_ref(z, ctx, "carried")
            ctx.carried.append((z, zt))
            wv = self.pick_person(ctx)
            wt = self.person_ref(wv, ctx, "recipient")
            ctx.recipients.append((wv, wt))
            verb = rng.choice(("transmitting a Message", "transmitting a message", "forwarding a Letter"))
            return f"{plural} Nos. {numtext}, {s} to {rc}, {verb} from {zt} to {wt}"
        numbered = not simple and rng.random() < 0.12 and "Telegram" in t or (not simple and rng.random() < 0.03)
        head = self.classified(t) if not simple else t
        if numbered:
            num = self.number()
            head = f"{head} {'No.' if rng.random() < 0.8 else 'no.'} {num}"
        s = self.name_list(ctx, "sender", max_n=2)
        rc = self.name_list(ctx, "recipient")
        tail = ""
        # a channel: bracketed on the recipient, or at the end of the title
        if not simple and rng.random() < 0.12:
            ch = self.channel(ctx)
            form = rng.random()
            if form < 0.5:
                rc = f"{rc} [via {ch}]"
            elif form < 0.75:
                rc = f"{rc} (via {ch})"
            else:
                tail = f" via {ch}"
        pattern = rng.random()
        if simple:
            pattern = min(pattern, 0.6)
        if numbered and pattern > 0.55:
            pattern = rng.random() * 0.55
        if t in ("Circular", "Spravka"):  # types the table does not know: only "Type from X to Y"
            pattern, head = 0.5, t
        recipient_last = not tail and (pattern < 0.62 or 0.74 <= pattern < 0.82)
        if pattern < 0.4:
            title = f"{head}, {s} to {rc}{tail}"
        elif pattern < 0.62:
            title = f"{head} from {s} to {rc}{tail}"
        elif pattern < 0.74:
            title = f"{head} to {rc}{tail} from {s}"
        elif pattern < 0.82:
            title = f"{s} to {rc}{tail}"
        elif pattern < 0.88:
            title = f"{head} from {s}"
            ctx.recipients.clear()
        else:
            title = f"{head} to {rc}{tail}"
            ctx.senders.clear()
        if simple:
            return title
        r = rng.random()
        if r < 0.04 and not tail and " from " not in title[len(head):]:
            z = self.pick_person(ctx)
            zt = self.person_ref(z, ctx, "carried")
            ctx.carried.append((z, zt))
            title += f", containing a message from {zt}"
        elif r < 0.1 and recipient_last:  # a subject follows the recipient, as in the collection
            title += self.subject_tail(ctx, y)
        if rng.random() < 0.09:
            title += self.embedded(y, m, d, precision)
        return title

    def subject_tail(self, ctx: Ctx, y: int) -> str:
        rng = self.rng
        place = self.pick(self.w.places)
        pf = self.place_form(place)
        ctx.places.append(pf)
        r = rng.random()
        if r < 0.4:
            return f" on the Situation in {pf}"
        if r < 0.6:
            p = self.pick_person()
            return f", Plans for {self.pick(p.short)}'s Visit to {pf}"
        if r < 0.8:
            return f" regarding Soviet Specialists in {pf}"
        return f" concerning the Railway Line near {pf}"

    def participant(self, ctx: Ctx, with_role: bool = False) -> str:
        p = self.pick_person(ctx)
        if with_role and p.roles and p.known:
            form = self.pick(p.plain or p.forms)
            text = f"{self.pick(p.roles)} {form}"
            ctx.mentioned.append(form)
        else:
            text = self.person_ref(p, ctx, "participant", allow_cover=False)
        ctx.participants.append((p, text))
        return text

    def conversation(self, ctx: Ctx, y: int, m: int, d: int, precision: str) -> str:
        rng = self.rng
        ctx.kind = "conv"
        ctx.doc_word = "memorandum"
        t = self.doc_type(self.conv_types)
        r = rng.random()
        dated = precision in ("day", "range")
        if r < 0.4:
            title = f"{self.classified(t)} between {self.participant(ctx)} and {self.participant(ctx)}"
            if dated and rng.random() < 0.1:
                title += f" on {self.dmy(y, m, d)}"
            return title
        if r < 0.5:
            b = self.participant(ctx, with_role=rng.random() < 0.5)
            title = f"{self.classified(t)} with {b}"
            if rng.random() < 0.35:
                a = self.participant(ctx)
                book = rng.choice(("Journal", "Diary"))
                title = f"From the {book} of {a}: {title}"
            return title
        if r < 0.62:
            a1, a2, b = self.participant(ctx), self.participant(ctx), self.participant(ctx)
            place = self.pick(self.w.conv_places)
            pf = self.place_form(place)
            ctx.places.append(pf)
            title = f"Conversation, {a1} and {a2} with {b}, {pf}"
            if dated:
                title += f", {self.dmy(y, m, d)}"
            return title
        if r < 0.72:
            place = self.pick(self.w.conv_places)
            pf = self.place_form(place)
            ctx.places.append(pf)
            return f"Conversation between {self.participant(ctx)} and {self.participant(ctx)}, {pf}"
        if r < 0.82:
            title = f"{t} between {self.participant(ctx)} and {self.participant(ctx, with_role=True)}"
            if dated:
                title += f" on {self.dmy(y, m, d)}"
            return title
        if r < 0.87:
            title = f"Memorandum, Conversation of {self.participant(ctx)} and {self.participant(ctx, with_role=True)}"
            if dated:
                title += f" on {self.dmy(y, m, d)}"
            return title
        if r < 0.9:
            roshchin = self.w.person_by_id["nikolai-roshchin"]
            ctx.participants.append((roshchin, "N. V. Roshchin"))
            b = self.participant(ctx, with_role=True)
            title = f"Memorandum of Conversation, Soviet Ambassador to China, N. V. Roshchin with the {b}"
            if dated:
                title += f" on {self.dmy(y, m, d)}"
            return title
        return (f"{t} between {self.participant(ctx)}, {self.participant(ctx)}, and {self.participant(ctx)}")

    def other(self, ctx: Ctx, y: int, m: int, d: int, precision: str) -> str:
        rng = self.rng
        w = self.w
        ctx.kind = "other"
        r = rng.random()
        if r < 0.14:
            ctx.doc_word = "protocol"
            adj = rng.choice(("Sino-Soviet", "Soviet-Chinese", "Sino-Mongolian", "Soviet-Korean", "Sino-Korean"))
            what = rng.choice(("Agreement Protocol", "Trade Protocol", "Credit Protocol", "Protocol", "Agreement",
                               "Communiqué", "Joint Statement", "Declaration"))
            return f"{adj} {what}"
        if r < 0.26:
            ctx.doc_word = "notes"
            ctx.kind = "conv"
            return f"Exchange of Notes, {self.participant(ctx)} and {self.participant(ctx)}"
        if r < 0.36:
            ctx.doc_word = "notes"
            a = self.pick_person(ctx)
            at = self.person_ref(a, ctx, "author", allow_cover=False)
            ctx.authors.append((a, at))
            b = self.pick_person(ctx)
            bt = self.person_ref(b, ctx, "participant", allow_cover=False)
            ctx.participants.append((b, bt))
            return f"Notes by {at} ahead of Meetings with {bt}"
        if r < 0.46:
            ctx.doc_word = "recollections"
            a = self.pick_person(ctx)
            at = self.person_ref(a, ctx, "author", allow_cover=False)
            ctx.authors.append((a, at))
            place = self.pick(w.places)
            pf = self.place_form(place)
            ctx.places.append(pf)
            return f"{at}’s Recollections of his Trip to {pf}"
        if r < 0.54:
            ctx.doc_word = "remarks"
            venue = rng.choice(("the Bolshoi Theatre in Moscow", "the Kremlin", "the Moscow Station",
                                "the Soviet Embassy in Beijing"))
            ctx.places.append("Moscow" if "Moscow" in venue or "Kremlin" in venue else "Beijing")
            what = rng.choice(("Congratulatory Remarks", "Remarks", "Speech", "Toast"))
            return f"{what} [Delivered at] {venue}"
        if r < 0.64:
            ctx.doc_word = "statement"
            g = self.pick(w.groups)
            gf = self.pick(g.forms)
            ctx.mentioned.append(gf)
            topic = rng.choice(("the Soviet Government’s Answer to the Note by the Nanjing Government",
                                "the Situation in Korea", "the Formation of the Central People's Government",
                                "the Recognition of the People's Republic of China"))
            return f"The Official Statement on {topic} ({gf})"
        if r < 0.74:
            ctx.doc_word = "speech"
            a = self.pick_person(ctx)
            at = self.person_ref(a, ctx, "author", allow_cover=False)
            ctx.authors.append((a, at))
            occ = rng.choice(("the Plenum of the Central Committee", "a Banquet in the Kremlin",
                              "the Signing Ceremony", "a Meeting of Party Activists"))
            return f"Speech by {at} at {occ}"
        if r < 0.84:
            ctx.doc_word = "resolution"
            g = self.pick(w.groups)
            gf = g.label
            ctx.mentioned.append(gf)
            place = self.pick(w.places)
            pf = self.place_form(place)
            ctx.places.append(pf)
            return f"Resolution of the {gf} on the Situation in {pf}"
        if r < 0.92:
            ctx.doc_word = "instructions"
            return self.correspondence(ctx, y, m, d, precision)
        ctx.doc_word = "diary"
        a = self.pick_person(ctx)
        at = self.person_ref(a, ctx, "author", allow_cover=False)
        ctx.authors.append((a, at))
        return f"{at}’s Diary, {MONTHS[(m or 1) - 1]} {y or 1950}" if y else f"{at}’s Diary"

    # -- summaries ---------------------------------------------------------------------------
    def ri(self, a: int, b: int) -> int:
        """An integer in [a, b) (cheaper than ``randrange``)."""
        return a + int(self._random() * (b - a))

    def short(self, p: Person) -> str:
        return self.pick(p.short) if self.rng.random() < 0.8 else self.pick(p.forms)

    def fill(self, template: str, ctx: Ctx, fixed: dict[str, str]) -> str:
        """Format a sentence template, computing only the fields it uses."""
        values = {}
        for name in _fields(template):
            value = fixed.get(name)
            values[name] = value if value is not None else self.field(name, ctx)
        return template.format_map(values)

    def field(self, name: str, ctx: Ctx) -> str:
        if name in ("topic", "topic2", "t1", "t2"):
            return self.topic(ctx)
        if name == "request":
            return self.fill(self.pick(REQUESTS), ctx, {})
        if name == "order":
            return self.fill(self.pick(ORDERS), ctx, {})
        if name == "dm":
            return f"{self.ri(1, 29)} {self.pick(MONTHS)}"
        if name == "n":
            return str(self.ri(2, 500))
        if name == "d1":
            return str(self.ri(1, 15))
        if name == "d2":
            return str(self.ri(15, 29))
        if name == "days":
            return str(self.ri(2, 15))
        if name == "month":
            return self.pick(MONTHS)
        if name == "goods":
            return self.pick(GOODS)
        raise KeyError(name)

    def topic(self, ctx: Ctx) -> str:
        w = self.w
        r = self.rng.random()
        if r < 0.45:
            pf = self.place_form(self.pick(w.places))
            ctx.places.append(pf)
            return self.fill(self.pick(TOPIC_PLACE), ctx, {"place": pf})
        if r < 0.65:
            events = w.events_by_year.get(ctx.year, w.undated_events) if ctx.year else w.undated_events
            if events:
                form = self.pick(self.pick(events).forms)
                template = self.pick(TOPIC_EVENT)
                if form[0].isupper() or "'s " in form:  # a name or a possessive takes no article
                    template = template.replace("the {event}", "{event}")
                return template.format(event=form)
        if r < 0.8:
            return self.pick(TOPIC_GROUP).format(group=self.pick(self.pick(w.groups).forms))
        name = self.short(self.pick_person())
        ctx.mentioned.append(name)
        return self.fill(self.pick(TOPIC_PERSON), ctx, {"person": name})

    def cover_sentence(self, ctx: Ctx) -> str | None:
        if not ctx.covers:
            return None
        cover, bearer = self.pick(ctx.covers)
        if bearer is None:
            return None
        r = self.rng.random()
        other = self.short(ctx.recipients[0][0]) if ctx.recipients else "Moscow"
        if r < 0.25:
            if cover.namesake:
                return f"{self.short(bearer)}, using the name of {cover.namesake}, writes to {other}."
            return f'{self.short(bearer)}, using the name "{cover.name}", writes to {other}.'
        if r < 0.5:
            ctx.mentioned.append(f"{cover.name} ({bearer.label})")
            return f'The message goes through {bearer.label}, acting under the name "{cover.name}."'
        if r < 0.75:
            ctx.mentioned.append(f"{cover.name} ({bearer.label})")
            return f"Writing as {cover.name} ({bearer.label}), {self.short(bearer)} {self.pick(VERBS)} {other}."
        return f"{cover.name} ({self.short(bearer)}) {self.pick(VERBS)} {other} about {self.topic(ctx)}."

    def summary(self, ctx: Ctx, paragraphs: bool = True) -> str:
        """One to five sentences; a second paragraph now and then (joined by a blank line)."""
        rng = self.rng
        s = ctx.senders[0][0] if ctx.senders else (ctx.authors[0][0] if ctx.authors else None)
        rc = ctx.recipients[0][0] if ctx.recipients else None
        doc = ctx.doc_word
        parts: list[str] = []
        if ctx.kind == "conv" and len(ctx.participants) >= 2:
            fixed = {"a": self.short(ctx.participants[0][0]), "b": self.short(ctx.participants[1][0])}
            parts.append(self.fill(self.pick(OPEN_CONV), ctx, fixed))
        elif s is not None and rc is not None:
            fixed = {"s": self.short(s), "r": self.short(rc), "doc": doc}
            parts.append(self.fill(self.pick(OPEN_CORR), ctx, fixed))
        elif s is not None:
            parts.append(f"{self.short(s)} {self.pick(VERBS_ALONE)} {self.topic(ctx)}.")
        else:
            text = self.fill(self.pick(OPEN_OTHER), ctx, {"doc": doc})
            parts.append(text[0].upper() + text[1:])
        if ctx.carried:
            parts.append(f"The {doc} carries a message from {self.short(ctx.carried[0][0])} on {self.topic(ctx)}.")
        if ctx.channels and rng.random() < 0.6:
            parts.append(f"The {doc} is passed on through {ctx.channels[0][1]}.")
        cover = self.cover_sentence(ctx) if ctx.covers and rng.random() < 0.7 else None
        if cover is None and rng.random() < 0.03:
            c = self.pick(self.w.covered)
            ctx.covers.append((c, c.bearer))  # type: ignore[arg-type]
            cover = self.cover_sentence(ctx)
        more = self.pick(MORE_COUNTS)
        if more:
            who = s if s is not None else (ctx.participants[0][0] if ctx.participants else None)
            fixed = {"doc": doc, "who": self.short(who) if who is not None else "The author"}
            used: list[str] = []
            for _ in range(more):
                template = self.pick(FOLLOW)
                if template in used:
                    continue
                used.append(template)
                parts.append(self.fill(template, ctx, fixed))
        if cover is not None:
            parts.insert(1, cover)
        if paragraphs and len(parts) >= 3 and rng.random() < 0.12:
            # a second paragraph; it must read as sentences, not as a title (ends with a full stop)
            cut = self.ri(1, len(parts) - 1) + 1
            second = " ".join(parts[cut:])
            if second.endswith("."):
                return " ".join(parts[:cut]) + "\n\n" + second
        return " ".join(parts)


_FIELD_CACHE: dict[str, tuple[str, ...]] = {}


def _fields(template: str) -> tuple[str, ...]:
    found = _FIELD_CACHE.get(template)
    if found is None:
        found = _FIELD_CACHE[template] = tuple(dict.fromkeys(
            name for _, name, _, _ in string.Formatter().parse(template) if name))
    return found


OPEN_CORR = [
    "{s} informs {r} of {topic}.", "{s} reports to {r} on {topic}.", "{s} tells {r} about {topic}.",
    "In a message to {r}, {s} describes {topic}.", "{s} asks {r} {request}.", "{s} instructs {r} {order}.",
    "{s} replies to {r}'s telegram of {dm} about {topic}.", "{s} forwards to {r} a report on {topic}.",
    "Following their meeting on {dm}, {s} reports to {r} on {topic}.",
    "{s} answers {r}'s {doc} No. {n} on {topic}.", "{s} sends {r} his views on {topic}.",
    "{s} warns {r} about {topic}.", "{s} and {r} correspond about {topic}.",
]
OPEN_CONV = [
    "{a} and {b} discuss {topic}.", "{a} and {b} talk about {topic} and {topic2}.",
    "During the meeting, {a} raises {topic}; {b} answers that the matter needs further study.",
    "{a} meets {b} to discuss {topic}.", "{a} explains to {b} the position of the Soviet government on {topic}.",
    "{b} asks {a} for help with {topic}.", "Dialogue between {a} and {b} on {topic}.",
]
OPEN_OTHER = [
    "the {doc} sets out {topic}.", "the {doc} concerns {topic} and {topic2}.", "new ties regarding {topic}.",
    "the {doc} records {topic}.", "an account of {topic}.",
]
REQUESTS = ["to decide on {topic}", "for advice on {topic}", "for help with {topic}",
            "to report without delay on {topic}", "to approve the plan for {topic}"]
ORDERS = ["to report without delay on {topic}", "to look into {topic}", "to raise {topic} with the Chinese side",
          "to settle {topic} before the end of the month", "to keep Moscow informed of {topic}"]
VERBS = ["writes to", "replies to", "reports to", "informs"]
VERBS_ALONE = ["describes", "recalls", "reports on", "comments on", "sets out his views on"]
TOPIC_PLACE = [
    "the situation in {place}", "the military situation around {place}", "the transfer of {place} to Chinese control",
    "sending Soviet technical specialists to {place}", "the pay of Soviet specialists working in {place}",
    "radio contact between {place} and Moscow", "the delivery of {n} tons of {goods} to {place}",
    "the repair of the railway line to {place}", "the return of Soviet property in {place}",
    "the evacuation of {place}", "the Soviet garrison in {place}", "elections in {place}",
    "a famine in {place}", "the arrest of Kuomintang agents in {place}", "{n} wagons of {goods} held up in {place}",
    "the opening of a consulate in {place}", "flood damage in {place}", "the advance of the PLA on {place}",
]
TOPIC_EVENT = ["the {event}", "preparations for the {event}", "the course of the {event}",
               "the draft of the {event}", "press reports about the {event}", "the outcome of the {event}"]
TOPIC_GROUP = ["the activity of the {group}", "a decision of the {group}", "the composition of the {group}",
               "relations with the {group}", "a request from the {group}"]
TOPIC_PERSON = ["{person}'s health", "the arrest of {person}", "the agenda of the talks with {person}",
                "the delegation led by {person}", "{person}'s report of {n} pages", "a letter from {person}",
                "{person}'s recall to Moscow"]
FOLLOW = [
    "{who} also mentions {topic}.", "References are made to {topic}.",
    "The {doc} also references {topic} from {d1}-{d2} {month}.", "Both governments came to an agreement.",
    "{who} promises to report back without delay.", "These matters include {t1}; {t2}; and {topic}.",
    "The {doc} notes that {n} Soviet specialists are already at work.",
    "A list of {n} items of {goods} is attached.", "{who} insists that the question be settled by {d2} {month}.",
    "The reply is expected within {days} days.", "Further details concern {topic}.",
    "{who} adds a note on {topic}.", "However, there remain some discrepancies over {topic}.",
]
MORE_COUNTS = [0, 0, 1, 1, 1, 1, 2, 2, 2, 3]


def _citation(rng: Random) -> str:
    r = rng.random()
    translator = rng.choice(TRANSLATORS)
    if r < 0.35:
        return (f"APRF: F. {rng.randrange(3, 60)}, Op. {rng.randrange(1, 4)}, D. {rng.randrange(1, 400)}, "
                f"L. {rng.randrange(1, 200)}. Reprinted in Andrei Ledovskii, Raisa Mirovitskaia and Vladimir "
                f"Miasnikov, Sovetsko-Kitaiskie Otnosheniia, Vol. 5, Book {rng.randrange(1, 3)}, 1946-February 1950 "
                f"(Moscow: Pamiatniki Istoricheskoi Mysli, 2005), p. {rng.randrange(5, 450)}. Translated for CWIHP "
                f"from Russian by {translator}.")
    if r < 0.55:
        a = rng.randrange(1, 300)
        return (f"RGASPI, f. 558, op. 11, d. {rng.randrange(300, 400)}, ll. {a:04d}-{a + rng.randrange(1, 9):04d}. "
                f"Translated by {translator}.")
    if r < 0.7:
        return (f"AVPRF, f. 0100, op. {rng.randrange(30, 50)}, papka {rng.randrange(200, 400)}, "
                f"delo {rng.randrange(1, 60)}, ll. {rng.randrange(1, 90)}.")
    if r < 0.85:
        return (f"PRC FMA {rng.randrange(100, 120)}-{rng.randrange(0, 99999):05d}-{rng.randrange(1, 20):02d}, "
                f"{rng.randrange(1, 40)}. Translated by {translator}.")
    return (f"Jianguo yilai Mao Zedong wengao, vol. {rng.randrange(1, 4)} (Beijing: Zhongyang wenxian chubanshe, "
            f"1987), {rng.randrange(1, 400)}.")


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

LISTING_BAD = ("bad-date", "no-title", "no-date", "bad-byte", "long-title", "cut-off")
CURATED_BAD = ("bad-date", "no-title", "no-date", "bad-byte", "long-title")
BAD_BYTES = ("\udc92", "\udc96", "\udce9", "\udcfc", "\udce0")  # cp1252 ’ and –, Latin-1 é ü à


class Doc:
    """One generated record: what the listing prints and what a curated file says."""

    __slots__ = ("date", "title", "summary", "ctx", "klass", "bad", "curated_summary", "pair", "unique", "line")

    def __init__(self) -> None:
        self.pair = False
        self.unique = False


def bad_date(rng: Random) -> str:
    r = rng.random()
    year = rng.choice((1948, 1949, 1950, 1951))
    if r < 0.4:
        return f"{rng.choice(BAD_MONTHS)} {year}"
    if r < 0.6:
        return f"{rng.choice(BAD_MONTHS)} {rng.randrange(1, 28)}, {year}"
    if r < 0.8:
        month, day = rng.choice(((2, 30), (2, 31), (4, 31), (6, 31), (9, 31), (11, 31)))
        return f"{day} {MONTHS[month - 1]} {year}"
    month, day = rng.choice(((2, 30), (2, 31), (4, 31), (6, 31), (9, 31), (11, 31)))
    return f"{MONTHS[month - 1]} {day}, {year}"


def _with_bad_byte(text: str, rng: Random) -> str:
    """The text as a cp1252/Latin-1 editor would have saved one of its characters."""
    if "'" in text:
        i = text.index("'")
        return text[:i] + "\udc92" + text[i + 1:]
    words = text.split(" ")
    i = rng.randrange(1, max(2, len(words)))
    words.insert(i, rng.choice(("(L\udcfcshunkou)", "\udc96", "caf\udce9", "d\udce9marche")))
    return " ".join(words)


class FileSink:
    """Writes files on two threads while the main thread generates (creating 100 000 small files
    is mostly kernel time); at most ``limit`` files wait in memory. The bytes of a file do not
    depend on the order files are written in."""

    def __init__(self, workers: int = 2, limit: int = 256):
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="generate-write")
        self.pending: collections.deque[Future[int]] = collections.deque()
        self.limit = limit

    def write(self, path: Path, data: bytes) -> None:
        self.pending.append(self.pool.submit(path.write_bytes, data))
        while len(self.pending) > self.limit:
            self.pending.popleft().result()

    def close(self) -> None:
        while self.pending:
            self.pending.popleft().result()
        self.pool.shutdown()


class Writer:
    def __init__(self, out: Path, n: int, seed: int, bad_share: float, curated_share: float,
                 gen: Generator, per_file: int):
        self.out = out
        self.n = n
        self.gen = gen
        self.rng = Random(f"{seed}-layout")
        self.krng = Random(f"{seed}-kinds")
        self.crng = Random(f"{seed}-curated")
        self.bad_share = bad_share
        self.curated_share = curated_share
        self.per_file = per_file
        self.classes = self._iter_classes(seed)
        self.listing_total = sum(1 for c in self._iter_classes(seed) if c[0] != "curated-only")
        self.pages = (self.listing_total + 9) // 10
        self.page_width = max(5, len(str(self.pages)))
        self.bad: list[dict[str, object]] = []
        self.bad_curated: list[dict[str, object]] = []
        self.all_keys: set[int] = set()
        self.curated_keys: set[int] = set()
        self.curated_file = 0
        self.curated_lines = 0
        self.curated_fh = None
        self.curated_bytes_bad = 0
        self.merged = 0
        self.curated_count = 0
        self.record_id = 110000
        self.slugs: dict[str, int] = {}
        self.kinds: dict[str, int] = {}
        self.sink = FileSink()
        self.merges: list[list[str]] = []

    def _iter_classes(self, seed: int):  # noqa: ANN202
        """(class, bad) for every record, from their own random stream (so the listing total is known first)."""
        rng = Random(f"{seed}-classes")
        for _ in range(self.n):
            r = rng.random()
            if r < self.curated_share:
                klass = "matched" if rng.random() < 0.6 else "curated-only"
            else:
                klass = "listing"
            bad = klass != "matched" and rng.random() < self.bad_share
            yield klass, bad

    # -- keys: a curated record's title and date must name one listing record only --------------
    @staticmethod
    def key(title: str, date: str) -> int:
        return _h64(f"{norm(title)}\n{norm(date)}")

    def make_doc(self, klass: str, bad: bool) -> Doc:
        gen = self.gen
        doc = Doc()
        doc.klass = klass
        doc.bad = None
        for attempt in range(50):
            ctx = Ctx()
            date, y, m, d, precision = gen.date()
            ctx.year = y
            if gen.recent and gen.rng.random() < 0.04:
                title = gen.pick(gen.recent)  # a title repeats, with another date
                ctx.kind = "other"
                ctx.mentioned = []
            else:
                title = gen.title(ctx, y, m, d, precision)
            if bad:
                break
            k = self.key(title, date)
            if klass == "listing":
                if k in self.curated_keys:
                    continue
            elif k in self.all_keys:
                continue
            doc.unique = k not in self.all_keys
            self.all_keys.add(k)
            if klass != "listing":
                self.curated_keys.add(k)
            break
        doc.date, doc.title, doc.ctx = date, title, ctx
        doc.summary = gen.summary(ctx)
        if len(gen.recent) < 64:
            gen.recent.append(title)
        elif gen.rng.random() < 0.05:
            gen.recent[int(gen.rng.random() * 64)] = title
        if klass != "listing":
            doc.curated_summary = gen.summary(ctx, paragraphs=False)
        return doc

    # -- listing pages -----------------------------------------------------------------------
    def blank(self) -> list[str]:
        r = self.rng.random()
        if r < 0.9:
            return [""]
        if r < 0.95:
            return ["", ""]
        if r < 0.98:
            return [" "]
        return ["", "", ""]

    def ws(self, line: str) -> str:
        r = self.rng.random()
        if r < 0.03:
            return line + self.rng.choice((" ", "  ", "\t", " \t"))
        if r < 0.04:
            return " " + line
        return line

    def page_name(self, index: int) -> str:
        return f"page-{index + 1:0{self.page_width}d}.txt"

    def write_page(self, index: int, docs: list[Doc], start: int) -> None:
        rng = self.rng
        name = self.page_name(index)
        display = f"listings/{name}"
        end = start + len(docs) - 1
        lines = ["Skip to content", "", "", f"{start} - {end} of {self.listing_total}", "", ""]
        if rng.random() < 0.05:
            lines[1:3] = [""]
        bad_byte_used = False
        prev_has_summary = False
        for pos, doc in enumerate(docs):
            if pos:
                lines.extend(self.blank())
            kind = doc.bad
            if kind == "bad-byte" and bad_byte_used:
                kind = doc.bad = "bad-date"
            title_bad = kind == "bad-byte" and rng.random() < 0.4
            if kind == "no-date" and not (pos == 0 or prev_has_summary):
                kind = doc.bad = "bad-date"
            if kind in ("cut-off", "no-title"):  # only the last record of a page can be cut off after its date
                kind = doc.bad = "cut-off" if pos == len(docs) - 1 else "no-title"
            if kind == "no-date" and pos:  # one blank line: an extra one prints the archive's undated record
                while lines and not lines[-1].strip():
                    lines.pop()
                lines.append("")
            date_line = doc.line = len(lines) + 1
            summary = doc.summary
            if kind == "no-title":
                summary = summary.replace("\n\n", " ")
                if len(summary) <= 80 or not summary.endswith("."):
                    summary += " The document is referred to in later correspondence as the first of a series."
            if kind == "bad-date":
                date = bad_date(self.krng)
                why = f"unreadable date {date!r}"
            else:
                date = doc.date
                if rng.random() < 0.01 and " " in date:
                    i = date.index(" ")
                    date = date[:i] + "\u00a0" + date[i + 1:]
            title = doc.title
            if kind == "no-date":
                title = doc.title  # built to read as a title (see make_bad_title)
                lines.append(self.ws(title))
                self._bad(display, len(lines), kind, "title with no date line")
                lines.extend(self.blank())
                lines.extend(self.ws(p) if p else "" for p in summary.split("\n"))
                prev_has_summary = True
                continue
            lines.append(self.ws(date))
            if kind == "cut-off":
                self._bad(display, date_line, kind, "date with no title (page cut off)")
                prev_has_summary = False
                continue
            if kind == "no-title":
                lines.extend(self.blank())
                lines.append(self.ws(summary))
                self._bad(display, len(lines), kind, "summary where the title should be")
                prev_has_summary = False
                continue
            compact = rng.random() < 0.03 and kind is None
            if not compact:
                lines.extend(self.blank())
            if kind == "long-title":
                title = self.long_title(doc)
                lines.append(title)
                self._bad(display, len(lines), kind, f"title of {len(title)} characters")
            elif title_bad:
                lines.append(_with_bad_byte(title, self.krng))
            else:
                lines.append(self.ws(title))
            no_summary = kind is None and rng.random() < 0.03 and self._lone_ok(doc)
            if no_summary:
                prev_has_summary = False
            else:
                if not compact:
                    lines.extend(self.blank())
                paras = summary.split("\n\n")
                if kind == "bad-byte" and not title_bad:
                    paras[0] = _with_bad_byte(paras[0], self.krng)
                for i, para in enumerate(paras):
                    if i:
                        lines.extend(self.blank())
                    lines.append(self.ws(para))
                prev_has_summary = True
            if kind == "bad-date":
                self._bad(display, date_line, kind, why)
            elif kind == "bad-byte":
                bad_byte_used = True
                self._bad(display, date_line, kind, "a byte that is not UTF-8 in the record")
        eol = "\r\n" if rng.random() < 0.03 else "\n"
        text = eol.join(lines) + ("" if rng.random() < 0.05 else eol)
        data = text.encode("utf-8", "surrogateescape")
        if rng.random() < 0.01:
            data = b"\xef\xbb\xbf" + data
        self.sink.write(self.out / "listings" / name, data)

    @staticmethod
    def _lone_ok(doc: Doc) -> bool:
        """A record printed without summary must not share its content key (date, title, no summary) with
        another record, and its title must not read as sentences (it would be taken for a summary)."""
        title = doc.title
        return doc.unique and not title.endswith(".") and ". " not in title

    def long_title(self, doc: Doc) -> str:
        text = doc.title + " " + doc.summary.replace("\n\n", " ")
        filler = self.gen.summary(doc.ctx, paragraphs=False)
        while len(text.rstrip(".")) <= 1000:
            text += " " + filler
        return text.rstrip(".")

    def _bad(self, file: str, line: int, kind: str, why: str) -> None:
        entry = {"file": file, "line": line, "kind": kind, "why": why}
        (self.bad if file.startswith("listings/") else self.bad_curated).append(entry)
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    # -- curated files -----------------------------------------------------------------------
    def curated_line(self, doc: Doc, page: int | None, position: int | None) -> str:
        rng = self.crng
        if self.curated_fh is None or self.curated_lines >= self.per_file:
            if self.curated_fh is not None:
                self.curated_fh.close()
            self.curated_file += 1
            self.curated_lines = 0
            self.curated_bytes_bad = 0
            self.curated_name = f"curated-{self.curated_file:04d}.jsonl"
            self.curated_fh = open(self.out / "records" / self.curated_name, "wb")  # noqa: SIM115
        self.curated_lines += 1
        line_no = self.curated_lines
        summary = doc.curated_summary
        title, date = doc.title, doc.date
        obj: dict[str, object] = {}
        r = rng.random()
        doc_url = None
        record_id = None
        if r < 0.15:
            self.record_id += rng.randrange(1, 40)
            record_id = str(self.record_id)
            key = record_id
            doc_url = f"https://digitalarchive.wilsoncenter.org/document/{record_id}"
        elif r < 0.5:
            base = slugify(title) or "document"
            n = self.slugs.get(base, 0) + 1
            self.slugs[base] = n
            key = base if n == 1 else f"{base}-{n}"
            doc_url = f"https://digitalarchive.wilsoncenter.org/document/{key}"
        else:
            key = content_key(date, title, summary)
        obj["key"] = key
        if record_id:
            obj["record_id"] = record_id
        obj["date"] = date
        obj["title"] = title
        obj["summary"] = summary
        if doc_url:
            obj["doc_url"] = doc_url
        if rng.random() < 0.4:
            obj["type"] = doc.ctx.doc_word.capitalize() if doc.ctx.doc_word != "document" else "Telegram"
        if rng.random() < 0.3:
            obj["language"] = rng.choice(("Russian", "Russian", "Chinese", "English", "Korean"))
        if rng.random() < 0.25:
            obj["translator"] = rng.choice(TRANSLATORS + ["Anna Kovacs", "Chen Zhihong"])
        if rng.random() < 0.5:
            obj["source_citation"] = _citation(rng)
        people = list(dict.fromkeys(doc.ctx.mentioned))
        obj["mentioned_people"] = people
        obj["mentioned_places"] = list(dict.fromkeys(doc.ctx.places))
        if page is not None:
            obj["listing_page"] = page
            obj["listing_position"] = position
        kind = doc.bad
        display = f"records/{self.curated_name}"
        if kind == "bad-byte" and self.curated_bytes_bad >= 3:
            kind = doc.bad = "bad-date"
        if kind == "bad-date":
            obj["date"] = bad_date(self.krng)
            self._bad(display, line_no, kind, f"unreadable date {obj['date']!r}")
        elif kind == "no-title":
            if rng.random() < 0.5:
                del obj["title"]
            else:
                obj["title"] = ""
            self._bad(display, line_no, kind, "no title")
        elif kind == "no-date":
            del obj["date"]
            self._bad(display, line_no, kind, "no date")
        elif kind == "long-title":
            obj["title"] = self.long_title(doc)
            self._bad(display, line_no, kind, f"title of {len(obj['title'])} characters")  # type: ignore[arg-type]
        elif kind == "bad-byte":
            obj["summary"] = _with_bad_byte(summary, self.krng)
            self.curated_bytes_bad += 1
            self._bad(display, line_no, kind, "a byte that is not UTF-8 in the line")
        text = json.dumps(obj, ensure_ascii=False) + "\n"
        self.curated_fh.write(text.encode("utf-8", "surrogateescape"))
        self.curated_count += 1
        return f"{display}#L{line_no}"

    # -- the run -----------------------------------------------------------------------------
    def run(self) -> dict[str, object]:
        (self.out / "listings").mkdir(parents=True)
        (self.out / "records").mkdir(parents=True)
        page_docs: list[Doc] = []
        page_index = 0
        read = 0
        for klass, bad in self.classes:
            doc = self.make_doc(klass, bad)
            if bad:
                doc.bad = self.krng.choice(LISTING_BAD if klass == "listing" else CURATED_BAD)
                if doc.bad == "no-date" and klass == "listing":
                    doc.title = self.gen.correspondence(Ctx(), 0, 0, 0, "undated", simple=True)
            if klass == "curated-only":
                self.curated_line(doc, None, None)
                read += 1
                continue
            page_docs.append(doc)
            if len(page_docs) == 10:
                read += self.flush(page_index, page_docs)
                page_index += 1
                page_docs = []
        if page_docs:
            read += self.flush(page_index, page_docs)
        self.sink.close()
        if self.curated_fh is not None:
            self.curated_fh.close()
        bad = self.bad + self.bad_curated
        return {
            "records": self.n,
            "good": self.n - len(bad),
            "bad": bad,
            "read": read,
            "merged": self.merged,
            "listing_records": self.listing_total,
            "curated_records": self.curated_count,
            "pages": self.pages,
            "curated_files": self.curated_file,
            "bad_kinds": dict(sorted(self.kinds.items())),
            "merges": self.merges,
        }

    def flush(self, index: int, docs: list[Doc]) -> int:
        # two matched records in a row may be one title on one date (day and evening meetings)
        for i in range(1, len(docs)):
            a, b = docs[i - 1], docs[i]
            if a.klass == b.klass == "matched" and not a.pair and self.crng.random() < 0.3:
                b.title, b.date, b.pair, a.pair = a.title, a.date, True, True
                b.ctx = a.ctx
        self.write_page(index, docs, index * 10 + 1)
        for pos, doc in enumerate(docs, start=1):
            if doc.klass == "matched":
                placed = doc.pair or self.crng.random() < 0.8
                where = self.curated_line(doc, index if placed else None, pos if placed else None)
                self.merges.append([where, f"listings/{self.page_name(index)}#L{doc.line}"])
                self.merged += 1
        return len(docs) + sum(1 for d in docs if d.klass == "matched")


def dump_expected(expected: dict[str, object]) -> str:
    """JSON, one key a line and one list item a line (the lists run to tens of thousands of items)."""
    out = []
    for key, value in expected.items():
        if isinstance(value, list):
            items = ",\n".join("  " + json.dumps(v, ensure_ascii=False) for v in value)
            out.append(f" {json.dumps(key)}: [\n{items}\n ]" if value else f" {json.dumps(key)}: []")
        else:
            out.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(out) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, required=True, help="number of records (documents, bad ones included)")
    parser.add_argument("--out", type=Path, required=True, help="folder to create")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bad-share", type=float, default=0.01, help="share of records that cannot be read")
    parser.add_argument("--unknown-share", type=float, default=0.05, help="share of names no authority knows")
    parser.add_argument("--curated-share", type=float, default=0.1, help="share of documents with a curated record")
    parser.add_argument("--persons", type=int, default=None,
                        help="invented persons in persons.tsv (default: 2000, or records/50 up to 20000)")
    parser.add_argument("--per-file", type=int, default=5000, help="curated records per file")
    parser.add_argument("--force", action="store_true", help="replace DIR if it holds an earlier generator output")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.records < 1:
        parser.error("--records must be at least 1")
    for name in ("bad_share", "unknown_share", "curated_share"):
        if not 0 <= getattr(args, name) <= 1:
            parser.error(f"--{name.replace('_', '-')} must be between 0 and 1")
    out: Path = args.out
    if out.exists() and any(out.iterdir()):
        if not (args.force and (out / "expected.json").is_file()):
            parser.error(f"{out} exists and is not empty (--force replaces an earlier generator output)")
        shutil.rmtree(out)
    t0 = time.perf_counter()
    n_persons = args.persons if args.persons is not None else max(2000, min(20000, args.records // 50))
    world = World(Random(f"{args.seed}-authorities"), n_persons, max(100, n_persons // 5))
    out.mkdir(parents=True, exist_ok=True)
    world.write(out / "authorities")
    gen = Generator(world, args.seed, args.unknown_share)
    writer = Writer(out, args.records, args.seed, args.bad_share, args.curated_share, gen, args.per_file)
    expected = writer.run()
    expected = {"generator": "bench/generate.py", "seed": args.seed, "bad_share": args.bad_share,
                "unknown_share": args.unknown_share, "curated_share": args.curated_share,
                "persons": len(world.invented), **expected}
    (out / "expected.json").write_bytes(dump_expected(expected).encode("utf-8"))
    if not args.quiet:
        print(f"{args.records} records ({expected['listing_records']} on {expected['pages']} listing pages, "
              f"{expected['curated_records']} curated, {len(expected['bad'])} bad) and "
              f"{len(world.invented)} invented persons written to {out} in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
