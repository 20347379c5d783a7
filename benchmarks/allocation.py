"""Benchmark: greedy allocation against a hand-written loop, its growth, and optimal mode.

Every measurement runs in a fresh process (multiprocessing, "spawn"), which builds its own
data from a fixed seed, times the allocation only, and reports its own peak memory
(``ru_maxrss``). The hand-written loop is the baseline: a dict of product to its lots in
order, each demand taking from them in turn, over the same data and in the same run.

Last, allocate against the int-loop floor, on data of its own (N demands, N/10 lots all on
hand, 100 SKUs, seeded): a hand-written greedy over plain ints in the same serving order and
lot ranking as ``best_available``. Both plans must give the same allocation checksum, the
sum over fills of (demand index * 1,000,003 + lot index) * quantity, or the run aborts.

    python benchmarks/allocation.py             # 10k, 100k and 1M demands (a few minutes)
    python benchmarks/allocation.py --quick     # 1k and 10k demands, optimal at 2k, int 20k
    python benchmarks/allocation.py --int-only  # only the int-loop floor (1M; 20k --quick)
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import multiprocessing
import random
import resource
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from orderbook import Lot
from orderbook.allocation import Demand, allocate

START = dt.date(2027, 1, 1)
PLACED = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
T = TypeVar("T")  # the figures a measurement puts on its queue
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


# -- the int-loop floor: the same plan by a greedy over plain ints ---------------------------

INT_SKUS = 100
CHECKSUM_BASE = 1_000_003
GOAL_INT, LEAST_INT = 2.0, 2.5  # allocate's time, ratio to the int loop's, at 1M demands


class IntData:
    """N demands over N/10 lots of 100 products, as plain ints, from a fixed seed.

    Every lot is on hand and never expires, so ``best_available`` ranks a product's lots by
    their id alone, which is their index. Demands are served by priority (highest first),
    due day, minute placed, then index (order and line ids follow the index).
    """

    def __init__(self, n_demands: int, seed: int = 11) -> None:
        rng = random.Random(seed)
        n_lots = max(n_demands // 10, 1)
        self.lot_sku = [i % INT_SKUS for i in range(n_lots)]
        self.lot_quantity = [rng.randint(1, 200) for _ in range(n_lots)]
        self.sku = [rng.randrange(INT_SKUS) for _ in range(n_demands)]
        self.quantity = [rng.randint(1, 20) for _ in range(n_demands)]
        self.priority = [rng.randint(0, 3) for _ in range(n_demands)]
        self.due_day = [rng.randint(0, 180) for _ in range(n_demands)]
        self.placed_minute = [rng.randint(0, 500_000) for _ in range(n_demands)]

    def line_ids(self, index: int) -> tuple[str, str]:
        """The (order_id, line_id) of demand ``index``."""
        return f"order-{index // 3:08d}", f"line-{index:08d}"

    @staticmethod
    def lot_id(index: int) -> str:
        """The id of lot ``index``."""
        return f"lot-{index:07d}"

    def objects(self) -> tuple[list[Demand], list[Lot]]:
        """The same data as orderbook's Demands and Lots."""
        lots = [
            Lot(id=self.lot_id(i), sku=f"SKU-{sku:03d}", quantity=Decimal(quantity))
            for i, (sku, quantity) in enumerate(zip(self.lot_sku, self.lot_quantity, strict=True))
        ]
        demands = []
        for i in range(len(self.sku)):
            order_id, line_id = self.line_ids(i)
            demands.append(
                Demand(
                    line_id=line_id,
                    order_id=order_id,
                    sku=f"SKU-{self.sku[i]:03d}",
                    quantity=Decimal(self.quantity[i]),
                    due_on=START + dt.timedelta(days=self.due_day[i]),
                    priority=self.priority[i],
                    placed_at=PLACED + dt.timedelta(minutes=self.placed_minute[i]),
                )
            )
        return demands, lots


def int_loop(data: IntData) -> list[tuple[int, int, int]]:
    """The floor: serve the demands in order from their product's lots, over plain ints.

    Returns the fills as (demand index, lot index, quantity).
    """
    n = len(data.sku)
    bits = max(n - 1, 1).bit_length()
    mask = (1 << bits) - 1
    keys = [
        ((((3 - p) << 8 | d) << 19 | m) << bits) | i
        for i, (p, d, m) in enumerate(
            zip(data.priority, data.due_day, data.placed_minute, strict=True)
        )
    ]
    keys.sort()
    lots: list[list[int]] = [[] for _ in range(INT_SKUS)]
    for index, sku in enumerate(data.lot_sku):
        lots[sku].append(index)
    left = list(data.lot_quantity)
    first = [0] * INT_SKUS  # the lots of a product before it are used up
    sku_of, quantity_of = data.sku, data.quantity
    fills: list[tuple[int, int, int]] = []
    append = fills.append
    for key in keys:
        demand = key & mask
        sku = sku_of[demand]
        ranked = lots[sku]
        start = first[sku]
        count = len(ranked)
        while start < count and not left[ranked[start]]:
            start += 1
        first[sku] = start
        need = quantity_of[demand]
        for position in range(start, count):
            lot = ranked[position]
            have = left[lot]
            if have >= need:
                left[lot] = have - need
                append((demand, lot, need))
                break
            if have:
                left[lot] = 0
                append((demand, lot, have))
                need -= have
    return fills


