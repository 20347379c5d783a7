"""The ``max_served`` objective: serve the most in total, then prefer higher priorities.

Serving demands one by one in priority order can leave demand unserved that another
assignment would meet: lots arrive on different dates and demands fall due on different
dates, so a lot taken by an early demand may be the only one a later demand can use in time.
This mode treats the allocation of each product as a transportation problem and solves it as
a flow, in three steps:

1. start from the greedy plan, a valid flow;
2. for each short demand, in service order, push more through augmenting paths: the demand
   takes a lot, the demand that held it moves to another lot, and so on, until a lot with
   something left ends the path. No demand along the path loses any quantity, so the total
   only grows and every demand gets at least what greedy gave it;
3. rebalance by priority: for each short demand, in service order, take quantity from a
   demand served after it, reached by such a chain of moves. A demand greedy served in
   full is never taken from. This is a minimum-cost flow whose costs are the service ranks.

After step 2 no augmenting path is left, so the total is the maximum (a max-flow); after
step 3 each demand holds as much as it can without taking from one served before it, so
among the plans that serve the most, higher priorities come first.
"""

from __future__ import annotations

from collections import deque
from decimal import Decimal

from orderbook.allocation._prepare import Group, Prepared
from orderbook.allocation.plan import Fill, LineKey, new_fill
from orderbook.allocation.policies import Policy

__all__ = ["improve"]

_ZERO = Decimal(0)


class _Network:
    """The flow of one product: demands (by service rank) x usable lots (by policy rank)."""

    def __init__(self, group: Group, ranks: list[int], prepared: Prepared, policy: Policy):
        self.group = group
        self.ranks = ranks
        self.position = {lot_id: j for j, lot_id in enumerate(group.ids)}
        demands = prepared.demands
        self.need = {r: demands[r].quantity for r in ranks}
        self.flow: dict[int, dict[int, Decimal]] = {r: {} for r in ranks}  # demand -> lot
        self.held: list[dict[int, Decimal]] = [{} for _ in group.ids]  # lot -> demand
        self.total = dict.fromkeys(ranks, _ZERO)
        self.dead_lots: set[int] = set()
        self.dead_demands: set[int] = set()
        self.adjacent: dict[int, list[int]] = {}
        accept = policy.accept
        for r in ranks:
            demand = demands[r]
            due = demand.due_on
            self.adjacent[r] = [
                j
                for j, day in enumerate(group.arrive)
                if (day is None or due is None or day <= due)
                and (accept is None or accept(group.lots[j], demand))
            ]

    def add(self, r: int, j: int, quantity: Decimal) -> None:
        new = self.flow[r].get(j, _ZERO) + quantity
        if new:
            self.flow[r][j] = new
            self.held[j][r] = new
        else:
            del self.flow[r][j]
            del self.held[j][r]
        self.total[r] += quantity

    def search(self, source: int, floor: dict[int, Decimal] | None) -> list[int] | None:
        """The shortest path from ``source``: demand, lot, demand, ..., or None.

        Without ``floor`` the path ends at a lot with something left; with it, at a demand
        served after ``source`` that holds more than its floor. A search that fails marks
        all it visited as dead: pushing flow elsewhere never lets them reach an end again.
        """
        if source in self.dead_demands:
            return None
        parent_of_lot: dict[int, int] = {}
        parent_of_demand: dict[int, int] = {source: -1}
        queue = deque([source])
        rem = self.group.rem
        dead_lots = self.dead_lots
        dead_demands = self.dead_demands
        while queue:
            r = queue.popleft()
            for j in self.adjacent[r]:
                if j in parent_of_lot or j in dead_lots:
                    continue
                parent_of_lot[j] = r
                if floor is None and rem[j] > 0:
                    return self._path(j, parent_of_lot, parent_of_demand)
                for other in sorted(self.held[j]):
                    if other in parent_of_demand or other in dead_demands:
                        continue
                    parent_of_demand[other] = j
                    if floor is not None and other > source and self.total[other] > floor[other]:
                        return [other, *self._path(j, parent_of_lot, parent_of_demand)]
                    queue.append(other)
        dead_lots.update(parent_of_lot)
        dead_demands.update(parent_of_demand)
        return None

    @staticmethod
    def _path(
        j: int, parent_of_lot: dict[int, int], parent_of_demand: dict[int, int]
    ) -> list[int]:
        path = [j]
        while True:
            r = parent_of_lot[j]
            path.append(r)
            j = parent_of_demand[r]
            if j < 0:
                return path
            path.append(j)

    def push(self, path: list[int], floor: dict[int, Decimal] | None) -> None:
        """Move as much as the path allows.

        The chain runs lot, demand, lot, demand, ..., source: each demand takes the lot
        before it and gives up the lot after it. With ``floor`` the path starts with the
        demand that gives up the chain's first lot.
        """
        chain = path if floor is None else path[1:]
        source = chain[-1]
        amount = self.need[source] - self.total[source]
        first = chain[0]
        if floor is None:
            amount = min(amount, self.group.rem[first])
        else:
            target = path[0]
            amount = min(amount, self.total[target] - floor[target], self.flow[target][first])
        for k in range(1, len(chain) - 1, 2):
            amount = min(amount, self.flow[chain[k]][chain[k + 1]])
        for k in range(1, len(chain), 2):
            self.add(chain[k], chain[k - 1], amount)
            if k + 1 < len(chain):
                self.add(chain[k], chain[k + 1], -amount)
        if floor is None:
            self.group.rem[first] -= amount
        else:
            self.add(path[0], first, -amount)


