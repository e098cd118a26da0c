"""Write the labelled 三源合一 set: disputes reported through several channels, with their labels.

Every report carries the id of the dispute it belongs to (reports sharing it are duplicates),
its channel, title, description, category, place (real 湘阴县 codes, 430624…), parties (names,
ID numbers, phones in the channel's own format) and when it arrived:

    .venv/bin/python bench/dedup_generate.py [--disputes 1500] [--seed 20261123] \\
        [--out var/dedup_labelled.json]

1,500 disputes give about 2,100 reports. bench/dedup_quality.py generates the same set itself
(same seed) and measures precision and recall on it.
"""

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--disputes", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", default=str(ROOT / "var" / "dedup_labelled.json"))
    args = parser.parse_args()

    import django

    django.setup()
    from fengqiao.intake.dedup.corpus import generate

    start = datetime.now(tz=UTC) - timedelta(days=200)
    labelled = generate(args.disputes, seed=args.seed, start=start)
    reports = [{**asdict(r), "created_at": r.created_at.isoformat()} for r in labelled.reports]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(reports, ensure_ascii=False, indent=1), encoding="utf-8")
    sizes = Counter(Counter(r.dispute for r in labelled.reports).values())
    print(f"{len(reports)} reports of {args.disputes} disputes → {out}")
    print(f"duplicate pairs: {len(labelled.true_pairs())}; reports per dispute: {dict(sizes)}")
    print(f"channels: {dict(Counter(str(r.channel) for r in labelled.reports))}")


if __name__ == "__main__":
    main()
