// Behaviour of the solve entry points: saveat, direction, batches, the tensor path, and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../lib/tf/backend";
import { OdeSolveError, problems, solve, solveTensor } from "../lib";

const maxAbs = (a: readonly number[], b: readonly number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));
const osc = problems.harmonic;

test("saveat at uneven times returns exactly those times, matching the exact solution", () => {
  const saveat = [0, 0.013, 0.5, 0.51, 2.2, 3.14159, 7, 9.999, 10];
  for (const method of ["dopri5", "tsit5", "bs3"] as const) {
    const sol = solve(osc.f, osc.u0, osc.tspan, { method, rtol: 1e-9, atol: 1e-12, saveat });
    assert.deepEqual(sol.t, saveat);
    sol.u.forEach((u, i) => assert.ok(maxAbs(u, osc.exact!(saveat[i])) < 1e-7, `${method} at t = ${saveat[i]}: ${maxAbs(u, osc.exact!(saveat[i]))}`));
  }
  // without saveat: t0 and every accepted step
  const every = solve(osc.f, osc.u0, osc.tspan);
  assert.equal(every.t.length, every.stats.accepted + 1);
  assert.equal(every.t[0], 0);
  assert.equal(every.t.at(-1), 10);
});

test("integrating forward and then back returns to u0", () => {
  for (const p of [problems.lotkaVolterra, problems.cubicSpiral, problems.harmonic]) {
    const fwd = solve(p.f, p.u0, p.tspan, { rtol: 1e-10, atol: 1e-12 });
    const back = solve(p.f, fwd.u.at(-1)!, [p.tspan[1], p.tspan[0]], { rtol: 1e-10, atol: 1e-12 });
    assert.equal(back.t.at(-1), p.tspan[0]);
    assert.ok(back.t.every((t, i) => i === 0 || t < back.t[i - 1]), "time decreases");
    assert.ok(maxAbs(back.u.at(-1)!, p.u0) < 1e-6, `${p.name}: back at ${back.u.at(-1)}`);
  }
  // fixed steps backwards, with decreasing saveat
  const sol = solve(osc.f, osc.exact!(2), [2, 0], { method: "rk4", dt: 1e-3, saveat: [2, 1.5, 0.25, 0] });
  assert.ok(maxAbs(sol.u[3], osc.u0) < 1e-9);
  assert.ok(maxAbs(sol.u[2], osc.exact!(0.25)) < 1e-9);
});

test("a batch of initial conditions shares one time grid", () => {
  const u0s = [[1, 0], [0, 1], [0.5, -0.5]];
  const sol = solve(osc.f, u0s, osc.tspan, { rtol: 1e-9, atol: 1e-12, saveat: [0, 1, 5, 10] });
  assert.equal(sol.u.length, 4);
  sol.u.forEach((rows, i) => {
    assert.equal(rows.length, 3);
    rows.forEach((u, b) => {
      const [x0, v0] = u0s[b];
      const t = sol.t[i];
      const exact = [x0 * Math.cos(2 * t) + (v0 / 2) * Math.sin(2 * t), -2 * x0 * Math.sin(2 * t) + v0 * Math.cos(2 * t)];
      assert.ok(maxAbs(u, exact) < 1e-7, `member ${b} at t = ${t}`);
    });
  });
  // Identical members see the same error norm (up to summation rounding), so the batch takes the solo steps.
  const solo = solve(osc.f, [1, 0], osc.tspan, { rtol: 1e-6 });
  const twice = solve(osc.f, [[1, 0], [1, 0]], osc.tspan, { rtol: 1e-6 });
  assert.equal(twice.t.length, solo.t.length);
  twice.t.forEach((t, i) => assert.ok(Math.abs(t - solo.t[i]) < 1e-9));
  twice.u.forEach((rows, i) => assert.ok(maxAbs(rows[0], solo.u[i]) < 1e-9 && maxAbs(rows[1], solo.u[i]) < 1e-9));
});

