"""Report texts kept on disk (nlp/reuse/texts.py) read back exactly as Python slices them."""
import multiprocessing as mp
import pickle
import random

import pytest

from nlp.reuse.texts import ReportTexts

TEXTS = [
    "一、总体情况\n2024年，我镇坚持以习近平新时代中国特色社会主义思想为指导。",
    "",
    "ASCII only, 1 2 3",
    "𠮷野家镇（𠮷 is outside the BMP）：主动公开政府信息 12 条。",
    "lone surrogate \ud83d kept, then a pair written as two code points \ud83d\ude00 kept apart",
    "全角　空格与\r\n换行\u2028分隔",
]


@pytest.fixture
def store(tmp_path):
    texts = ReportTexts(tmp_path)
    for k, t in enumerate(TEXTS):
        assert texts.add(t) == k
    yield texts
    texts.close()


def test_every_slice_is_the_python_slice(store):
    rng = random.Random(0)
    for d, text in enumerate(TEXTS):
        assert store.text(d) == text and store.length(d) == len(text)
        for _ in range(200):
            a, b = rng.randint(0, len(text) + 3), rng.randint(0, len(text) + 3)
            assert store.span(d, a, b) == text[a:b]


def test_the_file_is_anonymous_and_not_picklable(store, tmp_path):
    assert list(tmp_path.iterdir()) == []  # nothing left beside the shards
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(store)


def _read_in_child(store, queue):
    queue.put([store.span(d, 1, 20) for d in range(len(store))])


@pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="no fork on this platform")
def test_forked_processes_read_what_the_parent_added(store):
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_read_in_child, args=(store, queue))
    child.start()
    got = queue.get(timeout=60)
    child.join()
    assert got == [t[1:20] for t in TEXTS]
