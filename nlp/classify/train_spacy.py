"""Training the spaCy backend: ``textcat_multilabel`` heads for labels and topics.

Kept apart from ``train.py`` (which builds the training set and trains sklearn) so each stays
short; ``train.train_classifiers`` calls ``train_spacy``.
"""
from __future__ import annotations

import random
from typing import TYPE_CHECKING

from nlp.classify.model import spacy_text
from nlp.classify.weak import LABELS, TOPICS

if TYPE_CHECKING:  # pragma: no cover
    from nlp.classify.train import Example

#: With contexts, 8 / 10 / 12 / 16 epochs gave dev label macro F1 0.99 / 0.98 / 0.95-0.98 / 0.96 and
#: topic macro F1 0.71 / 0.63 / 0.81-0.83 / 0.90: mostly training noise (a one-unit change in the
#: training set moves the 12-epoch model by 0.03); 12 was kept for the topics.
SPACY_EPOCHS = 12
SPACY_ARCH = "reduce"
SPACY_DROPOUT = 0.3


def spacy_architecture(kind: str) -> dict:
    """The textcat model config: ``bow`` (linear over jieba words and bigrams) or ``ensemble``.

    Why the ensemble: its CNN embeds each jieba word with its first and last characters
    (PREFIX/SUFFIX), which gives the character-level evidence ("不足", "有待") that a pure
    bag of words misses on unseen words.
    """
    bow = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False,
           "ngram_size": 2, "no_output_layer": False, "length": 262144}
    if kind == "bow":
        return bow
    width = 64
    tok2vec = {"@architectures": "spacy.Tok2Vec.v2",
               "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": width,
                         "rows": [2500, 1000, 1000, 250],
                         "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                         "include_static_vectors": False},
               "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": width,
                          "window_size": 1, "maxout_pieces": 3, "depth": 2}}
    if kind == "reduce":
        return {"@architectures": "spacy.TextCatReduce.v1", "exclusive_classes": False,
                "use_reduce_first": False, "use_reduce_last": False, "use_reduce_max": True,
                "use_reduce_mean": True, "tok2vec": tok2vec}
    return {"@architectures": "spacy.TextCatEnsemble.v2", "linear_model": bow, "tok2vec": tok2vec}


def train_spacy(examples: list[Example], seed: int = 0, epochs: int = SPACY_EPOCHS):
    """A blank zh (jieba) pipeline with ``labels`` and ``topics`` textcat_multilabel components."""
    import spacy
    from spacy.training import Example as SpacyExample
    from spacy.util import fix_random_seed, minibatch

    from nlp.spacy_doc import blank_zh

    blank_zh()
    fix_random_seed(seed)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    model = spacy_architecture(SPACY_ARCH)
    nlp.add_pipe("textcat_multilabel", name="labels", config={"model": model, "threshold": 0.5})
    nlp.add_pipe("textcat_multilabel", name="topics", config={"model": model, "threshold": 0.5})

    def make(e: Example) -> SpacyExample:
        cats = {k: float(k in e.labels) for k in LABELS}
        cats.update({"topic_" + k: float(k in e.topics) for k in TOPICS})
        return SpacyExample.from_dict(nlp.make_doc(spacy_text(e.text, e.section, e.context)),
                                      {"cats": cats})

    all_ex = [make(e) for e in examples]
    lab_ex = [x for x, e in zip(all_ex, examples) if e.labels]
    nlp.get_pipe("labels").initialize(lambda: all_ex, nlp=nlp, labels=list(LABELS))
    nlp.get_pipe("topics").initialize(lambda: lab_ex, nlp=nlp,
                                      labels=["topic_" + k for k in TOPICS])
    optimizer = nlp.resume_training()
    rng = random.Random(seed)
    for _ in range(epochs):
        for pool, skip in ((all_ex, ["topics"]), (lab_ex, ["labels"])):
            pool = pool[:]
            rng.shuffle(pool)
            for batch in minibatch(pool, size=16):
                nlp.update(batch, sgd=optimizer, drop=SPACY_DROPOUT, exclude=skip, losses={})
    return nlp
