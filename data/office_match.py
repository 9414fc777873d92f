"""Which office a workbook means: its words matched against the master data.

Offices write their names as they like: `জেলা সমবায় কার্যালয়, নারায়ণগঞ্জ।`, `আইসিটি অধিদপ্তরের
অগ্রগতি`, `বিসিসি'র অগ্রগতি`. RapidFuzz scores each office's Bengali and English names, short
names and known aliases (data/master/office_aliases.csv) against the text, after the same
clean-up of both sides: Unicode NFC, punctuation, possessive endings (`-এর`, `-র`) and words
such as `অগ্রগতি` (progress) that headers add. The best match comes with its confidence.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, func, select

from data.db import driver_rows
from data.kept import kept
from data.models import Office

CERTAIN = 90.0  # at or above: taken as the office
POSSIBLE = 70.0  # between: named as the likely office, but the caller must confirm it
ALIASES = Path(__file__).parent / "master" / "office_aliases.csv"
CANDIDATES_PER_OFFICE = 4  # names scored per office asked for (an office has several)
CANDIDATES_KEPT = 2 * CANDIDATES_PER_OFFICE  # what `_best` asks for: two offices
EXACT_AFTER = 3  # texts an index scores in full before it looks for exact names first
MATCHES_KEPT = 10_000  # answers an index keeps (texts as workbooks write them)
NOISE_WORDS = {"অগ্রগতি", "progress", "অফিসের", "নাম", "office", "name", "of", "the"}
_PUNCTUATION = re.compile(r"[,।:;'’‘`\"()\[\]{}/\\._*]+")
# Spellings that vary between offices but mean the same: compared as one.
SAME = str.maketrans({"ণ": "ন", "ী": "ি", "ূ": "ু", "-": "", "–": "", "—": ""})
SYNONYMS = {"কার্যালয়": "অফিস"}


@dataclass(frozen=True)
class OfficeMatch:
    office_id: int
    code: str
    name_bn: str
    name_en: str
    level: str
    path: str
    score: float  # 0-100
    matched_text: str


def clean_name(text: str) -> str:
    """Both sides of a comparison: NFC, lower case, no punctuation, no possessive endings."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"['’]\s*(?:র|এর|s)\b", "", text)
    text = _PUNCTUATION.sub(" ", text).translate(SAME)
    words = []
    for word in text.split():
        if word in NOISE_WORDS:
            continue
        for ending in ("ের", "এর"):
            if word.endswith(ending) and len(word) > len(ending) + 2:
                word = word[: -len(ending)]
                break
        words.append(SYNONYMS.get(word, word))
    return " ".join(words)


def _words(name: str) -> str:
    """A cleaned name's words in order: names with the same words have the same."""
    return " ".join(sorted(name.split()))


def _aliases() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with ALIASES.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            found.setdefault(row["code"], []).append(row["alias"])
    return found


class OfficeIndex:
    """Every office's names, loaded once, for the many matches of one import."""

    def __init__(self, connection: Connection) -> None:
        rows = connection.execute(
            select(
                Office.id,
                Office.code,
                Office.name_bn,
                Office.name_en,
                Office.short_bn,
                Office.short_en,
                Office.level,
                Office.path,
            )
        ).all()
        aliases = _aliases()
        self.offices = {row.id: row for row in rows}
        self.by_code = {row.code: row.id for row in rows}
        self.choices: list[str] = []
        self.owners: list[int] = []
        self._matches: dict[str, OfficeMatch | None] = {}  # text → match (OfficeMatch is frozen)
        for row in rows:
            names = [
                row.name_bn,
                row.name_en,
                row.short_bn,
                row.short_en,
                *aliases.get(row.code, []),
            ]
            for name in dict.fromkeys(n for n in names if n):
                self.choices.append(clean_name(name))
                self.owners.append(row.id)
        # For the exact names (see `_exact`), built once `exact_after` texts were scored.
        self.exact_after = EXACT_AFTER
        self._scored = 0
        self._exact_owners: dict[str, set[int]] | None = None
        self._same_words: Counter[str] | None = None

    def _match(self, office_id: int, score: float, text: str) -> OfficeMatch:
        row = self.offices[office_id]
        return OfficeMatch(
            row.id, row.code, row.name_bn, row.name_en, row.level, row.path, score, text
        )

    def candidates(self, text: str, n: int = 5) -> list[OfficeMatch]:
        """The `n` offices whose names fit `text` best, best first.

        Matching is deliberately not limited to the uploader's scope: a workbook naming an
        office outside it must be refused, not fitted to the nearest office inside it."""
        query = clean_name(text)
        if not query or not self.choices:
            return []
        found = process.extract(
            query,
            self.choices,
            scorer=fuzz.token_sort_ratio,
            limit=n * CANDIDATES_PER_OFFICE,
            score_cutoff=POSSIBLE / 2,
        )
        best: dict[int, float] = {}
        for _choice, score, index in found:
            owner = self.owners[index]
            # An exact name outranks a partial one of the same score (WRatio gives 90 to a
            # name that merely contains the text).
            exact = 1.0 if self.choices[index] == query else 0.0
            best[owner] = max(best.get(owner, 0.0), float(score) + exact)
        ranked = sorted(best.items(), key=lambda item: -item[1])[:n]
        return [self._match(office_id, min(score, 100.0), text) for office_id, score in ranked]

    def match(self, text: str) -> OfficeMatch | None:
        """The best office for `text`, or None below POSSIBLE; its score below CERTAIN when
        the caller must confirm it (also when two offices fit equally well). Answers are kept
        with the index (offices write their names the same way in every workbook)."""
        if text in self._matches:
            return self._matches[text]
        found = self._best(text)
        if len(self._matches) >= MATCHES_KEPT:
            self._matches.clear()
        self._matches[text] = found
        return found

    def _exact(self, text: str) -> OfficeMatch | None:
        """The answer `_best` gives, without scoring every name, when the text is exactly
        the name of one office (its cleaned form) and few names have the same words: that
        name scores 100 and the exact bonus, so its office comes first, certain (100);
        every name scoring 100 is among the `CANDIDATES_KEPT` candidates asked for, so
        none is left out. None: `_best` must score the names."""
        if self._scored < self.exact_after:
            return None
        if self._exact_owners is None or self._same_words is None:
            self._build_exact()
        query = clean_name(text)
        owners = self._exact_owners.get(query) if query else None
        if owners is None or len(owners) != 1:
            return None
        if self._same_words[_words(query)] > CANDIDATES_KEPT:
            return None
        return self._match(next(iter(owners)), 100.0, text)

    def _build_exact(self) -> None:
        """Which offices have each cleaned name, and how many names have each set of words
        (token_sort_ratio gives every one of them 100): 30-40 ms for 48,000 names, so only
        an index that matches more than a few texts builds them (an upload's worker process
        matches one or two)."""
        owners: dict[str, set[int]] = {}
        for choice, owner in zip(self.choices, self.owners, strict=True):
            owners.setdefault(choice, set()).add(owner)
        self._same_words = Counter(map(_words, self.choices))
        self._exact_owners = owners

    def _best(self, text: str) -> OfficeMatch | None:
        exact = self._exact(text)
        if exact is not None:
            return exact
        self._scored += 1
        found = self.candidates(text, n=2)
        if not found or found[0].score < POSSIBLE:
            return None
        if len(found) > 1 and found[1].score >= found[0].score and found[0].score < 100:
            # Two offices fit equally well: not certain, whatever the score.
            return OfficeMatch(**{**found[0].__dict__, "score": min(found[0].score, CERTAIN - 1)})
        return found[0]

    def by_reference(self, reference: str) -> OfficeMatch | None:
        """An office the caller names: its id, its code (`min:ictd`) or its name."""
        reference = reference.strip()
        if reference.isdigit() and int(reference) in self.offices:
            return self._match(int(reference), 100.0, reference)
        if reference in self.by_code:
            return self._match(self.by_code[reference], 100.0, reference)
        match = self.match(reference)
        return match if match is not None and match.score >= CERTAIN else None


_OFFICES_VERSION = select(
    select(func.count()).select_from(Office).scalar_subquery(),
    select(func.max(Office.id)).scalar_subquery(),
)


def office_index(connection: Connection) -> OfficeIndex:
    """The database's OfficeIndex, built once and kept while its offices are the same.

    Building it cleans every office's names (15,000 to 70,000 of them, 20 ms and more), which
    every file of an import would otherwise repeat. Offices are only ever added (the master
    data load inserts the tree in bulk, nothing renames one), so their count and highest id,
    with the aliases file's time, say when the index must be built again: one round trip, two
    scalar subqueries (SQLite answers each from its b-tree or index; both aggregates in one
    SELECT would scan the table)."""
    ((count, highest),) = driver_rows(connection, _OFFICES_VERSION)[0]
    version = (count, highest, ALIASES.stat().st_mtime_ns)
    return kept(connection, "office index", version, lambda: OfficeIndex(connection))


def match_office(connection: Connection, text: str) -> OfficeMatch | None:
    return office_index(connection).match(text)


def office_by_reference(connection: Connection, reference: str) -> OfficeMatch | None:
    return office_index(connection).by_reference(reference)
