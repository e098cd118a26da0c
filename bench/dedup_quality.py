"""Precision and recall of 三源合一 duplicate detection on the labelled set.

Generates the labelled set (bench/dedup_generate.py's generator), registers every report through
the real service into a throw-away test database (SQLite in memory unless DATABASE_URL names
PostgreSQL), runs the duplicate check for every case against the earlier ones, and prints the
precision/recall curve and the figures at FENGQIAO_DEDUP_AUTO_LINK_SCORE:

    .venv/bin/python bench/dedup_quality.py [--disputes 1500] [--seed 20261123]

Target: precision ≥ 0.95 at recall ≥ 0.90.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--disputes", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from fengqiao.intake import duplicates
    from fengqiao.intake.dedup.corpus import evaluate, generate
    from fengqiao.intake.dedup.load import county_clerk, load, scored_pairs

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        start = timezone.now() - timedelta(days=200)
        labelled = generate(args.disputes, seed=args.seed, start=start)
        truth = labelled.true_pairs()
        print(
            f"labelled set: {len(labelled.reports)} reports of {args.disputes} disputes, "
            f"{len(truth)} duplicate pairs"
        )
        actor = county_clerk()
        began = time.perf_counter()
        cases = load(labelled, actor)
        print(f"registered in {time.perf_counter() - began:.1f} s")
        began = time.perf_counter()
        pairs = scored_pairs(cases, actor, floor=0.2)
        took = time.perf_counter() - began
        print(
            f"checked {len(cases)} cases in {took:.1f} s ({1000 * took / len(cases):.1f} ms each)"
        )
        chosen = duplicates.auto_link_score()
        thresholds = sorted({0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, chosen})
        print("threshold  precision  recall  predicted")
        for threshold, precision, recall, predicted in evaluate(pairs, truth, thresholds):
            mark = "  ← FENGQIAO_DEDUP_AUTO_LINK_SCORE" if threshold == chosen else ""
            print(f"{threshold:9.2f}  {precision:9.3f}  {recall:6.3f}  {predicted:9d}{mark}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
