"""The check's shortcuts give what the plain computations give (issue 15: the check at twice
`pandas.read_excel`'s throughput, every guard kept): each is compared here with the
computation it stands for, on random input or on every name of the master data."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from collections import Counter

import pytest

from data.office_match import POSSIBLE, OfficeIndex
from loaders import bounds, normalise, parts
from loaders.bounds import ANY_TAG, FOREIGN, _text_size
from loaders.read import _value, _values


def _random_bytes(rng: random.Random, alphabet: list[bytes], longest: int) -> bytes:
    return b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


def test_a_shared_string_is_measured_as_its_bytes_outside_tags():
    rng = random.Random(15)
    alphabet = [b"<", b">", b"t", b"/", b" ", b"x", b"\xe0\xa6\x95"]
    samples = [b"<t>text</t>", b'<t xml:space="preserve"> a </t>', b"", b"<t/>", b"<r><t>a</t></r>"]
    samples += [_random_bytes(rng, alphabet, 12) for _ in range(20_000)]
    for body in samples:
        assert _text_size(body) == len(body) - sum(map(len, ANY_TAG.findall(body))), body


def test_cells_and_rows_under_a_prefix_are_counted_in_one_pass_as_four_counts_did():
    rng = random.Random(15)
    alphabet = [b":", b"c", b"row", b" ", b">", b"<", b"x"]
    for _ in range(20_000):
        chunk = _random_bytes(rng, alphabet, 14)
        counts = sum(chunk.count(b":" + t) for t in (b"c ", b"c>", b"row ", b"row>"))
        assert len(FOREIGN.findall(chunk)) == counts, chunk


def _sheet_cost(sheet_data: bytes, sst_sizes: list[int] | None = None) -> bounds.SheetCost:
    from tests.hostile import xlsx

    archive = zipfile.ZipFile(io.BytesIO(xlsx(sheet_data)))
    return bounds.xlsx_sheet_cost(archive, "S", "xl/worksheets/sheet1.xml", sst_sizes or [])


def test_the_cost_scan_finds_every_shared_cell_and_cell_the_longer_patterns_found():
    """`t="s"` alone finds every shared cell `<c ... t="s">` found (more, never fewer); one
    count of `<c` less `<c` and another letter counts every cell three counts did (and those
    under other white space)."""
    old_shared = re.compile(rb'<c\s[^>]*?\bt="s"[^>]*>\s*<v>\s*([0-9]{1,10})\s*<')
    patterns = bounds._patterns(b"")
    rng = random.Random(15)
    alphabet = [b"<c", b"<col", b" ", b"\t", b">", b"/", b'r="A1"', b't="s"', b"xt", b"<v>"]
    alphabet += [b"5", b"12", b"<", b"</v></c>", b"\n"]
    for _ in range(20_000):
        chunk = _random_bytes(rng, alphabet, 16)
        old, new = Counter(old_shared.findall(chunk)), Counter(patterns["shared"].findall(chunk))
        assert not old - new, chunk
        cells = chunk.count(b"<c") - len(patterns["not_cell"].findall(chunk))
        cells -= chunk.endswith(b"<c")
        assert cells == len(re.findall(rb"<c[\s/>]", chunk)), chunk
        assert cells >= sum(chunk.count(b"<c" + end) for end in (b" ", b">", b"/")), chunk


def test_the_cost_scan_counts_the_samples_shared_cells_as_the_longer_pattern(samples_dir):
    old_shared = re.compile(rb'<c\s[^>]*?\bt="s"[^>]*>\s*<v>\s*([0-9]{1,10})\s*<')
    shared = bounds._patterns(b"")["shared"]
    sheets = 0
    for path in sorted(samples_dir.glob("*.xlsx")):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member.startswith("xl/worksheets/sheet"):
                    part = archive.read(member)
                    assert Counter(shared.findall(part)) == Counter(old_shared.findall(part))
                    sheets += 1
    assert sheets >= 4


def test_a_cell_under_a_tab_does_not_stand_in_for_a_cell_without_reference():
    """Three cells, one without `r`: the scan follows positions as calamine does (three
    columns), where counting `<c ` alone took `<c\t r=` for the one without (two)."""
    row = b'<row r="1"><c r="A1"><v>1</v></c><c\tr="B1"><v>2</v></c><c><v>3</v></c></row>'
    assert _sheet_cost(row).columns == 3
    assert (
        _sheet_cost(b'<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>').columns == 2
    )


def test_a_sheet_read_in_pieces_costs_what_it_costs_whole(monkeypatch):
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="C%d"><v>1</v></c></row>'
        % (n, n, n % 7, n)
        for n in range(1, 400)
    )
    whole = _sheet_cost(rows, list(range(10)))
    monkeypatch.setattr(bounds, "CHUNK", 1024)
    assert _sheet_cost(rows, list(range(10))) == whole
    assert (whole.rows, whole.columns) == (399, 3)
    assert whole.text == sum(n % 7 for n in range(1, 400))


def test_a_part_is_worked_out_once_for_the_same_bytes_and_failures_are_not_kept():
    calls = []

    def work(data: bytes) -> int:
        calls.append(data)
        if data == b"bad":
            raise ValueError("not well formed")
        return len(data)

    assert parts.worked_out("test: sizes", work, b"<a/>") == 4
    assert parts.worked_out("test: sizes", work, b"<a/>") == 4
    assert parts.worked_out("test: other reader", work, b"<a/>") == 4
    assert len(calls) == 2  # once per reader
    for _ in range(2):
        with pytest.raises(ValueError, match="not well formed"):
            parts.worked_out("test: sizes", work, b"bad")
    assert calls.count(b"bad") == 2  # the failure comes again where it came
    large = b"x" * (parts.KEPT_BYTES + 1)
    parts.worked_out("test: sizes", work, large)
    parts.worked_out("test: sizes", work, large)
    assert calls.count(large) == 2  # large parts are not kept


def test_a_row_of_values_is_read_as_value_by_value():
    row = [
        "  text ",
        "",
        "   ",
        1.5,
        2,
        True,
        None,
        dt.datetime(2024, 1, 2),
        dt.datetime(2024, 1, 2, 3, 4),
        dt.time(10, 30),
        dt.timedelta(hours=5),
        dt.date(2024, 1, 2),
    ]
    assert _values(row) == [_value(v) for v in row]
    assert [type(v) for v in _values(row)] == [type(_value(v)) for v in row]


def test_a_row_of_texts_is_cleaned_as_cell_by_cell():
    row = [" a  b ", "", None, 3.0, 2.5, 7, True, float("nan"), normalise.Percent(90.0)]
    row += [normalise.Percent(1.0), 1.0, 1, dt.date(2024, 1, 2), "x" * 500]
    assert normalise.clean_texts(row) == [normalise.clean_text(v) for v in row]


def _scored_answer(index: OfficeIndex, text: str):
    """What `_best` answers by scoring every name."""
    found = index.candidates(text, n=2)
    if not found or found[0].score < POSSIBLE:
        return None
    if len(found) > 1 and found[1].score >= found[0].score and found[0].score < 100:
        return "uncertain"
    return found[0]


def test_an_office_named_exactly_gets_the_answer_scoring_every_name_gives(master):
    with master.connect() as connection:
        index = OfficeIndex(connection)
    assert index._exact(index.choices[0]) is None  # not before `exact_after` texts were scored
    index.exact_after = 0
    rng = random.Random(15)
    names = [o.name_bn for o in index.offices.values()] + [
        o.name_en for o in index.offices.values()
    ]
    texts = rng.sample(names, min(400, len(names))) + rng.sample(index.choices, 200)
    texts += [f"{t}।" for t in texts[:50]] + [t.upper() for t in texts[:50]] + ["", "অগ্রগতি"]
    exact = 0
    for text in texts:
        found = index._exact(text)
        if found is not None:
            exact += 1
            assert found == _scored_answer(index, text), text
    assert exact > len(texts) // 2  # the shortcut is taken for most exact names


def test_codes_kept_per_text_are_the_codes_worked_out_and_each_caller_gets_its_own_list():
    texts = [
        "[১.১.১] সূচক",
        "[২.২.১] ক [২.২.২] খ",
        "১. ক্ষেত্র ৬",
        "১০ জন",
        "০৬/০৭/২৪",
        "[এম.১.১] ক",
        None,
    ]
    texts += ["x" * (normalise.SHORT_TEXT + 1) + " [1.1] y", 12.0, "  [৩.১]   নাম  "]
    for text in texts:
        raw = normalise.clean_text(text) or ""
        for _ in range(2):
            assert normalise.parse_code(text) == normalise._parse_code(raw)
            assert normalise.codes_in(text) == normalise._codes_in(raw)
    first = normalise.codes_in("[২.২.১] ক [২.২.২] খ")
    first.append(("changed", "", ""))
    assert len(normalise.codes_in("[২.২.১] ক [২.২.২] খ")) == 2


def test_a_sheets_width_found_from_the_right_is_the_widest_rows_extent():
    from loaders.read import _extent, _width

    rng = random.Random(15)
    for _ in range(5_000):
        length = rng.randint(0, 6)
        rows = [
            [rng.choice([None, None, 1, "x"]) for _ in range(length)]
            for _ in range(rng.randint(0, 5))
        ]
        if rows and rng.random() < 0.2:
            rows[0] = rows[0] + [rng.choice([None, 2])]  # rows of unequal length
        assert _width(rows) == max(map(_extent, rows), default=0), rows


def test_shared_strings_are_measured_as_item_by_item():
    """SHARED_ITEM_TEXT finds the items SHARED_ITEM finds, the usual ones' text at once."""
    rng = random.Random(15)
    alphabet = [b"<si>", b"</si>", b"<t>", b"</t>", b'<t xml:space="preserve">', b"<si/>", b"<t/>"]
    alphabet += [b"<r>", b"</r>", b"a", b"\xe0\xa6\x95", b" ", b"<", b">", b"<x:si>", b"</x:si>"]
    for _ in range(20_000):
        chunk = _random_bytes(rng, alphabet, 14)
        old = [_text_size(body) for body in bounds.SHARED_ITEM.findall(chunk)]
        new = [
            len(text) + (_text_size(body) if body else 0)
            for text, body in bounds.SHARED_ITEM_TEXT.findall(chunk)
        ]
        assert new == old, chunk