test("the float64 path and the tensor path agree to float32 accuracy", () => {
  // (Arenstorf is left out: its orbit amplifies float32 rounding into O(1) differences by the end.)
  for (const p of [problems.lotkaVolterra, problems.cubicSpiral, problems.harmonic]) {
    const saveat = [0, 0.3 * p.tspan[1], 0.7 * p.tspan[1], p.tspan[1]].map((t) => p.tspan[0] + t);
    const ref = solve(p.f, p.u0, p.tspan, { rtol: 1e-10, atol: 1e-12, saveat });
    const before = tf.memory().numTensors;
    const sol = solveTensor(p.fTensor, p.u0, p.tspan, { rtol: 1e-6, atol: 1e-8, saveat });
    const got = sol.u.arraySync() as number[][];
    sol.u.dispose();
    assert.equal(tf.memory().numTensors, before, "the tensor solve leaks no tensors");
    const scale = Math.max(...ref.u.flat().map(Math.abs));
    got.forEach((u, i) => assert.ok(maxAbs(u, ref.u[i]) < 2e-5 * scale, `${p.name} at t = ${saveat[i]}: ${maxAbs(u, ref.u[i])}`));
    assert.deepEqual(sol.t, saveat);
  }
  // a batch on tensors
  const batch = solveTensor(osc.fTensor, tf.tensor2d([[1, 0], [0, 1]]), [0, 1], { saveat: [1] });
  assert.deepEqual(batch.u.shape, [1, 2, 2]);
  const [[a, b]] = batch.u.arraySync() as number[][][];
  assert.ok(maxAbs(a, osc.exact!(1)) < 1e-5);
  assert.ok(maxAbs(b, [Math.sin(2) / 2, Math.cos(2)]) < 1e-5);
  batch.u.dispose();
});

test("gradients flow through solveTensor (d u(T) / d λ for u' = -λu)", () => {
  const lambda = tf.variable(tf.scalar(0.7));
  const { grads } = tf.variableGrads(() => {
    const sol = solveTensor((_t, u) => tf.mul(u, tf.neg(lambda)), [1], [0, 2], { saveat: [2], rtol: 1e-7 });
    return sol.u.sum() as tf.Scalar;
  });
  // u(T) = e^{-λT}, so du/dλ = -T e^{-λT}
  const g = grads[lambda.name].dataSync()[0];
  assert.ok(Math.abs(g - -2 * Math.exp(-1.4)) < 1e-4, `gradient ${g}`);
  Object.values(grads).forEach((t) => t.dispose());
  lambda.dispose();
});

test("the PI controller also meets the tolerance, and stats count the work", () => {
  const p = problems.lotkaVolterra;
  const i = solve(p.f, p.u0, p.tspan, { rtol: 1e-8, controller: "I" });
  const pi = solve(p.f, p.u0, p.tspan, { rtol: 1e-8, controller: "PI" });
  const v0 = p.invariant!(p.u0);
  assert.ok(Math.abs(p.invariant!(pi.u.at(-1)!) - v0) < 1e-7);
  assert.notDeepEqual(pi.t, i.t, "a different controller takes different steps");
  // tsit5 is FSAL: 6 new evaluations per attempt, plus one at t0 and one for the initial step guess.
  assert.equal(pi.stats.nfe, 6 * (pi.stats.accepted + pi.stats.rejected) + 2);
  assert.equal(pi.status, "success");
});

test("bad input fails at once with a message naming the argument and the fix", () => {
  const f = osc.f;
  const cases: [() => unknown, RegExp][] = [
    [() => solve(f, [NaN, 0], [0, 1]), /solve: u0\[0\] is the number NaN; the initial state must hold finite numbers/],
    [() => solve(f, [1, 0], [0, Infinity]), /solve: tspan must be a pair \[t0, t1\] of finite numbers such as \[0, 1\], got \[0, Infinity\] \(2 numbers\)/],
    [() => solve(f, [1, 0], [1, 1]), /tspan: t0 and t1 are both 1; the interval must have nonzero length/],
    [() => solve(f, [1, 0], [0, 1], { saveat: [0.5, 2] }), /options.saveat\[1\] = 2 lies outside tspan \[0, 1\]/],
    [() => solve(f, [1, 0], [0, 1], { saveat: [0.5, 0.2] }), /saveat must be strictly increasing.*saveat\[1\] = 0.2 follows saveat\[0\] = 0.5/],
    [() => solve(f, [1, 0], [1, 0], { saveat: [0.2, 0.5] }), /strictly decreasing/],
    [() => solve(f, [1, 0], [0, 1], { rtol: 0 }), /options.rtol must be a positive number/],
    [() => solve(f, [1, 0], [0, 1], { atol: -1 }), /options.atol must be a number ≥ 0 such as 1e-9, got the number -1/],
    [() => solve(f, [1, 0], [0, 1], { method: "rk45" as never }), /options.method must be one of "euler", "midpoint", "heun", "rk4", "bs3", "dopri5", "tsit5", or a tableau from defineTableau, got the string "rk45"; did you mean "dopri5"\?/],
    [() => solve(f, [1, 0], [0, 1], { method: "rk4" }), /options.dt is required: method 'rk4' takes fixed steps.*dt: 0.01/],
    [() => solve(f, [1, 0], [0, 1], { method: "euler", adaptive: true, dt: 0.1 }), /no error estimate/],
    [() => solve(f, [1, 0], [0, 1], { dt: -0.1 }), /options.dt must be a positive number/],
    [() => solve(f, [1, 0], [0, 1], { rtl: 1e-3 } as never), /solve: options.rtl is not a solve option; did you mean "rtol"\? Known options: method, dt, adaptive/],
    [() => solve(() => [1, 2, 3], [1, 0], [0, 1]), /returned 3 values at t = 0, but the state has 2 components/],
    [() => solve(() => undefined, [1, 0], [0, 1]), /returned NaN in component 0 \(f returned nothing: return the derivative, or write every du\[i\]\) at t = 0/],
    [() => solve(f, [1, 0], [0, 1], { method: "euler", dt: 1e-300 }), /options.dt = 1e-300 is below dtMin = 1e-14.*take a larger dt/],
    [() => solve(f, [1, 0], [0, 1], { method: "euler", dt: 1e-9 }), /options.dt = 1e-9 needs 1000000000 steps.*pass options.maxSteps ≥ 1000000000 if you mean it/],
    [() => solve((t, u) => [u[1], t > 0.5 ? NaN : -u[0]], [1, 0], [0, 1], { method: "rk4", dt: 0.1 }), /vector field returned NaN in component 1 at t = 0\.55, during the step from t = 0\.5 with dt = 0\.1/],
    [() => solveTensor(() => tf.zeros([3]), [1, 0], [0, 1]), /returned shape \[3\] at t = 0, but the state has shape \[2\]/],
  ];
  for (const [run, message] of cases) assert.throws(run, message);
});