def checksum(fills: list[tuple[str, str, str, int]], data: IntData) -> tuple[int, int]:
    """The fills' count, and the sum of (demand index * 1,000,003 + lot index) * quantity,
    from (order_id, line_id, lot_id, quantity) mapped back to indices."""
    demand_index = {data.line_ids(i): i for i in range(len(data.sku))}
    lot_index = {data.lot_id(i): i for i in range(len(data.lot_sku))}
    total = 0
    for order_id, line_id, lot_id, quantity in fills:
        total += (demand_index[order_id, line_id] * CHECKSUM_BASE + lot_index[lot_id]) * quantity
    return len(fills), total


IntFigures = tuple[float, int, int, int]  # seconds, fills, checksum, peak bytes


def _measure_int(kind: str, n: int, queue: multiprocessing.Queue[IntFigures]) -> None:
    data = IntData(n)
    if kind == "int":
        gc.freeze()
        started = time.perf_counter()
        int_fills = int_loop(data)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # before the checksum
        fills = [
            (*data.line_ids(demand), data.lot_id(lot), quantity)
            for demand, lot, quantity in int_fills
        ]
    else:
        demands, lots = data.objects()
        gc.freeze()
        started = time.perf_counter()
        plan = allocate(demands, lots, as_of=START)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        fills = []
        for fill in plan.fills:
            assert fill.quantity == fill.quantity.to_integral_value(), "whole quantities"
            fills.append((fill.order_id, fill.line_id, fill.lot_id, int(fill.quantity)))
    count, total = checksum(fills, data)
    queue.put((seconds, count, total, peak))


def measure_int(kind: str, n: int) -> IntFigures:
    """Run one int-section measurement (``"int"`` or ``"allocate"``) in a fresh process."""
    return in_fresh_process(_measure_int, kind, n)


def int_section(n: int) -> None:
    """Print allocate against the int loop over the same data; abort if the plans differ."""
    print(f"int-loop floor: {n:,} demands, {max(n // 10, 1):,} lots on hand, {INT_SKUS} SKUs")
    floor = measure_int("int", n)
    ours = measure_int("allocate", n)
    for label, (seconds, fills, _, peak) in (("int loop", floor), ("allocate", ours)):
        print(
            f"{label:<12}{n:>10,}  {seconds:8.3f} s  {n / seconds:>12,.0f} demands/s"
            f"  {fills / seconds:>12,.0f} fills/s  peak {peak / 2**20:7.1f} MiB"
        )
    if ours[1:3] != floor[1:3]:
        raise SystemExit(
            f"the allocation checksums differ: allocate made {ours[1]:,} fills (checksum"
            f" {ours[2]}), the int loop {floor[1]:,} (checksum {floor[2]}): aborted"
        )
    ratio = ours[0] / floor[0]
    print(f"  same plan: {ours[1]:,} fills, allocation checksum {ours[2]}")
    print(
        f"  ratio allocate / int loop: {ratio:.2f}x (goal <= {GOAL_INT:g}x:"
        f" {'met' if ratio <= GOAL_INT else 'NOT met'}; at least <= {LEAST_INT:g}x:"
        f" {'met' if ratio <= LEAST_INT else 'NOT met'})"
    )


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
    return in_fresh_process(_measure, kind, n)


def in_fresh_process(
    target: Callable[[str, int, multiprocessing.Queue[T]], None], kind: str, n: int
) -> T:
    """Run ``target(kind, n, queue)`` in a spawned process, so its peak memory is its own,
    and return what it put on the queue."""
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[T] = context.Queue()
    process = context.Process(target=target, args=(kind, n, queue))
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
    parser.add_argument(
        "--int-only", action="store_true", help="only allocate against the int-loop floor"
    )
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [10_000, 100_000, 1_000_000]
    optimal_size = 2_000 if args.quick else 10_000
    print(f"python {sys.version.split()[0]}; each row in its own process")
    if args.int_only:
        int_section(20_000 if args.quick else 1_000_000)
        return
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
    int_section(20_000 if args.quick else 1_000_000)


if __name__ == "__main__":
    main()