def test_words_of_short_and_long_texts_kept_are_the_words_worked_out():
    import unicodedata

    from core.terms import TO_ASCII_DIGITS

    pieces = [
        "১ম ত্রৈমাসিক",
        "অর্ধবার্ষিক মূল্যায়ন",
        "জুলাই-ডিসেম্বর ২০২৩",
        "বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪",
        "ই-গভর্ন্যান্স",
        "অতি উত্তম",
        "৯০%",
        "তারিখ",
        "ক্রমপুঞ্জিভূত",
        "Q2",
        " \t",
    ]
    rng = random.Random(15)
    texts = list(pieces)
    for size in (normalise.SHORT_TEXT, normalise.SHORT_TEXT + 1, 300, normalise.LONG_TEXT + 5):
        for _ in range(10):
            text = ""
            while len(text) < size:
                text += rng.choice(pieces) + rng.choice([" ", "  ", "\n", ", "])
            texts.append(text[:size])
    words = [
        (normalise.quarter_in, normalise._quarter_in),
        (normalise.evaluation_quarter, normalise._evaluation_quarter),
        (normalise.is_whole_year, normalise._is_whole_year),
        (normalise.to_date_quarter, normalise._to_date_quarter),
        (normalise.unit_kind, lambda clean: normalise._unit_kind(clean.casefold())),
        (normalise.method_of, lambda clean: normalise._method_of(clean.casefold())),
        (normalise.plan_type_in, lambda clean: normalise._plan_type_in(clean.casefold())),
    ]
    for text in texts:
        clean = " ".join(unicodedata.normalize("NFC", text).split()) or None
        digits = unicodedata.normalize("NFC", text).translate(TO_ASCII_DIGITS)
        for _ in range(2):  # worked out, then kept
            assert normalise.clean_text(text) == clean
            assert normalise.ascii_digits(text) == digits
            for kept, worked_out in words:
                assert kept(text) == worked_out(clean or ""), (kept.__name__, text)
            level = unicodedata.normalize("NFC", clean or "").casefold()
            assert normalise.level_of(text) == (normalise._level_of(level) if level else None)


