"""Persisted passage vectors: what is saved is found again, by text, whatever bytes its digest holds."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from skillbite.search.vector_store import MAX_FILES, VectorStore, _digest


def _vectors(texts: list[str]) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)
    return {t: rng.standard_normal(8).astype(np.float32) for t in texts}


def test_saved_vectors_are_found_again(tmp_path: Path) -> None:
    # A text whose digest ends with a zero byte (numpy byte strings would silently drop it).
    trailing_zero = next(t for t in (f"passage {i}" for i in range(10_000)) if _digest(t).endswith(b"\0"))
    texts = ["tar: Archiving utility.", trailing_zero, "tar: Extract an archive", "tar: Archiving utility."]
    vectors = _vectors(texts)
    VectorStore(tmp_path, "model").save(texts, vectors)
    found = VectorStore(tmp_path, "model").lookup(texts)
    assert set(found) == set(texts)
    for text in texts:
        assert np.array_equal(found[text], vectors[text])


def test_a_changed_set_reuses_what_it_shares(tmp_path: Path) -> None:
    store = VectorStore(tmp_path, "model")
    before = ["a: one", "a: two", "b: three"]
    store.save(before, _vectors(before))
    after = ["a: one", "a: two (changed)", "b: three"]
    assert set(store.lookup(after)) == {"a: one", "b: three"}


def test_models_do_not_share_vectors(tmp_path: Path) -> None:
    texts = ["a: one"]
    VectorStore(tmp_path, "model-a").save(texts, _vectors(texts))
    assert VectorStore(tmp_path, "model-b").lookup(texts) == {}


def test_only_the_most_recent_sets_are_kept(tmp_path: Path) -> None:
    store = VectorStore(tmp_path, "model")
    for version in range(MAX_FILES + 3):
        texts = [f"lesson: version {version}"]
        store.save(texts, _vectors(texts))
    assert len(list(store.folder.glob("*.npz"))) == MAX_FILES
    assert not list(store.folder.glob("*.tmp"))


def test_a_damaged_file_is_ignored(tmp_path: Path) -> None:
    store = VectorStore(tmp_path, "model")
    texts = ["a: one"]
    store.save(texts, _vectors(texts))
    (path,) = store.folder.glob("*.npz")
    whole = path.read_bytes()
    for damaged in (b"not a numpy file", whole[: len(whole) // 2]):
        path.write_bytes(damaged)
        assert store.lookup(texts) == {}
