"""Category suggestion quality on the labelled benchmark (fengqiao/intake/classify_corpus.py):
precision and recall per category on the held-out part, for the lexicon alone and for the lexicon
with a naive Bayes model trained on the training part; then the demo generator's own case texts,
which must all be classified as the category the demo files them under.

    DJANGO_SETTINGS_MODULE=fengqiao.settings.test .venv/bin/python bench/classify_quality.py
"""

import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings.test")

import django

django.setup()

from fengqiao.demo.patrols import demo_texts  # noqa: E402
from fengqiao.intake import classify, classify_corpus  # noqa: E402


def scores(rows: list[tuple[str, str]], model: classify.Model | None) -> dict[str, tuple]:
    true_pos, predicted, actual = Counter(), Counter(), Counter()
    for text, category in rows:
        suggestion = classify.suggest_with(text, model)
        guess = suggestion.category if suggestion else ""
        actual[category] += 1
        predicted[guess] += 1
        true_pos[category] += guess == category
    return {
        c: (
            true_pos[c] / predicted[c] if predicted[c] else 0.0,
            true_pos[c] / actual[c],
            actual[c],
        )
        for c in sorted(actual)
    }


def report(title: str, table: dict[str, tuple]) -> None:
    print(f"\n{title}")
    print(f"{'category':<20}{'precision':>10}{'recall':>9}{'n':>5}")
    for category, (precision, recall, n) in table.items():
        print(f"{category:<20}{precision:>10.2f}{recall:>9.2f}{n:>5}")
    macro_p = sum(p for p, _r, _n in table.values()) / len(table)
    macro_r = sum(r for _p, r, _n in table.values()) / len(table)
    print(f"{'macro':<20}{macro_p:>10.2f}{macro_r:>9.2f}")


def main() -> None:
    train, held_out = classify_corpus.labelled("train"), classify_corpus.labelled("held_out")
    print(
        f"labelled set: {len(train) + len(held_out)} descriptions, "
        f"{len(classify_corpus.situations())} categories; held out: {len(held_out)}"
    )
    model = classify.train(train)
    report("held out, lexicon alone", scores(held_out, None))
    report("held out, lexicon + model trained on the training part", scores(held_out, model))
    wrong = [
        (t, c, s)
        for t, c in demo_texts()
        if (s := classify.suggest_with(t, None)) is None or s.category != c
    ]
    print(
        f"\ndemo generator: {len(demo_texts()) - len(wrong)}/{len(demo_texts())} "
        "of its case texts classified as the category it files them under"
    )
    for text, category, suggestion in wrong:
        print(f"  {category} → {suggestion.category if suggestion else '—'}: {text[:60]}")


if __name__ == "__main__":
    main()