def test_weights_kept_are_the_weights_worked_out():
    values = [
        "১০",
        "০২",
        "-৩",
        "৫ (মোট)",
        "নাই",
        "-",
        "#REF!",
        "১৫/১০/২০২৪",
        2.0,
        -1.0,
        0.5,
        3,
        True,
        None,
        normalise.Percent(90.0),
        dt.date(2024, 1, 1),
        "x" * (normalise.SHORT_TEXT + 1),
    ]
    for value in values:
        for _ in range(2):
            assert normalise.parse_weight(value) == normalise._parse_weight(value), value


def test_a_tables_columns_copied_are_what_a_deep_copy_gives_and_their_own():
    import copy

    from loaders.layouts import Columns

    columns = Columns(indicator=2, weight=3, annual_target=4)
    columns.targets = {100: 5, 90: 6}
    columns.quarters = {1: 7}
    columns.unknown_quarter = [8]
    columns.offices = {9: "আইসিটি অধিদপ্তরের অগ্রগতি"}
    columns.prior = {10: "2022-23"}
    copied = columns.copy()
    assert copied == copy.deepcopy(columns)
    copied.targets[80] = 11
    copied.unknown_quarter.append(12)
    copied.offices.clear()
    assert columns.targets == {100: 5, 90: 6}
    assert columns.unknown_quarter == [8]
    assert columns.offices == {9: "আইসিটি অধিদপ্তরের অগ্রগতি"}