def improve(
    prepared: Prepared, policy: Policy, fills: list[Fill]
) -> tuple[list[Fill], dict[LineKey, Decimal]]:
    """Turn a greedy plan into one that serves the most, preferring higher priorities."""
    demands = prepared.demands
    rank = {demand.key: r for r, demand in enumerate(demands)}
    by_sku: dict[str, list[int]] = {}
    for r, demand in enumerate(demands):
        by_sku.setdefault(demand.sku, []).append(r)
    networks: dict[str, _Network] = {}
    for sku, ranks in by_sku.items():
        group = prepared.groups.get(sku)
        if group is not None:
            networks[sku] = _Network(group, ranks, prepared, policy)
    for fill in fills:
        network = networks[fill.sku]
        network.add(
            rank[fill.order_id, fill.line_id], network.position[fill.lot_id], fill.quantity
        )
    for each in networks.values():
        _solve(each)
    new_fills: list[Fill] = []
    allocated: dict[LineKey, Decimal] = {}
    for r, demand in enumerate(demands):
        found = networks.get(demand.sku)
        if found is None:
            allocated[demand.key] = _ZERO
            continue
        allocated[demand.key] = found.total[r]
        for j in sorted(found.flow[r]):
            lot_id = found.group.ids[j]
            quantity = found.flow[r][j]
            new_fills.append(
                new_fill(demand.line_id, demand.order_id, lot_id, demand.sku, quantity, False)
            )
    return new_fills, allocated


def _solve(network: _Network) -> None:
    short = [r for r in network.ranks if network.total[r] < network.need[r]]
    if not short:
        return
    floor = {
        r: network.need[r] if network.total[r] == network.need[r] else _ZERO for r in network.ranks
    }
    for r in short:  # step 2: augmenting paths to lots with something left
        while network.total[r] < network.need[r]:
            path = network.search(r, None)
            if path is None:
                break
            network.push(path, None)
    network.dead_lots.clear()
    network.dead_demands.clear()
    for r in short:  # step 3: take from lower priorities, never from a greedy-full demand
        while network.total[r] < network.need[r]:
            path = network.search(r, floor)
            if path is None:
                break
            network.push(path, floor)
