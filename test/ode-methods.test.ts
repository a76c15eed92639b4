// Tableau invariants and the observed order of convergence of every method.
import { test } from "node:test";
import assert from "node:assert/strict";
import { defineTableau, methods, observedOrder, problems, solve, type ButcherTableau } from "../lib";

test("every tableau satisfies the consistency conditions", () => {
  for (const tab of Object.values(methods)) {
    const s = tab.c.length;
    tab.a.forEach((row, i) => assert.ok(Math.abs(row.reduce((x, y) => x + y, 0) - tab.c[i]) < 1e-12, `${tab.name}: row ${i} sums to c`));
    assert.ok(Math.abs(tab.b.reduce((x, y) => x + y, 0) - 1) < 1e-12, `${tab.name}: Σb = 1`);
    if (tab.bError) assert.ok(Math.abs(tab.bError.reduce((x, y) => x + y, 0)) < 1e-12, `${tab.name}: Σ bError = 0`);
    assert.equal(tab.b.length, s);
    assert.ok(Object.isFrozen(tab) && Object.isFrozen(tab.a) && Object.isFrozen(tab.a[s - 1]), `${tab.name} is frozen`);
  }
  assert.equal(methods.dopri5.fsal, true);
  assert.equal(methods.tsit5.fsal, true);
  assert.equal(methods.bs3.fsal, true);
  assert.equal(methods.rk4.fsal, false);
});

/** A rooted tree, as the list of its root's subtrees (a leaf is []). */
type Tree = Tree[];

/** All rooted trees with n nodes, each once: the root's subtrees form a sorted multiset. */
function trees(n: number): Tree[] {
  const out: Tree[] = [];
  const key = (t: Tree): string => `[${t.map(key).join("")}]`;
  // Subtree lists with total size m, taking subtrees in non-increasing key order to avoid repeats.
  const forests = (m: number, maxKey: string): Tree[][] => {
    if (m === 0) return [[]];
    const res: Tree[][] = [];
    for (let k = m; k >= 1; k--) {
      for (const t of trees(k)) {
        if (key(t) > maxKey) continue;
        for (const rest of forests(m - k, key(t))) res.push([t, ...rest]);
      }
    }
    return res;
  };
  for (const f of forests(n - 1, "\uffff")) out.push(f);
  return out;
}

/** The order condition of tree τ: Σ bᵢ Φᵢ(τ) = 1/γ(τ), with Φ(τ) = ∏ over subtrees of A·Φ(subtree). */
function orderConditionResidual(tab: ButcherTableau, weights: readonly number[], tree: Tree): number {
  const s = tab.c.length;
  const phi = (t: Tree): number[] => {
    const v = new Array<number>(s).fill(1);
    for (const child of t) {
      const g = phi(child);
      for (let i = 0; i < s; i++) v[i] *= tab.a[i].reduce((acc, aij, j) => acc + aij * g[j], 0);
    }
    return v;
  };
  const size = (t: Tree): number => 1 + t.reduce((n, c) => n + size(c), 0);
  const gamma = (t: Tree): number => size(t) * t.reduce((g, c) => g * gamma(c), 1);
  const p = phi(tree);
  return weights.reduce((acc, bi, i) => acc + bi * p[i], 0) - 1 / gamma(tree);
}

test("every method meets the Butcher order conditions of its order (1, 1, 2, 4, 9 trees), and fails the next", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => trees(n).length), [1, 1, 2, 4, 9, 20]);
  for (const tab of Object.values(methods)) {
    const worst = (w: readonly number[], n: number) => Math.max(...trees(n).map((t) => Math.abs(orderConditionResidual(tab, w, t))));
    for (let n = 1; n <= tab.order; n++) assert.ok(worst(tab.b, n) < 1e-12, `${tab.name}: order-${n} conditions, residual ${worst(tab.b, n)}`);
    assert.ok(worst(tab.b, tab.order + 1) > 1e-6, `${tab.name} is not of order ${tab.order + 1}`);
    if (tab.bError && tab.errorOrder) {
      const bHat = tab.b.map((bi, i) => bi - tab.bError![i]);
      for (let n = 1; n <= tab.errorOrder; n++) assert.ok(worst(bHat, n) < 1e-12, `${tab.name}: embedded order-${n} conditions, residual ${worst(bHat, n)}`);
    }
  }
});

