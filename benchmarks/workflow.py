"""Benchmark: pure status moves through the workflow engine, against a dict-table loop.

Every order takes the same six moves through the standard preset, each a pure call of the
engine that returns the moved order (``attrs.evolve``) and its ``HistoryEntry``:

1. draft -> confirmed, by hand (``Workflow.transition``);
2. confirmed -> draft, by hand (reopened: its guard checks nothing has shipped);
3. draft -> confirmed, by hand;
4. confirmed -> partially_shipped, by the rules (``Workflow.settle``, shipping started);
5. partially_shipped -> shipped, by the rules (everything shipped);
6. shipped -> completed, by hand (its guard checks everything shipped, no exception).

The baseline, measured in the same run over the same orders, is the dict-table floor: a
hand-written loop that looks each move up in a ``dict[(source, target)] -> bool`` of the
preset's moves, builds a small tuple history entry and a new small record (a copy of a dict
with its new status) per move. Both sides get their input built before the clock starts,
and frozen out of the garbage collector's sight (``gc.freeze``); each is timed as the best
of three runs. The histories of both are compared move by move, so each does the work it
claims.

    python benchmarks/workflow.py             # 100,000 orders x 6 moves
    python benchmarks/workflow.py --quick     # 5,000 orders
    python benchmarks/workflow.py --profile   # and the engine's side under cProfile
                                              # (its first 20,000 orders)
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import pstats
import time
from collections.abc import Callable

from orderbook.model import Order
from orderbook.workflow import Fulfilment, HistoryEntry, OrderFacts, Workflow, presets

GOAL, LEAST = 22.0, 50.0  # the engine's time per move, ratio to the dict-table floor
AT = dt.datetime(2027, 6, 1, 9, 0, tzinfo=dt.UTC)
BY = "ana"
REPEAT = 3
PROFILED = 20_000  # orders run under the profiler

NOTHING_SHIPPED = OrderFacts()
PART_SHIPPED = OrderFacts(fulfilment=Fulfilment.PARTIAL)
ALL_SHIPPED = OrderFacts(fulfilment=Fulfilment.COMPLETE)

# (target, facts, by hand): the six moves of every order; None is a move by the rules.
PATH: tuple[tuple[str, OrderFacts, bool], ...] = (
    ("confirmed", NOTHING_SHIPPED, True),
    ("draft", NOTHING_SHIPPED, True),
    ("confirmed", NOTHING_SHIPPED, True),
    ("partially_shipped", PART_SHIPPED, False),
    ("shipped", ALL_SHIPPED, False),
    ("completed", ALL_SHIPPED, True),
)

Move = tuple[str, str, str]  # order id, source, target


def _orders(count: int) -> list[Order]:
    return [
        Order(id=f"o{n:07d}", customer_id="acme", currency="EUR", status="draft")
        for n in range(count)
    ]


def engine(wf: Workflow, orders: list[Order]) -> list[HistoryEntry]:
    """Every order through the six moves by the engine; the history of all of them."""
    history: list[HistoryEntry] = []
    append = history.append
    transition = wf.transition
    settle = wf.settle
    for order in orders:
        for target, facts, by_hand in PATH:
            if by_hand:
                order, entry = transition(order, target, facts=facts, at=AT, by=BY)
                append(entry)
            else:
                order, entries = settle(order, facts=facts, at=AT)
                history.extend(entries)
        assert order.status == "completed", "every order ends completed"
    return history


def allowed_moves(wf: Workflow) -> dict[tuple[str, str], bool]:
    """The floor's table: every move the preset knows, by hand or by its rules."""
    table: dict[tuple[str, str], bool] = {}
    for transition in wf.transitions:
        for source in transition.source:
            table[source, transition.target] = True
    for rule in wf.rules:
        for source in rule.source:
            table[source, rule.target] = True
    return table


def floor(
    table: dict[tuple[str, str], bool], records: list[dict[str, str]]
) -> list[tuple[str, str, str, dt.datetime, str | None, bool]]:
    """The dict-table floor: look the move up, build a tuple entry and a new record."""
    history: list[tuple[str, str, str, dt.datetime, str | None, bool]] = []
    append = history.append
    moves = [(target, by_hand) for target, _, by_hand in PATH]
    for record in records:
        for target, by_hand in moves:
            source = record["status"]
            if not table.get((source, target), False):
                raise RuntimeError(f"{record['id']}: no move from {source} to {target}")
            append((record["id"], source, target, AT, BY if by_hand else None, not by_hand))
            record = {**record, "status": target}
        assert record["status"] == "completed", "every order ends completed"
    return history


def _best(run: Callable[[], object]) -> tuple[float, object]:
    """The best time of REPEAT runs, and the result of the last."""
    best = float("inf")
    result: object = None
    for _ in range(REPEAT):
        result = None
        gc.collect()
        began = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - began)
    return best, result


def _moves_of(history: object) -> list[Move]:
    assert isinstance(history, list)
    moves: list[Move] = []
    for entry in history:
        if isinstance(entry, HistoryEntry):
            moves.append((entry.order_id, entry.source, entry.target))
        else:
            moves.append((entry[0], entry[1], entry[2]))
    return moves


def _profile(wf: Workflow, orders: list[Order], top: int = 15) -> None:
    """Run the engine's side once under cProfile; print the top functions by own time.

    Over the first PROFILED orders at most: the profile's shape does not change with size.
    """
    orders = orders[:PROFILED]
    profiler = cProfile.Profile()
    profiler.enable()
    engine(wf, orders)
    profiler.disable()
    print(f"profile of the engine's side ({len(orders):,} orders), top {top} by tottime:")
    pstats.Stats(profiler).strip_dirs().sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 orders, for a smoke test")
    parser.add_argument(
        "--profile", action="store_true", help="profile the engine's side once (cProfile)"
    )
    args = parser.parse_args()
    count = 5_000 if args.quick else 100_000
    wf = presets.standard()
    orders = _orders(count)
    records = [
        {"id": o.id, "customer_id": o.customer_id, "currency": o.currency, "status": o.status}
        for o in orders
    ]
    table = allowed_moves(wf)
    gc.freeze()  # the prepared input is neither side's garbage
    moves = count * len(PATH)
    floor_seconds, floor_history = _best(lambda: floor(table, records))
    engine_seconds, engine_history = _best(lambda: engine(wf, orders))
    if _moves_of(engine_history) != _moves_of(floor_history):
        raise SystemExit("the engine and the dict-table floor made different moves: aborted")
    ratio = engine_seconds / floor_seconds
    print(f"status moves: {count:,} orders x {len(PATH)} moves through the standard preset")
    print(f"(best of {REPEAT} runs each; the histories of both agree move by move)")
    print(f"  {'':<18}{'seconds':>9}{'moves/s':>13}{'us/move':>10}")
    for label, seconds in (("engine", engine_seconds), ("dict-table floor", floor_seconds)):
        print(
            f"  {label:<18}{seconds:>9.3f}{moves / seconds:>13,.0f}{seconds / moves * 1e6:>10.2f}"
        )
    print(f"  ratio engine / floor: {ratio:.1f}x")
    print()
    print("goals (a ratio of times: smaller is better):")
    print(
        f"  goal <= {GOAL:g}x: {'met' if ratio <= GOAL else 'NOT met'};"
        f" at least <= {LEAST:g}x: {'met' if ratio <= LEAST else 'NOT met'}"
    )
    if args.profile:
        print()
        _profile(wf, orders)


if __name__ == "__main__":
    main()
