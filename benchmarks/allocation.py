"""Benchmark: greedy allocation against a hand-written loop, its growth, and optimal mode.

Every measurement runs in a fresh process (multiprocessing, "spawn"), which builds its own
data from a fixed seed, times the allocation only, and reports its own peak memory
(``ru_maxrss``). The hand-written loop is the baseline: a dict of product to its lots in
order, each demand taking from them in turn, over the same data and in the same run.

    python benchmarks/allocation.py            # 10k, 100k and 1M demands (a few minutes)
    python benchmarks/allocation.py --quick    # 1k and 10k demands, optimal at 2k
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import multiprocessing
import random
import resource
import sys
import time
from decimal import Decimal

from orderbook import Lot
from orderbook.allocation import Demand, allocate

START = dt.date(2027, 1, 1)
PLACED = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
LAST_DAY = dt.date.max
LAST_MOMENT = dt.datetime.max.replace(tzinfo=dt.UTC)


def build(n_demands: int, seed: int = 7) -> tuple[list[Demand], list[Lot]]:
    """n demands over n/10 lots of n/1000 products: roughly as much supply as demand."""
    rng = random.Random(seed)
    n_lots = max(n_demands // 10, 1)
    n_skus = max(n_demands // 1000, 1)
    skus = [f"SKU-{i:05d}" for i in range(n_skus)]
    lots = []
    for i in range(n_lots):
        expected = rng.random() < 0.3
        lots.append(
            Lot(
                id=f"lot-{i:07d}",
                sku=skus[i % n_skus],
                quantity=Decimal(rng.randint(1, 200)),
                source="purchase" if expected else "on_hand",
                available_on=START + dt.timedelta(days=rng.randint(0, 120)) if expected else None,
                expires_on=START + dt.timedelta(days=rng.randint(200, 900)),
            )
        )
    demands = [
        Demand(
            line_id=f"line-{i:08d}",
            order_id=f"order-{i // 3:08d}",
            sku=skus[rng.randrange(n_skus)],
            quantity=Decimal(rng.randint(1, 20)),
            due_on=START + dt.timedelta(days=rng.randint(0, 180)),
            priority=rng.randint(0, 3),
            placed_at=PLACED + dt.timedelta(minutes=rng.randint(0, 500_000)),
        )
        for i in range(n_demands)
    ]
    return demands, lots


def hand_written(demands: list[Demand], lots: list[Lot]) -> list[tuple[str, str, str, Decimal]]:
    """The baseline: the same plan as ``allocate`` with best_available, by a minimal loop."""
    by_sku: dict[str, list[Lot]] = {}
    for lot in lots:
        if lot.expires_on is None or lot.expires_on >= START:
            by_sku.setdefault(lot.sku, []).append(lot)
    stock: dict[str, tuple[list[str], list[Decimal], list[dt.date | None]]] = {}
    for sku, sku_lots in by_sku.items():
        sku_lots.sort(
            key=lambda lot: (
                lot.source.expected,
                lot.available_on or dt.date.min,
                lot.expires_on or LAST_DAY,
                lot.id,
            )
        )
        stock[sku] = (
            [lot.id for lot in sku_lots],
            [lot.quantity for lot in sku_lots],
            [lot.available_on if lot.source.expected else None for lot in sku_lots],
        )
    ordered = sorted(
        demands,
        key=lambda d: (
            -d.priority,
            d.due_on or LAST_DAY,
            d.placed_at or LAST_MOMENT,
            d.order_id,
            d.line_id,
        ),
    )
    first = dict.fromkeys(stock, 0)  # the lots before it are used up
    fills = []
    for demand in ordered:
        if demand.sku not in stock:
            continue
        ids, left, arrives = stock[demand.sku]
        start = first[demand.sku]
        while start < len(left) and not left[start]:
            start += 1
        first[demand.sku] = start
        need = demand.quantity
        due = demand.due_on
        for index in range(start, len(left)):
            have = left[index]
            day = arrives[index]
            if not have or (day is not None and due is not None and day > due):
                continue
            take = min(have, need)
            left[index] = have - take
            fills.append((demand.line_id, demand.order_id, ids[index], take))
            need -= take
            if not need:
                break
    return fills


Figures = tuple[float, int, Decimal, int]  # seconds, fills, quantity served, peak bytes


def _measure(kind: str, n: int, queue: multiprocessing.Queue[Figures]) -> None:
    demands, lots = build(n)
    started = time.perf_counter()
    if kind == "hand":
        fills = hand_written(demands, lots)
        count = len(fills)
        served = sum((fill[3] for fill in fills), Decimal(0))
    else:
        objective = "max_served" if kind == "optimal" else "greedy"
        plan = allocate(demands, lots, as_of=START, objective=objective)
        count = len(plan.fills)
        served = plan.served
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    queue.put((seconds, count, served, peak))


def measure(kind: str, n: int) -> Figures:
    """Run one measurement in a fresh process and return its figures."""
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[Figures] = context.Queue()
    process = context.Process(target=_measure, args=(kind, n, queue))
    process.start()
    figures = queue.get()
    process.join()
    return figures


def _row(label: str, n: int, figures: Figures) -> str:
    seconds, fills, served, peak = figures
    return (
        f"{label:<12}{n:>10,}  {seconds:8.3f} s  {n / seconds:>12,.0f} demands/s"
        f"  {fills / seconds:>12,.0f} fills/s  peak {peak / 2**20:7.1f} MiB  served {served}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small run, in seconds")
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [10_000, 100_000, 1_000_000]
    optimal_size = 2_000 if args.quick else 10_000
    print(f"python {sys.version.split()[0]}; each row in its own process")
    greedy_seconds = {}
    hand_seconds = {}
    for n in sizes:
        hand = measure("hand", n)
        ours = measure("greedy", n)
        print(_row("hand loop", n, hand))
        print(_row("allocate", n, ours))
        if ours[1:3] != hand[1:3]:
            print("  !! the two plans differ")
        print(f"  ratio allocate / hand loop: {ours[0] / hand[0]:.2f}x (goal: within 1.5x)")
        greedy_seconds[n] = ours[0]
        hand_seconds[n] = hand[0]
    print("growth per 10x demands (n log n: 10 x log(10n) / log(n), about 12x):")
    for small, large in itertools.pairwise(sizes):
        ours_growth = greedy_seconds[large] / greedy_seconds[small]
        hand_growth = hand_seconds[large] / hand_seconds[small]
        print(
            f"  {small:,} -> {large:,}: allocate {ours_growth:.1f}x, hand loop {hand_growth:.1f}x"
        )
    greedy = measure("greedy", optimal_size)
    optimal = measure("optimal", optimal_size)
    print(_row("greedy", optimal_size, greedy))
    print(_row("max_served", optimal_size, optimal))
    print(f"  ratio max_served / greedy: {optimal[0] / greedy[0]:.2f}x")


if __name__ == "__main__":
    main()
