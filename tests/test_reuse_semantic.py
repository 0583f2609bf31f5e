"""Disguised copies: synonyms swapped so often that MinHash misses them; embeddings find them."""
import shutil

import pytest

from conftest import SEEDS, seed_path
from nlp.load import load_reports
from nlp.reuse import semantic
from nlp.reuse.candidates import build_table
from nlp.reuse.detect import detect

#: 永正镇 (001), section 一; planted into 升昌镇 (004) with nine words swapped by hand.
ORIGINAL = ("我镇以贯彻落实信息公开为契机，以建设法治服务型政府为目标，加强对全镇各项工作的领导，"
            "进一步强化责任意识、服务意识、公仆意识和依法履行职责的法治意识，促进全镇干部职工依法办事、"
            "正确履职，提高执行力和公信力，增强责任意识。")
DISGUISED = ("我镇以贯彻落实信息公开为契机，以建设法治服务型政府为目标，强化对全镇各类工作的领导，"
             "持续强化责任观念、服务观念、公仆观念和依法履行职责的法治观念，促进全镇干部职工依法办事、"
             "正确履职，提升执行力和公信力，增强责任观念。")
REPLACED = "并建立了一系列的信息保密制度，明确网站管理职责，网站信息的发布、维护，进一步方便了群众办事，提高了政策知晓率。"


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("planted")
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    target = folder / seed_path("004").name
    text = target.read_text(encoding="utf-8")
    assert text.count(REPLACED) == 1
    target.write_text(text.replace(REPLACED, DISGUISED), encoding="utf-8")
    reports, skipped = load_reports(folder)
    assert not skipped and ORIGINAL in reports[1].text
    return reports


def _disguised_rows(result):
    frame = result.passages_frame()
    return frame[frame["a_text"].str.contains("公仆") & frame["b_text"].str.contains("公仆")]


def test_the_lexical_pass_alone_misses_the_disguised_copy(planted):
    assert _disguised_rows(detect(planted, semantic=False)).empty


def test_embedding_neighbours_find_it_as_a_semantic_cross_office_passage(planted):
    rows = _disguised_rows(detect(planted))
    assert len(rows) == 1
    row = rows.iloc[0]
    assert {row["a_text"], row["b_text"]} == {ORIGINAL, DISGUISED}
    assert row["kind"] == "semantic" and row["layer"] == "cross_office"
    assert 0.8 < row["similarity"] < 1.0


def _pair(table):
    ids = {table.raw(i): i for i in range(len(table))}
    return tuple(sorted((ids[ORIGINAL], ids[DISGUISED])))


def test_the_approximate_index_proposes_the_same_pair(planted, monkeypatch):
    table = build_table(planted)
    exact = semantic.semantic_pairs(table)
    monkeypatch.setattr(semantic, "EXACT_LIMIT", 20)  # inverted lists over a few cells
    approximate = semantic.semantic_pairs(table)
    assert _pair(table) in exact and _pair(table) in approximate
    assert len(approximate & exact) >= 0.8 * len(exact)


def test_only_unmatched_sentences_look_for_neighbours(planted):
    table = build_table(planted)
    pair = _pair(table)
    assert pair in semantic.semantic_pairs(table, unmatched={pair[1]})
    assert semantic.semantic_pairs(table, unmatched=set()) == set()
