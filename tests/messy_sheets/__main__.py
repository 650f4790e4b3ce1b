"""Print the outcome of the importer on every corpus case: ``python -m tests.messy_sheets``."""

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from . import CASES, build, judge


def main(verbose: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        paths = build(Path(tmp))
        built = time.perf_counter() - start
        counts = Counter()
        print(f"{'case':44} {'format':38} {'expect':7} outcome")
        for c in CASES:
            outcome = judge(c, paths[c.name])
            counts[outcome.outcome] += 1
            print(f"{c.name:44} {c.format:38} {c.expect:7} {outcome.outcome}")
            if verbose and outcome.details:
                print(outcome.explain(c))
        took = time.perf_counter() - start
        print(f"\n{len(CASES)} files; built in {built:.1f} s, built and judged in {took:.1f} s")
        print(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main(verbose="-v" in sys.argv)
