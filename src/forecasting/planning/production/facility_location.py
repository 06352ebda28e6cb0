"""Facility-location (time-indexed) reformulation of the lot-sizing model, solved with HiGHS.

The aggregated model of :mod:`.production` links batches to demand only through stock and
backlog, so its LP relaxation charges a set-up as n / M and is weak (on the sample it sits
23 % below the optimum). Here the units made on arc a (SKU × line) in week t *for the
requirement j = (s, τ)* are a variable x[a, t, j] (Krarup & Bilde 1977; Pochet & Wolsey 2006,
§4.2 and §12.4), with the tight link x ≤ min(d_j, c_s·M[a, t])·y[a, t]::

    demand      Σ_{a of s, t} x[a, t, j] + u_j = d_j                       (u: never made)
    production  c_s n[a, t] − Σ_j x[a, t, j] − e[a, t] = 0                   (e: surplus)
    capacity    Σ_a (c_s / r_s) n[a, t] + k_l y[a, t] − O[l, t] ≤ H[l, t],  0 ≤ O ≤ V
    batch       m_a y ≤ n ≤ M[a, t] y,     x[a, t, j] ≤ min(d_j, c_s M[a, t]) y[a, t]
    cost of x   h_s (τ − t) if t ≤ τ, else w_s (t − τ) + U;   u_j: w_s (T − τ) + P_s + U;
                e[a, t]: h_s (T − t);  n: ε c_s;  y: ε_setup;  O: o_l

For an integer plan the cheapest assignment is first due, first served, whose cost is exactly
the aggregated objective (:meth:`.LotSizing.cost`); any other assignment costs at least as much
(stock and backlog at once). So the optimum is the same and the LP relaxation of this model is a
valid lower bound of every plan's cost, far tighter than the aggregated one. With U > 0 (late
units first) the model counts a unit late only if it is; the reports' first-due count is never
lower, so the bound stays valid.

Solved with HiGHS through ``highspy`` (one model object per part, modified in place so that LP
re-solves start from the last basis). Deterministic: one thread, a fixed ``random_seed``,
presolve on; a run is repeatable as long as no wall-clock cap stops a solve (node limits and
the dive's rounds are work limits that do not depend on the machine), see :func:`solve_part`.
"""

from __future__ import annotations

import time

import highspy
import numpy as np
from highspy import _core
from scipy import sparse

from forecasting.planning.production.model import EPSILON_SETUP, EPSILON_UNIT, LotSizing

INF = highspy.kHighsInf
#: share of the fractional set-ups fixed at each end in every round of the LP dive
DIVE_SHARE = 0.05
#: most LP rounds of the dive (each fixes ≥ 2 set-ups); the rest is rounded at 0.5
DIVE_ROUNDS = 80