test("atol = 0 (pure relative error) works although a component starts at zero", () => {
  // u0 = [1, 0]: the zero component would make the scaled norm 0/0 = NaN without special care.
  for (const [name, end] of [
    ["float64", () => solve(osc.f, osc.u0, [0, 10], { atol: 0, rtol: 1e-8, saveat: [10] }).u[0]],
    ["tensor", () => Array.from(solveTensor(osc.fTensor, osc.u0, [0, 10], { atol: 0, rtol: 1e-5, saveat: [10] }).u.dataSync())],
  ] as const) {
    const exact = osc.exact!(10);
    assert.ok(maxAbs(end(), exact) < (name === "float64" ? 1e-6 : 1e-3), `${name}: ${end()} vs ${exact}`);
  }
});

test("a non-finite f during an adaptive solve is named in the underflow message, on both paths", () => {
  const bad = (t: number) => t > 0.55;
  assert.throws(() => solve((t, u) => (bad(t) ? [NaN, 0] : [-u[0], -u[1]]), [1, 0], [0, 1]), /underflow: at t = 0\.5499.*the vector field returned NaN in component 0 at t = 0\.55/);
  assert.throws(() => solveTensor((t, u) => (bad(t) ? tf.mul(u, NaN) : tf.neg(u)), [1, 0], [0, 1], { saveat: [1] }),
    /underflow: at t = 0\.5499.*the vector field returned NaN or ±Infinity at a stage between t = 0\.5499/);
});

test("a blow-up reports step-size underflow with t and h; maxSteps reports how far it got", () => {
  // u' = u², u(0) = 1 blows up at t = 1 (numerically a little later: the pole moves by the error).
  const blowUp = (_t: number, u: Float64Array) => [u[0] * u[0]];
  assert.throws(() => solve(blowUp, [1], [0, 2]), (e: unknown) => {
    assert.ok(e instanceof OdeSolveError);
    assert.equal(e.status, "dtMin");
    assert.ok(Math.abs(e.t - 1) < 1e-3, `stopped at t = ${e.t}`);
    assert.match(e.message, /step size underflow: at t = [\d.]+ the step shrank to h = [\d.e-]+ .*try a shorter tspan, looser rtol\/atol, or check f/);
    return true;
  });
  assert.throws(() => solve(osc.f, osc.u0, osc.tspan, { maxSteps: 10 }), /maxSteps \(10\) reached at t = [\d.]+, [\d.]+% of the way from t0 = 0 to t1 = 10.*Raise options.maxSteps/);
  const partial = solve(osc.f, osc.u0, osc.tspan, { maxSteps: 10, onFailure: "return" });
  assert.equal(partial.status, "maxSteps");
  assert.match(partial.message!, /maxSteps/);
  assert.ok(partial.t.at(-1)! < 10 && partial.t.length === partial.stats.accepted + 1);
});
