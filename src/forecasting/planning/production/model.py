"""The lot-sizing instance as arrays: data, cost of a plan, feasibility and independent parts.

:class:`LotSizing` holds the data of the production model of :mod:`.production` (SKU s, arc
a = SKU × line it may run on, line l, week t) once, so that every solver (:mod:`.production_fl`,
:mod:`.production_repair`) and every check reads the same numbers. Units: packs are case packs,
hours are line hours, costs are base currency.

The cost of an integer plan n[a, t] (case packs) is the model's objective with finished goods
I and backlog B from the cumulative balance (Pochet & Wolsey 2006, model WW-CC-B)::

    net[s, t]  = Σ_{t' ≤ t} (made − due)           I = max(net, 0),  B = max(−net, 0)
    cost       = Σ h_s I + Σ (w_s + P_s [t = T−1]) B + Σ o_l O[l, t] + ε_unit·units + ε_setup·set-ups
    O[l, t]    = clip(hours − H, 0, V)

and, for the ``units`` objective, U per late unit on top. Late units are counted as the reports
count them (as many units on time as the production allows, :meth:`LotSizing.late_units`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

#: default budget of one plan (seconds; ``produce --time-limit``, notebook 04's ``time_limit``)
DEFAULT_TIME_LIMIT = 30.0
#: ε cost per unit made and per set-up, so that equal-cost plans are broken the same way
EPSILON_UNIT, EPSILON_SETUP = 1e-4, 1e-2
#: backlog left after the last week (never made in the horizon) costs this × T × late cost more
SHORT_FACTOR = 4.0
TOLERANCE_HOURS = 1e-6


@dataclass(frozen=True)
class LotSizing:
    """A lot-sizing instance (arrays; see the module docstring for the model).

    Attributes
    ----------
    demand : ndarray (S, T)
        Units due per SKU and week.
    arc_sku, arc_line : ndarray (A,) of int
        SKU and line of every arc (a SKU on a line it may run on).
    case_pack : ndarray (S,)
        Units per case pack.
    hours_per_pack : ndarray (A,)
        Line hours per case pack (case_pack / units_per_hour).
    min_packs : ndarray (A,)
        Minimum batch in packs (capped at a week of the line).
    max_packs : ndarray (A, T)
        Most packs a batch may have (what fits the week after one changeover, or what the SKU
        needs in the horizon); 0 where the SKU cannot run a minimum batch.
    hours : ndarray (L, T)
        Regular hours H; ``overtime_cap`` V (L, T) the most overtime hours.
    changeover : ndarray (L,)
        Hours per SKU set up on the line in a week.
    overtime_cost : ndarray (L,)
        Base currency per overtime hour.
    holding, late : ndarray (S,)
        Base currency per unit-week in stock / per unit-week late.
    late_unit : float
        Extra cost per late unit (0 for the ``cost`` objective, large for ``units``).
    """

    demand: np.ndarray
    arc_sku: np.ndarray
    arc_line: np.ndarray
    case_pack: np.ndarray
    hours_per_pack: np.ndarray
    min_packs: np.ndarray
    max_packs: np.ndarray
    hours: np.ndarray
    overtime_cap: np.ndarray
    changeover: np.ndarray
    overtime_cost: np.ndarray
    holding: np.ndarray
    late: np.ndarray
    late_unit: float = 0.0

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """(S, A, L, T): SKUs, arcs, lines, weeks."""
        return len(self.case_pack), len(self.arc_sku), len(self.changeover), self.demand.shape[1]

    @property
    def short_penalty(self) -> np.ndarray:
        """Extra cost per unit still in backlog after the last week (S,)."""
        return SHORT_FACTOR * self.demand.shape[1] * self.late

    def line_hours(self, packs: np.ndarray) -> np.ndarray:
        """Hours used per line-week (L, T): packs × hours per pack + changeover per set-up."""
        S, A, L, T = self.shape
        per_arc = (
            packs * self.hours_per_pack[:, None]
            + (packs > 0) * self.changeover[self.arc_line][:, None]
        )
        out = np.zeros((L, T))
        np.add.at(out, self.arc_line, per_arc)
        return out

    def made(self, packs: np.ndarray) -> np.ndarray:
        """Units made per SKU and week (S, T)."""
        S, A, L, T = self.shape
        out = np.zeros((S, T))
        np.add.at(out, self.arc_sku, packs * self.case_pack[self.arc_sku, None])
        return out

    def late_units(self, packs: np.ndarray) -> float:
        """Units made after their due week or never, with as many on time as the production
        allows (the reports' count, :func:`.production_tables.allocate_requirements`): due
        weeks in order, each takes what was made by then and not yet taken."""
        cum_made = self.made(packs).cumsum(axis=1)
        taken = np.zeros(len(self.case_pack))
        for t in range(self.demand.shape[1]):
            taken += np.minimum(self.demand[:, t], np.maximum(cum_made[:, t] - taken, 0))
        return float(self.demand.sum() - taken.sum())

    def cost(self, packs: np.ndarray, *, objective: bool = True) -> float:
        """Cost of an integer plan (base currency); ``objective`` adds U × late units."""
        net = self.made(packs).cumsum(axis=1) - self.demand.cumsum(axis=1)
        T = self.demand.shape[1]
        backlog_cost = (
            self.late[:, None]
            + np.where(np.arange(T) == T - 1, 1.0, 0.0)[None, :] * (self.short_penalty[:, None])
        )
        over = np.clip(self.line_hours(packs) - self.hours, 0, self.overtime_cap)
        value = (
            float((self.holding[:, None] * np.maximum(net, 0)).sum())
            + float((backlog_cost * np.maximum(-net, 0)).sum())
            + float((self.overtime_cost[:, None] * over).sum())
            + EPSILON_UNIT * float((packs * self.case_pack[self.arc_sku, None]).sum())
            + EPSILON_SETUP * float((packs > 0).sum())
        )
        if objective and self.late_unit:
            value += self.late_unit * self.late_units(packs)
        return value

    def violations(self, packs: np.ndarray) -> list[str]:
        """Broken rules of a plan (empty when it is feasible): capacity + overtime cap, set-up
        bound n ≤ M, minimum batch, whole packs, arcs that cannot run."""
        out = []
        if (packs < 0).any() or not np.array_equal(packs, np.round(packs)):
            out.append("packs must be whole and ≥ 0")
        if (packs > self.max_packs + 1e-9).any():
            out.append(f"set-up bound n ≤ M broken in {int((packs > self.max_packs).sum())} cells")
        small = (packs > 0) & (packs < self.min_packs[:, None] - 1e-9)
        if small.any():
            out.append(f"minimum batch broken in {int(small.sum())} cells")
        over = self.line_hours(packs) > self.hours + self.overtime_cap + TOLERANCE_HOURS
        if over.any():
            out.append(f"capacity + overtime cap broken in {int(over.sum())} line-weeks")
        return out

    def part(self, skus: np.ndarray, lines: np.ndarray) -> tuple[LotSizing, np.ndarray]:
        """The sub-instance of some SKUs and lines (every arc between them); returns it and the
        indices of its arcs in this instance."""
        arcs = np.flatnonzero(np.isin(self.arc_sku, skus) & np.isin(self.arc_line, lines))
        s_pos = np.full(len(self.case_pack), -1)
        s_pos[skus] = np.arange(len(skus))
        l_pos = np.full(len(self.changeover), -1)
        l_pos[lines] = np.arange(len(lines))
        sub = replace(
            self,
            demand=self.demand[skus],
            arc_sku=s_pos[self.arc_sku[arcs]],
            arc_line=l_pos[self.arc_line[arcs]],
            case_pack=self.case_pack[skus],
            hours_per_pack=self.hours_per_pack[arcs],
            min_packs=self.min_packs[arcs],
            max_packs=self.max_packs[arcs],
            hours=self.hours[lines],
            overtime_cap=self.overtime_cap[lines],
            changeover=self.changeover[lines],
            overtime_cost=self.overtime_cost[lines],
            holding=self.holding[skus],
            late=self.late[skus],
        )
        return sub, arcs


def components(inst: LotSizing) -> list[tuple[np.ndarray, np.ndarray]]:
    """Independent parts of an instance: connected components of the SKU–line graph.

    Two lines are in one part when a SKU may run on both; a SKU belongs to the part of its
    lines. Returns (SKU indices, line indices) per part, sorted by their first line (lines that
    no SKU uses are left out: nothing to plan there).
    """
    S, A, L, T = inst.shape
    parent = list(range(L))

    def root(j: int) -> int:
        while parent[j] != j:
            parent[j] = parent[parent[j]]
            j = parent[j]
        return j

    first_line = np.full(S, -1)
    for s, j in zip(inst.arc_sku, inst.arc_line, strict=True):
        if first_line[s] < 0:
            first_line[s] = j
        else:
            a, b = root(int(first_line[s])), root(int(j))
            parent[max(a, b)] = min(a, b)
    used = sorted({root(int(j)) for j in inst.arc_line})
    out = []
    for r in used:
        lines = np.array([j for j in range(L) if root(j) == r and (inst.arc_line == j).any()])
        skus = np.array(
            [s for s in range(S) if first_line[s] >= 0 and root(int(first_line[s])) == r]
        )
        out.append((skus, lines))
    return out