def _assignments(inst: LotSizing, d_sku: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The x columns (arc a, week t, requirement j): every requirement × every arc of its SKU ×
    every week the arc can run (M[a, t] > 0), in requirement order."""
    runs = inst.max_packs > 0  # (A, T)
    arcs_of = [np.flatnonzero(inst.arc_sku == s) for s in range(inst.shape[0])]
    xa, xt, xj = [], [], []
    for j in range(len(d_sku)):
        for a in arcs_of[d_sku[j]]:
            weeks = np.flatnonzero(runs[a])
            xa.append(np.full(len(weeks), a))
            xt.append(weeks)
            xj.append(np.full(len(weeks), j))
    cat = np.concatenate if xa else (lambda _: np.zeros(0, int))
    return cat(xa), cat(xt), cat(xj)


def _highs_model(
    cost: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    mat: sparse.csc_array,
    row_lo: np.ndarray,
    row_hi: np.ndarray,
    seed: int,
) -> _core._Highs:
    """A quiet, single-threaded, seeded HiGHS object holding the LP (presolve on)."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(row_lo)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, lower, upper
    lp.row_lower_, lp.row_upper_ = row_lo, row_hi
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = mat.indptr.astype(np.int32)
    lp.a_matrix_.index_ = mat.indices.astype(np.int32)
    lp.a_matrix_.value_ = mat.data
    # the bare solver object: highspy.Highs() prints a banner on stdout (its callbacks)
    h = _core._Highs()
    for name, value in (("output_flag", False), ("threads", 1), ("random_seed", int(seed)),
                        ("presolve", "on"), ("mip_rel_gap", 1e-4)):  # fmt: skip
        h.setOptionValue(name, value)
    h.passModel(lp)
    return h


class FacilityLocationModel:
    """The facility-location model of one instance (usually one independent part), in HiGHS.

    Parameters
    ----------
    inst : LotSizing
        The instance.
    seed : int
        HiGHS ``random_seed``.
    tie_break : bool
        Charge the ε costs per unit and per set-up (False: the objective is exactly the
        instance's costs, e.g. late units only for :func:`.production_search.forced_late_units`).
    """

    def __init__(self, inst: LotSizing, seed: int = 0, tie_break: bool = True) -> None:
        self.inst = inst
        S, A, L, T = inst.shape
        self.A, self.T = A, T
        d_s, d_t = np.nonzero(inst.demand > 0)
        #: the requirements j: SKU, due week and units (row-major: per SKU in due order)
        self.d_sku, self.d_week, self.d_units = d_s, d_t, inst.demand[d_s, d_t]
        self.xa, self.xt, self.xj = _assignments(inst, d_s)
        K, J = len(self.xa), len(d_s)
        # column blocks: n (A·T), y (A·T), x (K), u (J), e (A·T), O (L·T)
        self.o_n, self.o_y, self.o_x = 0, A * T, 2 * A * T
        self.o_u = self.o_x + K
        self.o_e = self.o_u + J
        self.o_o = self.o_e + A * T
        self.n_col = self.o_o + L * T
        self.cost = self._column_costs(tie_break)
        #: most units of requirement j made on arc a in week t: min(d_j, c_s·M[a, t])
        self.x_cap = np.minimum(
            self.d_units[self.xj],
            inst.case_pack.astype(float)[inst.arc_sku][self.xa] * inst.max_packs[self.xa, self.xt],
        )
        runs = inst.max_packs > 0
        self.lower = np.zeros(self.n_col)
        self.upper = np.concatenate([
            inst.max_packs.ravel().astype(float), runs.ravel().astype(float), self.x_cap,
            self.d_units, np.where(runs.ravel(), INF, 0.0), inst.overtime_cap.ravel(),
        ])  # fmt: skip
        mat, row_lo, row_hi = self._rows()
        self.h = _highs_model(self.cost, self.lower, self.upper, mat, row_lo, row_hi, seed)
        self.ny = np.arange(2 * A * T, dtype=np.int32)

    def _column_costs(self, tie_break: bool) -> np.ndarray:
        """Cost of every column (base currency): ε per unit made and per set-up; x made for a
        requirement due in τ in week t: h_s (τ − t) early, w_s (t − τ) + U late; u never made:
        w_s (T − τ) + P_s + U; e surplus: h_s (T − t); O overtime: o_l per hour."""
        inst, A, T = self.inst, self.A, self.T
        ca = inst.case_pack.astype(float)[inst.arc_sku]
        d_s, d_t = self.d_sku, self.d_week
        sku_x = d_s[self.xj]
        tau = d_t[self.xj]
        early = self.xt <= tau
        U = inst.late_unit
        cost_x = np.where(
            early, inst.holding[sku_x] * (tau - self.xt), inst.late[sku_x] * (self.xt - tau) + U
        )
        cost_u = inst.late[d_s] * (T - d_t) + inst.short_penalty[d_s] + U
        tt = np.tile(np.arange(T), A)
        cost_e = inst.holding[np.repeat(inst.arc_sku, T)] * (T - tt)
        eps_unit, eps_setup = (EPSILON_UNIT, EPSILON_SETUP) if tie_break else (0.0, 0.0)
        return np.concatenate([
            np.repeat(eps_unit * ca, T), np.full(A * T, eps_setup), cost_x, cost_u,
            cost_e, np.repeat(inst.overtime_cost, T),
        ])  # fmt: skip

    def _rows(self) -> tuple[sparse.csc_array, np.ndarray, np.ndarray]:
        """Constraint matrix and row bounds, rows in blocks: demand (J, = d_j), production
        (A·T, = 0), capacity (L·T, ≤ H), n − M y ≤ 0 (A·T), m y − n ≤ 0 (A·T),
        x − cap·y ≤ 0 (K)."""
        inst, A, T = self.inst, self.A, self.T
        L, J, K = inst.shape[2], len(self.d_units), len(self.xa)
        ca = inst.case_pack.astype(float)[inst.arc_sku]
        at = np.arange(A * T)
        a_of = at // T
        lt = np.arange(L * T)
        xk = np.arange(K)
        rows, cols, vals = [], [], []

        def put(r: np.ndarray, col: np.ndarray, v: object) -> None:
            rows.append(np.asarray(r))
            cols.append(np.asarray(col))
            vals.append(np.broadcast_to(np.asarray(v, float), np.shape(r)))

        put(self.xj, self.o_x + xk, 1.0)  # demand rows 0 … J−1
        put(np.arange(J), self.o_u + np.arange(J), 1.0)
        r_p = J  # production rows
        put(r_p + at, self.o_n + at, ca[a_of])
        put(r_p + self.xa * T + self.xt, self.o_x + xk, -1.0)
        put(r_p + at, self.o_e + at, -1.0)
        r_c = r_p + A * T  # capacity rows
        put(r_c + inst.arc_line[a_of] * T + at % T, self.o_n + at, inst.hours_per_pack[a_of])
        put(
            r_c + inst.arc_line[a_of] * T + at % T,
            self.o_y + at,
            inst.changeover[inst.arc_line[a_of]],
        )
        put(r_c + lt, self.o_o + lt, -1.0)
        r_up = r_c + L * T  # n − M y ≤ 0
        put(r_up + at, self.o_n + at, 1.0)
        put(r_up + at, self.o_y + at, -inst.max_packs.ravel().astype(float))
        r_lo = r_up + A * T  # m y − n ≤ 0
        put(r_lo + at, self.o_y + at, inst.min_packs[a_of])
        put(r_lo + at, self.o_n + at, -1.0)
        r_fl = r_lo + A * T  # x − cap·y ≤ 0
        put(r_fl + xk, self.o_x + xk, 1.0)
        put(r_fl + xk, self.o_y + self.xa * T + self.xt, -self.x_cap)
        n_row = r_fl + K
        mat = sparse.csc_array(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(n_row, self.n_col),
        )
        row_lo = np.concatenate([self.d_units, np.zeros(A * T), np.full(L * T, -INF),
                                 np.full(2 * A * T + K, -INF)])  # fmt: skip
        row_hi = np.concatenate([self.d_units, np.zeros(A * T), inst.hours.ravel(),
                                 np.zeros(2 * A * T + K)])  # fmt: skip
        return mat, row_lo, row_hi

    # -- helpers -----------------------------------------------------------------------------
    def _integer(self, on: bool) -> None:
        kind = highspy.HighsVarType.kInteger if on else highspy.HighsVarType.kContinuous
        self.h.changeColsIntegrality(
            len(self.ny), self.ny, np.full(len(self.ny), int(kind.value), np.uint8)
        )

    def _set_bounds(self, idx: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        idx = np.asarray(idx, np.int32)
        if len(idx):
            self.h.changeColsBounds(len(idx), idx, np.asarray(lo, float), np.asarray(hi, float))

    def reset_bounds(self) -> None:
        """All set-ups and batches free again (bounds of the model)."""
        self._set_bounds(self.ny, self.lower[self.ny], self.upper[self.ny])

    def packs_of(self, col: np.ndarray) -> np.ndarray:
        """Case packs (A, T) of a solution vector (rounded)."""
        return np.round(np.asarray(col)[: self.A * self.T]).reshape(self.A, self.T)

    # -- solves --------------------------------------------------------------------------------
    def relaxation(self, time_limit: float) -> tuple[float, np.ndarray, str]:
        """LP relaxation: (objective, column values, status). The objective is a lower bound of
        every plan's cost when the solve is optimal."""
        self._integer(False)
        self.h.setOptionValue("time_limit", float(max(time_limit, 0.01)))
        self.h.run()
        status = self.h.getModelStatus()
        col = np.asarray(self.h.getSolution().col_value)
        value = float(self.h.getInfo().objective_function_value)
        return value, col, self.h.modelStatusToString(status)

    def dive(
        self, col: np.ndarray, deadline: float, down_below: float = 0.0
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """Two-sided LP dive from an LP solution: fix the largest fractional set-ups to 1 and the
        smallest to 0 (:data:`DIVE_SHARE` of them each), re-solve, repeat.

        A set-up is fixed to 1 only while its line-week can still fit the fixed set-ups'
        changeovers and minimum batches; when none fits, the smallest are fixed to 0 instead.
        Set-ups still fractional after :data:`DIVE_ROUNDS` are left out (y = 0 is always
        feasible: the units become late), so fixing the returned set-ups leaves a feasible MIP.
        Returns the set-ups (A, T) of 0/1, the last LP's packs (fractional) and the rounds.
        """
        inst, A, T = self.inst, self.A, self.T
        fixed = np.zeros(A * T, bool)
        need = np.zeros_like(inst.hours)
        one = inst.changeover[inst.arc_line] + inst.min_packs * inst.hours_per_pack  # A
        room = inst.hours + inst.overtime_cap
        rounds = 0
        self.dive_capped = False
        self._integer(False)
        for _ in range(DIVE_ROUNDS):
            rounds += 1
            y = col[self.o_y : self.o_y + A * T]
            frac = np.flatnonzero(~fixed & (y > 1e-6) & (y < 1 - 1e-6))
            if not len(frac):
                break
            if time.perf_counter() > deadline:
                self.dive_capped = True
                break
            a_f, t_f = np.divmod(frac, T)
            l_f = inst.arc_line[a_f]
            blocked = need[l_f, t_f] + one[a_f] > room[l_f, t_f] + 1e-9
            downs = list(frac[blocked])  # forced: the fixed set-ups leave no room for them
            frac = frac[~blocked]
            k = max(1, int(np.ceil(DIVE_SHARE * len(frac))))
            order = frac[np.lexsort((frac, -y[frac]))]
            ups = []
            for i in order[:k]:
                a, t = divmod(int(i), T)
                j = inst.arc_line[a]
                if need[j, t] + one[a] <= room[j, t] + 1e-9:
                    need[j, t] += one[a]
                    ups.append(i)
            chosen = set(ups)
            downs += [i for i in order[::-1][:k] if i not in chosen and y[i] < down_below]
            if not ups and not downs:
                break
            ups, downs = np.array(ups, int), np.array(downs, int)
            fixed[ups] = fixed[downs] = True
            idx = np.r_[self.o_y + ups, self.o_y + downs]
            self._set_bounds(idx, np.r_[np.ones(len(ups)), np.zeros(len(downs))],
                             np.r_[np.ones(len(ups)), np.zeros(len(downs))])  # fmt: skip
            self.h.setOptionValue("time_limit", float(max(deadline - time.perf_counter(), 0.01)))
            self.h.run()
            if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                break
            col = np.asarray(self.h.getSolution().col_value)
        y = col[self.o_y : self.o_y + A * T]
        setups = (y > 1 - 1e-6).reshape(A, T)  # what is still fractional is left out (safe)
        self.reset_bounds()
        return setups, col[: A * T].reshape(A, T), rounds

    def solve_mip(
        self,
        *,
        time_limit: float,
        node_limit: int,
        start: np.ndarray | None = None,
        fix_setups: np.ndarray | None = None,
        keep: np.ndarray | None = None,
    ) -> tuple[np.ndarray | None, float, str]:
        """Solve the MIP (n integer, y binary) within a node limit and a wall-clock cap.

        Parameters
        ----------
        time_limit : float
            Wall-clock cap (seconds).
        node_limit : int
            Branch-and-bound nodes (the deterministic work limit).
        start : ndarray (A, T), optional
            A feasible plan (packs) to start from.
        fix_setups : ndarray (A, T) of bool, optional
            Set-ups fixed to these values (the integer finish of the dive).
        keep : ndarray (A, T) of bool, optional
            Cells whose packs are fixed to ``start`` (sub-MIP over the other cells).

        Returns
        -------
        (packs or None, dual bound, status)
            The best plan found (None if none), HiGHS' dual bound (valid only when nothing was
            fixed) and the model status.
        """
        A, T = self.A, self.T
        self._integer(True)
        if fix_setups is not None:
            y = fix_setups.ravel().astype(float)
            self._set_bounds(self.o_y + np.arange(A * T), y, y)
        if keep is not None and start is not None:
            cells = np.flatnonzero(keep.ravel())
            v = start.ravel()[cells].astype(float)
            self._set_bounds(np.r_[self.o_n + cells, self.o_y + cells], np.r_[v, (v > 0) * 1.0],
                             np.r_[v, (v > 0) * 1.0])  # fmt: skip
        self.h.setOptionValue("time_limit", float(max(time_limit, 0.01)))
        self.h.setOptionValue("mip_max_nodes", int(max(node_limit, 1)))
        if start is not None:
            sol = highspy.HighsSolution()
            sol.col_value = self.full_solution(start)
            sol.value_valid = True
            self.h.setSolution(sol)
        self.h.run()
        status = self.h.modelStatusToString(self.h.getModelStatus())
        info = self.h.getInfo()
        bound = float(info.mip_dual_bound)
        packs = None
        if info.primal_solution_status == 2:  # feasible
            packs = self.packs_of(self.h.getSolution().col_value)
        self.reset_bounds()
        self.h.setOptionValue("mip_max_nodes", 2**31 - 1)
        self._integer(False)
        return packs, bound, status

    def full_solution(self, packs: np.ndarray) -> np.ndarray:
        """Every column's value for a feasible plan: demand served first due, first served."""
        inst, A, T = self.inst, self.A, self.T
        col = np.zeros(self.n_col)
        col[: A * T] = packs.ravel()
        col[self.o_y : self.o_y + A * T] = (packs > 0).ravel()
        made = packs * inst.case_pack[inst.arc_sku, None]
        left = made.astype(float).copy()
        x_index = {(int(a), int(t), int(j)): k for k, (a, t, j) in
                   enumerate(zip(self.xa, self.xt, self.xj, strict=True))}  # fmt: skip
        for s in range(len(inst.case_pack)):
            arcs = np.flatnonzero(inst.arc_sku == s)
            lots = sorted((t, a) for a in arcs for t in np.flatnonzero(left[a] > 0))
            i = 0
            for j in np.flatnonzero(self.d_sku == s):  # due order (np.nonzero is row-major)
                rest = self.d_units[j]
                while rest > 1e-9 and i < len(lots):
                    t, a = lots[i]
                    take = min(rest, left[a, t])
                    col[self.o_x + x_index[(int(a), int(t), int(j))]] += take
                    left[a, t] -= take
                    rest -= take
                    if left[a, t] <= 1e-9:
                        i += 1
                col[self.o_u + j] = rest
        col[self.o_e : self.o_e + A * T] = left.ravel()
        over = np.clip(inst.line_hours(packs) - inst.hours, 0, inst.overtime_cap)
        col[self.o_o :] = over.ravel()
        return col