test("defineTableau rejects a broken tableau and names the field", () => {
  const good = { name: "x", order: 2, c: [0, 1], a: [[], [1]], b: [0.5, 0.5], reference: "test" };
  assert.doesNotThrow(() => defineTableau(good));
  assert.throws(() => defineTableau({ ...good, a: [[], [0.9]] }), /tableau 'x': row sum of a\[1\]/);
  assert.throws(() => defineTableau({ ...good, b: [0.5, 0.6] }), /tableau 'x': Σb = /);
  assert.throws(() => defineTableau({ ...good, bError: [0.1, 0.1], errorOrder: 1 }), /Σ bError/);
  assert.throws(() => defineTableau({ ...good, a: [[], [1, 0]] }), /a\[1\] must have 1 entries/);
  assert.throws(() => defineTableau({ ...good, b: [1, 0] }), /Σ b_i c_i must be 1\/2/);
  assert.throws(() => defineTableau({ ...good, dense: [[1, -0.5], [0, 0.4]] }), /dense\[1\] at θ = 1/);
});

// Step sizes per order: large enough that rounding (1e-16) stays far below the error, small enough
// to be in the asymptotic regime.
const stepsFor = (order: number) => (order >= 5 ? [0.1, 0.07, 0.05, 0.035, 0.025] : order >= 3 ? [0.1, 0.05, 0.025, 0.0125] : [0.02, 0.01, 0.005, 0.0025]);

for (const tab of Object.values(methods)) {
  test(`${tab.name}: observed order of convergence is ${tab.order} ± 0.3 (linear system, exact solution by expm)`, () => {
    const p = problems.dampedRotation;
    const exact = p.exact!(p.tspan[1]);
    const hs = stepsFor(tab.order);
    const errs = hs.map((dt) => {
      const sol = solve(p.f, p.u0, p.tspan, { method: tab.name as keyof typeof methods, dt, adaptive: false, saveat: [p.tspan[1]] });
      assert.equal(sol.stats.accepted, Math.ceil(5 / dt - 1e-9), "a fixed step takes span/dt steps");
      return Math.hypot(sol.u[0][0] - exact[0], sol.u[0][1] - exact[1]);
    });
    const slope = observedOrder(hs, errs);
    assert.ok(Math.abs(slope - tab.order) <= 0.3, `${tab.name}: slope ${slope.toFixed(3)} vs order ${tab.order}; errors ${errs.map((e) => e.toExponential(2))}`);
  });
}

test("dense output: the methods' own interpolants beat cubic Hermite between the steps", () => {
  // Fixed steps; outputs placed mid-step, where only the interpolant is used. A fourth-order
  // continuous extension has local error O(h⁵); cubic Hermite (the fallback) has O(h⁴).
  const p = problems.dampedRotation;
  const { dense: _dense, fsal: _fsal, ...rest } = methods.tsit5;
  const hermiteOnly = defineTableau({ ...rest, name: "tsit5-without-dense" });
  const slopeOf = (method: ButcherTableau) => {
    const hs = [0.4, 0.3, 0.2, 0.15];
    const errs = hs.map((dt) => {
      const saveat = [0.5 * dt, 2.3 * dt, 4.5 - 0.3 * dt];
      const sol = solve(p.f, p.u0, p.tspan, { method, dt, adaptive: false, saveat });
      return Math.max(...saveat.map((s, i) => Math.hypot(...sol.u[i].map((x, j) => x - p.exact!(s)[j]))));
    });
    return observedOrder(hs, errs);
  };
  for (const method of [methods.dopri5, methods.tsit5]) {
    const slope = slopeOf(method);
    assert.ok(slope > 4.6, `${method.name}: interpolation error slope ${slope.toFixed(2)} should be ≈ 5`);
  }
  const hermite = slopeOf(hermiteOnly);
  assert.ok(Math.abs(hermite - 4) < 0.4, `cubic Hermite fallback: slope ${hermite.toFixed(2)} should be ≈ 4`);
});
