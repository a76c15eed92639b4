/**
 * A quick look at the integrators: every test problem, solved by each adaptive method at rtol 1e-8,
 * with step counts and the error against the exact solution or the drift of the invariant.
 * Run: npm run demo
 */
import { methods, problems, solve } from "../lib";

const rows: Record<string, string | number>[] = [];
for (const p of Object.values(problems)) {
  for (const method of ["bs3", "dopri5", "tsit5"] as const) {
    const sol = solve(p.f, p.u0, p.tspan, { method, rtol: 1e-8, atol: 1e-10 });
    const uEnd = sol.u[sol.u.length - 1];
    const exact = p.uFinal ?? p.exact?.(p.tspan[1]);
    rows.push({
      problem: p.name,
      method,
      order: methods[method].order,
      steps: sol.stats.accepted,
      rejected: sol.stats.rejected,
      nfe: sol.stats.nfe,
      "error at t1": exact ? Math.max(...uEnd.map((x, i) => Math.abs(x - exact[i]))).toExponential(2) : "—",
      "invariant drift": p.invariant ? Math.abs(p.invariant(uEnd) - p.invariant(p.u0)).toExponential(2) : "—",
    });
  }
}
console.table(rows);
