"""Suggest a dispute's category and subcategory from its words, and say which words decided.

Two sources, both explainable: a lexicon a deployer can edit (``intake/data/lexicon.json``,
terms with weights per subcategory) and, once ``manage.py train_classifier`` has run, a naive
Bayes model learned from the deployment's own cases (FENGQIAO_CLASSIFIER_PATH, a JSON file).
Text is segmented with rjieba, the lexicon's terms added to its dictionary so 宅基地, 拖欠工资,
土地承包 stay whole. A suggestion is only ever offered: it never overwrites a person's choice.
"""

import json
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import rjieba
from django.conf import settings

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "lexicon.json"
STOP = frozenset(
    "的了和与在因是我你他她其将把被对向为等及也就都而又之于"
)  # one-character function words


@dataclass(frozen=True, slots=True)
class Suggestion:
    category: str
    subcategory: str  # "" when only the category is known
    score: float
    words: tuple[str, ...]  # what decided it, most telling first


@cache
def lexicon() -> dict[str, tuple[tuple[str, float], ...]]:
    raw = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    entries = {
        code: tuple((str(term), float(weight)) for term, weight in terms)
        for code, terms in raw.items()
        if not code.startswith("_")
    }
    for terms in entries.values():
        for term, _weight in terms:
            rjieba.add_word(term, None, None)
    return entries


def tokens(text: str) -> list[str]:
    lexicon()  # make sure the domain words are in the dictionary
    return [t for t in rjieba.cut(text) if len(t.strip()) > 1]  # single characters tell little


def _split(code: str) -> tuple[str, str]:
    category, _dot, _sub = code.partition(".")
    return category, code if "." in code else ""


def lexicon_scores(text: str) -> dict[str, tuple[float, list[str]]]:
    """Per lexicon entry: the summed weight of its terms found in ``text`` and the terms."""
    scores: dict[str, tuple[float, list[str]]] = {}
    for code, terms in lexicon().items():
        found = [(term, weight) for term, weight in terms if term in text]
        if found:
            found.sort(key=lambda item: -item[1])
            scores[code] = (sum(w for _t, w in found), [t for t, _w in found])
    return scores


# --- the learned model (naive Bayes over segmented words) ----------------------------------


@dataclass
class Model:
    classes: dict[str, int]  # code → documents
    words: dict[str, dict[str, int]]  # code → word → count
    totals: dict[str, int]
    vocabulary: int

    def to_json(self) -> dict[str, Any]:
        return {
            "classes": self.classes,
            "words": self.words,
            "totals": self.totals,
            "vocabulary": self.vocabulary,
        }

    def log_scores(self, words: Sequence[str]) -> dict[str, float]:
        documents = sum(self.classes.values())
        scores = {}
        for code, count in self.classes.items():
            counts, total = self.words.get(code, {}), self.totals.get(code, 0)
            score = math.log(count / documents)
            for word in words:
                score += math.log((counts.get(word, 0) + 1) / (total + self.vocabulary))
            scores[code] = score
        return scores

    def telling_words(self, code: str, words: Sequence[str], limit: int = 3) -> list[str]:
        """The words that most favour ``code`` over the other classes."""
        counts, total = self.words.get(code, {}), self.totals.get(code, 0)
        others = Counter[str]()
        other_total = 0
        for other, other_counts in self.words.items():
            if other != code:
                others.update(other_counts)
                other_total += self.totals.get(other, 0)

        def lift(word: str) -> float:
            mine = (counts.get(word, 0) + 1) / (total + self.vocabulary)
            theirs = (others.get(word, 0) + 1) / (other_total + self.vocabulary)
            return math.log(mine / theirs)

        ranked = sorted(set(words), key=lift, reverse=True)
        return [w for w in ranked if lift(w) > 0][:limit]


def train(documents: Iterable[tuple[str, str]]) -> Model:
    """Fit the model on (text, code) pairs."""
    classes: Counter[str] = Counter()
    words: dict[str, Counter[str]] = defaultdict(Counter)
    vocabulary: set[str] = set()
    for text, code in documents:
        classes[code] += 1
        found = tokens(text)
        words[code].update(found)
        vocabulary.update(found)
    return Model(
        classes=dict(classes),
        words={code: dict(counter) for code, counter in words.items()},
        totals={code: sum(counter.values()) for code, counter in words.items()},
        vocabulary=max(len(vocabulary), 1),
    )


def cross_validate(
    documents: list[tuple[str, str]], folds: int = 5, seed: int = 7
) -> tuple[float, float]:
    """k-fold cross-validated (top-1, top-3) accuracy of the model alone."""
    shuffled = documents[:]
    random.Random(seed).shuffle(shuffled)  # noqa: S311  a reproducible split, not a secret
    hits1 = hits3 = 0
    for fold in range(folds):
        test = shuffled[fold::folds]
        model = train(d for i, d in enumerate(shuffled) if i % folds != fold)
        for text, code in test:
            ranked = sorted(model.log_scores(tokens(text)).items(), key=lambda kv: -kv[1])
            codes = [c for c, _s in ranked]
            hits1 += bool(codes[:1] == [code])
            hits3 += code in codes[:3]
    total = max(len(shuffled), 1)
    return hits1 / total, hits3 / total


def model_path() -> Path:
    return Path(getattr(settings, "FENGQIAO_CLASSIFIER_PATH", "var/classifier.json"))


def save(model: Model, path: Path | None = None) -> Path:
    path = path or model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_json(), ensure_ascii=False), encoding="utf-8")
    load_model.cache_clear()
    return path


@cache
def load_model() -> Model | None:
    path = model_path()
    if not path.is_file():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Model(raw["classes"], raw["words"], raw["totals"], int(raw["vocabulary"]))


# --- the suggestion --------------------------------------------------------------------------


def suggest(text: str) -> Suggestion | None:
    """The likeliest category and subcategory of ``text`` with the words that decided it, or
    None when nothing in the text points anywhere."""
    return suggest_with(text, load_model())


def suggest_with(text: str, model: Model | None) -> Suggestion | None:
    """``suggest`` with a given model (None: the lexicon alone), as the benchmark compares."""
    text = text.strip()
    if not text:
        return None
    scores = lexicon_scores(text)
    if model is not None:
        words = tokens(text)
        logs = model.log_scores(words)
        best = max(logs.values(), default=0.0)
        posterior = {code: math.exp(score - best) for code, score in logs.items()}
        norm = sum(posterior.values()) or 1.0
        for code, p in posterior.items():
            weight, found = scores.get(code, (0.0, []))
            telling = found or model.telling_words(code, words)
            scores[code] = (weight + 6 * p / norm, telling)
    if not scores:
        return None
    # The category with the most evidence over all its entries wins (a model trained on
    # categories and a lexicon keyed by subcategories add up), then its best subcategory.
    totals: dict[str, float] = defaultdict(float)
    for code, (score, _words) in scores.items():
        totals[_split(code)[0]] += score
    category = max(totals, key=lambda c: (totals[c], c))
    inside = {code: value for code, value in scores.items() if _split(code)[0] == category}
    code, (_score, words) = max(
        inside.items(), key=lambda item: ("." in item[0], item[1][0], item[0])
    )
    if not words:
        words = next((w for _s, w in inside.values() if w), [])
    _category, subcategory = _split(code)
    return Suggestion(category, subcategory, round(totals[category], 2), tuple(words[:4]))
