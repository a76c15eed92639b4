// The shared problem table: accuracy against exact solutions, invariants and an independent solver.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as math from "mathjs";
import { problems, referenceEnd, solve, type TestProblem } from "../lib";

const maxAbs = (a: readonly number[], b: readonly number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));

/**
 * Error of a solve: distance to the exact/reference end state, except on Arenstorf's orbit, whose
 * close passes by the moon amplify any local error a thousandfold by the end of the period; there
 * the conserved Jacobi constant measures what the tolerance controls.
 */
function errorOf(p: TestProblem, uEnd: readonly number[], ref: readonly number[]): number {
  if (p.name === "arenstorf") return Math.abs(p.invariant!(uEnd) - p.invariant!(p.u0));
  return maxAbs(uEnd, ref);
}

for (const p of Object.values(problems)) {
  test(`${p.name}: error falls with the tolerance and is a small multiple of rtol at 1e-8`, () => {
    const ref = referenceEnd(p);
    for (const method of ["dopri5", "tsit5", "bs3"] as const) {
      const rtols = [1e-4, 1e-6, 1e-8];
      const ends = rtols.map((rtol) => solve(p.f, p.u0, p.tspan, { method, rtol, atol: rtol * 1e-2, saveat: [p.tspan[1]] }).u[0]);
      const errs = ends.map((uEnd) => errorOf(p, uEnd, ref));
      // The state error must fall too (for Arenstorf it is the amplified one, so only its trend is checked).
      const stateErrs = ends.map((uEnd) => maxAbs(uEnd, ref));
      for (const [what, e] of [["error", errs], ["state error", stateErrs]] as const) {
        for (let i = 1; i < e.length; i++) assert.ok(e[i] < e[i - 1], `${method}: ${what} ${e[i]} at rtol ${rtols[i]} is not below ${e[i - 1]}`);
      }
      // Global error = local tolerance × error growth along the orbit; measured growth ≤ 7 (5th order), ≤ 90 (bs3).
      const multiple = method === "bs3" ? 150 : 15;
      assert.ok(errs[2] < multiple * 1e-8, `${method}: error ${errs[2].toExponential(2)} at rtol 1e-8 exceeds ${multiple}× rtol`);
    }
  });
}

test("the rk4 references agree with the exact solutions where those are known", () => {
  for (const p of [problems.harmonic, problems.dampedRotation, problems.decay]) {
    const rk4 = solve(p.f, p.u0, p.tspan, { method: "rk4", dt: (p.tspan[1] - p.tspan[0]) / 100_000, saveat: [p.tspan[1]] }).u[0];
    assert.ok(maxAbs(rk4, p.exact!(p.tspan[1])) < 1e-10, p.name);
  }
});

test("invariants are conserved to the tolerance (Lotka–Volterra, harmonic, Arenstorf)", () => {
  for (const p of [problems.lotkaVolterra, problems.harmonic, problems.arenstorf]) {
    const sol = solve(p.f, p.u0, p.tspan, { rtol: 1e-9, atol: 1e-11 });
    const v0 = p.invariant!(p.u0);
    const drift = Math.max(...sol.u.map((u) => Math.abs(p.invariant!(u) - v0)));
    assert.ok(drift < 1e-7, `${p.name}: invariant drifts by ${drift}`);
    // and a wrong right-hand side breaks it: flip one sign
    const broken = solve((t, u) => Array.from(p.f(t, u, new Float64Array(u.length)) as ArrayLike<number>, (x, i) => (i === 0 ? -x : x)), p.u0, [p.tspan[0], p.tspan[0] + 1], { rtol: 1e-9 });
    assert.ok(Math.abs(p.invariant!(broken.u.at(-1)!) - v0) > 1e-3, `${p.name}: the invariant must detect a wrong f`);
  }
});

test("Lotka–Volterra agrees with mathjs solveODE (an independent RK45)", () => {
  const p = problems.lotkaVolterra;
  const { solveODE } = math as unknown as { solveODE: (f: (t: number, u: number[]) => number[], tspan: number[], y0: number[], o: object) => unknown };
  const ref = solveODE((t: number, u: number[]) => Array.from(p.f(t, Float64Array.from(u), new Float64Array(2)) as ArrayLike<number>), [...p.tspan], [...p.u0], {
    method: "RK45", tol: 1e-11, firstStep: 1e-3, maxIter: 1e6,
  }) as { t: number[]; y: number[][] };
  // mathjs returns its own steps; our dense output gives our solution at exactly those times.
  const theirs = solve(p.f, p.u0, p.tspan, { rtol: 1e-10, atol: 1e-12, saveat: ref.t.slice(1) });
  const worst = Math.max(...ref.y.slice(1).map((y, i) => maxAbs(y, theirs.u[i])));
  assert.ok(worst < 1e-7, `max difference to mathjs along the trajectory: ${worst}`);
});
