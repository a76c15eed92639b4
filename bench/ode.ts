/**
 * Float64 integrator speed: `npm run bench -- ode [--json]`.
 * dopri5 and tsit5 at rtol 1e-8 / atol 1e-10 on Lotka–Volterra, the cubic spiral and Arenstorf,
 * saving every step (the default). Target: ≤ 1 µs per step on the 2-D problems.
 */
import { Bench } from "tinybench";
import { problems, referenceEnd, solve } from "../lib";

const RTOL = 1e-8;
const ATOL = 1e-10;

export async function run(json: boolean): Promise<void> {
  const cases = [problems.lotkaVolterra, problems.cubicSpiral, problems.arenstorf].flatMap((p) =>
    (["dopri5", "tsit5"] as const).map((method) => ({ p, method })),
  );
  const bench = new Bench({ time: 400, warmup: true, warmupTime: 100 });
  for (const { p, method } of cases) {
    bench.add(`${p.name}/${method}`, () => {
      solve(p.f, p.u0, p.tspan, { method, rtol: RTOL, atol: ATOL });
    });
  }
  await bench.run();

  const rows = cases.map(({ p, method }, i) => {
    const sol = solve(p.f, p.u0, p.tspan, { method, rtol: RTOL, atol: ATOL });
    const known = referenceEnd(p);
    const uEnd = sol.u[sol.u.length - 1];
    const errFinal = Math.max(...uEnd.map((x, j) => Math.abs(x - known[j])));
    const task = bench.tasks[i];
    const ms = task.result && "latency" in task.result ? task.result.latency.p50 : NaN;
    return {
      bench: "ode",
      problem: p.name,
      method,
      rtol: RTOL,
      steps: sol.stats.accepted,
      nfe: sol.stats.nfe,
      usPerStep: Number(((ms * 1000) / sol.stats.accepted).toFixed(3)),
      errFinal: Number(errFinal.toPrecision(3)),
    };
  });
  if (json) rows.forEach((r) => console.log(JSON.stringify(r)));
  else {
    console.log(`float64 solve saving every step, rtol ${RTOL}, atol ${ATOL}; time = median tinybench sample; errFinal = end-state error vs exact (or RK4, 1e5 steps)`);
    console.table(rows.map(({ bench: _b, ...r }) => r));
  }
}
