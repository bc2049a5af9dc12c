"""CSV rows become flashcards; any malformed row is reported with its line and nothing is imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.content.importers.csv_cards import CsvImportError, card_item_id, read_csv_cards
from skillbite.domain.content import Flashcard, Pack


def write(tmp_path: Path, text: str, name: str = "cards.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def cards_of(pack: Pack) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [
        (item.body.front, item.body.back, item.explanation, item.tags)  # type: ignore[union-attr]
        for lesson in pack.lessons
        for item in lesson.items
    ]


def test_rows_become_flashcards_with_explanations_and_tags(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "What does HEAD name?,The current commit\n"
        '"Undo a commit, keep changes?",git reset --soft HEAD~1,Moves HEAD only,git undo;reset\n'
        "Stage a file?,git add FILE,,git  staging\n",
    )
    pack = read_csv_cards(path, "git-cards")
    assert (pack.id, pack.title) == ("git-cards", "Cards")
    assert [(s.id, s.title) for s in pack.skills] == [("git-cards", "Cards")]
    assert [(lesson.id, lesson.skills, lesson.minutes) for lesson in pack.lessons] == [
        ("git-cards.cards", ("git-cards",), 1.0)
    ]
    assert cards_of(pack) == [
        ("What does HEAD name?", "The current commit", "", ()),
        (
            "Undo a commit, keep changes?",
            "git reset --soft HEAD~1",
            "Moves HEAD only",
            ("git", "undo", "reset"),
        ),
        ("Stage a file?", "git add FILE", "", ("git", "staging")),
    ]
    assert pack.lessons[0].items[0].id == card_item_id("git-cards", "What does HEAD name?")


def test_header_row_is_detected_and_may_reorder_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffTags,Back,Front\nfr,chat,cat\n", encoding="utf-8")
    pack = read_csv_cards(path, "french")
    assert cards_of(pack) == [("cat", "chat", "", ("fr",))]


def test_bom_multiline_fields_and_blank_lines_are_fine(tmp_path: Path) -> None:
    path = write(
        tmp_path, 'question,answer\r\n\r\n"Two\nlines?",yes\r\n,,,\r\nlast,one\r\n', encoding="utf-8-sig"
    )
    assert cards_of(read_csv_cards(path, "p")) == [("Two\nlines?", "yes", "", ()), ("last", "one", "", ())]


def test_tab_separated_file(tmp_path: Path) -> None:
    path = write(tmp_path, "a, b\tc, d\n", name="cards.tsv")
    assert cards_of(read_csv_cards(path, "p")) == [("a, b", "c, d", "", ())]


def test_every_malformed_row_is_reported_and_nothing_is_imported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "question,answer\n"  # 1 header
        "ok,fine\n"  # 2
        "only a question\n"  # 3 too few columns
        "a,b,c,d,e\n"  # 4 too many
        ",no question\n"  # 5
        "no answer,\n"  # 6
        '"multi\nline",ok\n'  # 7-8
        "OK ,again\n"  # 9 same question as line 2
        "x,y,z,t,u\n",  # 10
    )
    with pytest.raises(CsvImportError) as caught:
        read_csv_cards(path, "p")
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (3, "expected 2 columns (question,answer), found 1 — quote fields containing commas"),
        (4, "expected 2 columns (question,answer), found 5 — quote fields containing commas"),
        (5, "the question is empty; fill it in or delete the row"),
        (6, "the answer is empty; fill it in or delete the row"),
        (9, "same question as line 2; merge the two rows or reword one question"),
        (10, "expected 2 columns (question,answer), found 5 — quote fields containing commas"),
    ]
    assert str(caught.value).splitlines()[0] == "cards.csv: 6 problems, nothing was imported"


def test_too_many_columns_message_without_header(tmp_path: Path) -> None:
    path = write(tmp_path, "q1,a1\nq2,a2\nq3,a3\nq4,a4\nq5,a5\nq6,a6\nq,a,e,t,extra\n")
    with pytest.raises(CsvImportError) as caught:
        read_csv_cards(path, "p")
    assert str(caught.value).splitlines()[1] == (
        "cards.csv:7: expected 2 to 4 columns (question,answer[,explanation,tags]), found 5 — "
        "quote fields containing commas"
    )


def test_broken_quotes_are_reported_with_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'q1,a1\n"bad"quote,a2\nq3,a3\n"never closed,a4\n')
    with pytest.raises(CsvImportError) as caught:
        read_csv_cards(path, "p")
    assert [p.line for p in caught.value.problems] == [2, 4]
    assert all("check the quotes" in p.message for p in caught.value.problems)


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "q1,a1\nq2,caf\u00e9\n", encoding="latin-1")
    with pytest.raises(CsvImportError, match=r"cards.csv:2: not UTF-8 text .*save the file as UTF-8"):
        read_csv_cards(path, "p")


def test_empty_file_and_bad_pack_id(tmp_path: Path) -> None:
    with pytest.raises(CsvImportError, match="no cards found"):
        read_csv_cards(write(tmp_path, "question,answer\n\n"), "p")
    with pytest.raises(CsvImportError, match="'Bad Id' is not a valid pack id"):
        read_csv_cards(write(tmp_path, "q,a\n"), "Bad Id")


def test_many_cards_are_cut_into_bites(tmp_path: Path) -> None:
    path = write(tmp_path, "".join(f"question {i},answer {i}\n" for i in range(50)), name="vocab_list.csv")
    pack = read_csv_cards(path, "vocab")
    assert pack.title == "Vocab list"
    assert [(lesson.id, lesson.title, len(lesson.items)) for lesson in pack.lessons] == [
        ("vocab.cards-1", "Vocab list (1/3)", 17),
        ("vocab.cards-2", "Vocab list (2/3)", 17),
        ("vocab.cards-3", "Vocab list (3/3)", 16),
    ]


def test_item_ids_survive_edits_to_answers_and_order(tmp_path: Path) -> None:
    first = read_csv_cards(write(tmp_path, "Alpha?,1\nBeta?,2\n", name="a.csv"), "p")
    second = read_csv_cards(write(tmp_path, "beta? ,two\n  alpha?,one\n", name="b.csv"), "p")
    ids = {
        item.body.front.strip().casefold(): item.id  # type: ignore[union-attr]
        for pack in (first, second)
        for lesson in pack.lessons
        for item in lesson.items
    }
    assert len(set(ids.values())) == 2
    assert {item.id for item in first.lessons[0].items} == {item.id for item in second.lessons[0].items}


HEADER_WORDS = {"question", "front", "answer", "back", "explanation", "tags"}
_cell = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).filter(
    lambda s: s.strip() and s.strip().casefold() not in HEADER_WORDS
)


@settings(deadline=None, max_examples=50)  # writes a file per example; no deadline on a busy machine
@given(
    rows=st.lists(
        st.tuples(_cell, _cell), min_size=1, max_size=8, unique_by=lambda row: card_item_id("p", row[0])
    )
)
def test_any_quoted_card_round_trips(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str]]
) -> None:
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    path = tmp_path_factory.mktemp("csv") / "cards.csv"
    path.write_text("".join(f"{quoted(q)},{quoted(a)}\n" for q, a in rows), encoding="utf-8", newline="")
    pack = read_csv_cards(path, "p")
    bodies = [item.body for lesson in pack.lessons for item in lesson.items]
    assert bodies == [Flashcard(q.strip(), a.strip()) for q, a in rows]
