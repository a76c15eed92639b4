// NeuralODE: the float64 fast path against tfjs autodiff, all gradients against float64 finite
// differences, memory of backprop versus the adjoint, parameter counts, training, no leaks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../lib/tf/backend";
import { problems, solve } from "../lib";
import { residualMlp } from "../lib/nn/resnet";
import { chain, dense, skip } from "../lib/nn/chain";
import { spiralData, lotkaVolterraData, linspace } from "../lib/datasets";
import { denseField, DenseField } from "../lib/node/dense-field";
import { mlpBackward, mlpForward, newScratch, newTape } from "../lib/node/mlp64";
import { NeuralODE } from "../lib/node/neural-ode";
import { adjointFast, backpropFast, forwardFast } from "../lib/node/fast-sensitivity";
import { resolveSettings } from "../lib/ode/options";
import { trainNeuralODE } from "../lib/node/train-node";

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
};

test("float64 MLP forward and vector–Jacobian product match tfjs autodiff", () => {
  for (const activation of ["tanh", "relu", "sigmoid"] as const) {
    const field = denseField({ sizes: [3, 7, 5, 3], activation, inputPower: 3, seed: 4 });
    const net = field.toMlp64();
    const u = [0.7, -1.1, 0.4];
    const a = [0.3, -0.8, 1.7];
    const out = new Float64Array(3);
    const tape = newTape(net.sizes);
    mlpForward(net, u, out, tape);
    const du = new Float64Array(3);
    const dW = net.W.map((w) => new Float64Array(w.length));
    const db = net.b.map((b) => new Float64Array(b.length));
    mlpBackward(net, tape, a, du, dW, db, newScratch(net.sizes));

    const uT = tf.tensor1d(u);
    const aT = tf.tensor1d(a);
    const { value, grads } = tf.engine().gradients(() => field.apply(uT), [uT, ...field.params], aT);
    assert.ok(relErr(out, value.dataSync()) < 1e-6, `${activation}: forward`);
    assert.ok(relErr(du, grads[0].dataSync()) < 1e-5, `${activation}: ∂/∂u`);
    const flat = (xs: ArrayLike<number>[]) => xs.flatMap((x) => Array.from(x));
    const ours = flat(net.W.flatMap((_, l) => [dW[l], db[l]]));
    assert.ok(relErr(ours, flat(grads.slice(1).map((g) => g.dataSync()))) < 1e-5, `${activation}: ∂/∂θ`);
    tf.dispose([uT, aT, value, ...grads]);
    field.dispose();
  }
});

// A small field on the spiral with a loss that is far from zero.
const saveat = [0, 0.3, 0.75, 1.2, 1.5];
const truth = solve(problems.cubicSpiral.f, [2, 0], [0, 1.5], { saveat, rtol: 1e-10 }).u;

/** Central finite differences of the SSE loss in float64, at tolerances far tighter than the gradients'. */
function finiteDifferenceGradient(field: DenseField): number[] {
  const net = field.toMlp64();
  const settings = resolveSettings([0, 1.5], { saveat, rtol: 1e-12, atol: 1e-14 });
  const loss = () => forwardFast({ net, rows: 1, u0: Float64Array.from([2, 0]), settings }, false).ys.reduce((acc, y, j) => acc + (y[0] - truth[j][0]) ** 2 + (y[1] - truth[j][1]) ** 2, 0);
  const g: number[] = [];
  for (const arr of net.W.flatMap((w, l) => [w, net.b[l]])) {
    for (let i = 0; i < arr.length; i++) {
      const x = arr[i];
      const h = 1e-6 * Math.max(1, Math.abs(x));
      arr[i] = x + h;
      const up = loss();
      arr[i] = x - h;
      const down = loss();
      arr[i] = x;
      g.push((up - down) / (2 * h));
    }
  }
  return g;
}

test("backprop and adjoint gradients, on both paths, match float64 central differences", () => {
  const field = denseField({ sizes: [2, 8, 2], inputPower: 3, seed: 3 });
  const fd = finiteDifferenceGradient(field);
  const data = tf.tensor(truth);
  const found: Record<string, number[]> = {};
  for (const fastPath of [true, false]) {
    for (const sensitivity of ["backprop", "adjoint"] as const) {
      // float32 error estimates are noisy below rtol ~1e-7, so the tensor path runs looser.
      const tol = fastPath ? { rtol: 1e-9, atol: 1e-11 } : { rtol: 1e-7, atol: 1e-9 };
      const node = new NeuralODE(field, { tspan: [0, 1.5], saveat, ...tol, sensitivity, fastPath });
      const { grads, stats } = node.lossAndGradients([2, 0], (pred) => tf.sum(tf.squaredDifference(pred, data)));
      assert.equal(stats.path, fastPath ? "float64" : "tensor");
      const g = field.params.flatMap((v) => Array.from(grads[v.name].dataSync()));
      tf.dispose(grads);
      const err = relErr(g, fd);
      assert.ok(err < (fastPath ? 1e-5 : 1e-3), `${stats.path} ${sensitivity}: relative error ${err}`);
      found[`${stats.path}/${sensitivity}`] = g;
    }
  }
  // The two methods agree with each other (they are different discretisations of the same gradient).
  assert.ok(relErr(found["float64/adjoint"], found["float64/backprop"]) < 1e-5);
  assert.ok(relErr(found["tensor/adjoint"], found["tensor/backprop"]) < 1e-3);
  // A wrong gradient would fail: perturbing one entry by 1% of the norm is caught.
  const wrong = [...found["float64/backprop"]];
  wrong[5] += 0.01 * Math.hypot(...fd);
  assert.ok(relErr(wrong, fd) > 1e-3);
  data.dispose();
  field.dispose();
});

test("a tfjs LayersModel is a field too: same gradients as the equal dense field, and a SkipConnection field trains", async () => {
  const field = denseField({ sizes: [2, 8, 2], seed: 4 });
  const model = chain(dense(2, 8, "tanh"), dense(8, 2));
  model.setWeights(field.params);
  const options = { tspan: [0, 1] as const, saveat: [0.5, 1], rtol: 1e-7, atol: 1e-9 };
  const data = tf.tensor([[1, 0.2], [0.8, 0.5]]);
  const loss = (pred: tf.Tensor): tf.Scalar => tf.sum(tf.squaredDifference(pred, data));
  const reference = new NeuralODE(field, options).lossAndGradients([1, 0], loss);
  const refGrad = field.params.flatMap((v) => Array.from(reference.grads[v.name].dataSync()));
  for (const sensitivity of ["backprop", "adjoint"] as const) {
    const { grads, stats } = new NeuralODE(model, { ...options, sensitivity }).lossAndGradients([1, 0], loss);
    assert.equal(stats.path, "tensor");
    const g = model.trainableWeights.flatMap((w) => Array.from(grads[(w.read() as tf.Variable).name].dataSync()));
    assert.ok(relErr(g, refGrad) < 1e-3, `${sensitivity}: relative error ${relErr(g, refGrad)}`);
    tf.dispose(grads);
  }
  // A residual block as the field, u' = u + g(u): the generic path trains it without leaking.
  const resnet = chain(skip([dense(2, 8, "tanh"), dense(8, 2)]), { seed: 1 });
  const node = new NeuralODE(resnet, { ...options, rtol: 1e-5, atol: 1e-7 });
  const before = tf.memory().numTensors;
  const r = await trainNeuralODE(node, [1, 0], data, { epochs: 20, learningRate: 0.05, progress: false });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(r.lossHistory[19] < 0.5 * r.lossHistory[0], `loss ${r.lossHistory[0]} → ${r.lossHistory[19]}`);
  tf.dispose(reference.grads);
  data.dispose();
  model.dispose();
  resnet.dispose();
  field.dispose();
});

test("fixed-step methods without dense output also get exact discrete gradients (Hermite outputs)", () => {
  const field = denseField({ sizes: [2, 6, 2], inputPower: 3, seed: 5 });
  const net = field.toMlp64();
  const times = [0.25, 0.6, 1.5]; // not on the dt grid: outputs come from Hermite interpolation
  const data = [[1.9, 0.5], [1.5, 1.1], [0.2, 1.4]];
  for (const method of ["rk4", "midpoint"] as const) {
    const settings = resolveSettings([0, 1.5], { method, dt: 0.1, saveat: times });
    const u0 = Float64Array.from([2, 0]);
    const loss = () => forwardFast({ net, rows: 1, u0, settings }, false).ys.reduce((acc, y, j) => acc + (y[0] - data[j][0]) ** 2 + (y[1] - data[j][1]) ** 2, 0);
    const fwd = forwardFast({ net, rows: 1, u0, settings }, true);
    const seeds = fwd.ys.map((y, j) => Float64Array.from([2 * (y[0] - data[j][0]), 2 * (y[1] - data[j][1])]));
    const { dtheta, du0 } = backpropFast({ net, rows: 1, u0, settings }, fwd, seeds);
    // Same discretisation in the difference quotient, so agreement is to rounding.
    const fd: number[] = [];
    for (const arr of net.W.flatMap((w, l) => [w, net.b[l]])) {
      for (let i = 0; i < arr.length; i++) {
        const x = arr[i];
        arr[i] = x + 1e-6;
        const up = loss();
        arr[i] = x - 1e-6;
        const down = loss();
        arr[i] = x;
        fd.push((up - down) / 2e-6);
      }
    }
    assert.ok(relErr(dtheta, fd) < 1e-6, `${method}: ∂L/∂θ relative error ${relErr(dtheta, fd)}`);
    const fdU = [0, 1].map((i) => {
      const up = Float64Array.from(u0);
      const down = Float64Array.from(u0);
      up[i] += 1e-6;
      down[i] -= 1e-6;
      const l = (v: Float64Array) => forwardFast({ net, rows: 1, u0: v, settings }, false).ys.reduce((acc, y, j) => acc + (y[0] - data[j][0]) ** 2 + (y[1] - data[j][1]) ** 2, 0);
      return (l(up) - l(down)) / 2e-6;
    });
    assert.ok(relErr(du0, fdU) < 1e-6, `${method}: ∂L/∂u0`);
  }
  field.dispose();
});

test("the adjoint's memory stays flat as the step count grows; backprop's grows", () => {
  const field = denseField({ sizes: [2, 16, 2], inputPower: 3, seed: 1 });
  const net = field.toMlp64();
  const u0 = Float64Array.from([2, 0]);
  const seeds = saveat.map(() => Float64Array.from([1, -1]));
  const stored = (rtol: number) => {
    const settings = resolveSettings([0, 1.5], { saveat, rtol, atol: rtol * 1e-2 });
    const fwdRec = forwardFast({ net, rows: 1, u0, settings }, true);
    const fwd = forwardFast({ net, rows: 1, u0, settings }, false);
    // The adjoint runs from a forward pass that kept no tape: only the saveat states survive it.
    assert.equal(fwd.steps, null);
    return { steps: fwd.accepted, backprop: backpropFast({ net, rows: 1, u0, settings }, fwdRec, seeds).storedValues, adjoint: adjointFast({ net, rows: 1, u0, settings }, fwd, seeds).storedValues };
  };
  const loose = stored(1e-4);
  const tight = stored(1e-10);
  assert.ok(tight.steps > 4 * loose.steps, `steps ${loose.steps} → ${tight.steps}`);
  assert.ok(tight.backprop > 4 * loose.backprop, "backprop keeps every step");
  assert.equal(tight.adjoint, loose.adjoint, "the adjoint keeps only the outputs");

  // The same on the tensor path, measured as tfjs's peak memory during the gradient computation.
  const data = tf.tensor(truth);
  // Fixed Euler steps make the step count exact: 15 against 150.
  const peak = (sensitivity: "backprop" | "adjoint", dt: number) => {
    const node = new NeuralODE(field, { tspan: [0, 1.5], saveat, method: "euler", dt, sensitivity, fastPath: false });
    let steps = 0;
    const info = tf.profile(() => {
      const r = node.lossAndGradients([2, 0], (pred) => tf.sum(tf.squaredDifference(pred, data)));
      steps = r.stats.steps;
      tf.dispose(r.grads);
    });
    return info.then((p) => ({ peak: p.peakBytes, steps }));
  };
  return (async () => {
    const bLoose = await peak("backprop", 0.1);
    const bTight = await peak("backprop", 0.01);
    const aLoose = await peak("adjoint", 0.1);
    const aTight = await peak("adjoint", 0.01);
    assert.deepEqual([bLoose.steps, bTight.steps], [15, 150]);
    assert.ok(bTight.peak > 5 * bLoose.peak, `backprop peak ${bLoose.peak} → ${bTight.peak} bytes`);
    assert.ok(aTight.peak < 1.5 * aLoose.peak, `adjoint peak ${aLoose.peak} → ${aTight.peak} bytes`);
    data.dispose();
    field.dispose();
  })();
});

test("the parameter count does not depend on the number of steps (O(1) against a ResNet's O(L))", () => {
  const field = denseField({ sizes: [2, 50, 2], inputPower: 3 });
  assert.equal(field.parameterCount, 2 * 50 + 50 + 50 * 2 + 2);
  const counts = [0.5, 0.1, 0.01].map((dt) => {
    const node = new NeuralODE(field, { tspan: [0, 1.5], method: "euler", dt });
    const steps = node.lossAndGradients([2, 0], (p) => tf.sum(p)).stats.steps;
    return { steps, params: node.parameterCount };
  });
  assert.deepEqual(counts.map((c) => c.steps), [3, 15, 150]);
  assert.ok(counts.every((c) => c.params === field.parameterCount));
  // A ResNet with one residual block per Euler step has its own field in every block: L times the weights.
  for (const L of [15, 150]) {
    const resnet = residualMlp({ inputs: 2, hidden: 50, blocks: L, seed: 0 });
    assert.equal(resnet.countParams(), L * field.parameterCount, `ResNet with ${L} blocks`);
    resnet.dispose();
  }
  field.dispose();
});

test("predict handles one state and a batch; the batch matches separate solves", () => {
  const field = denseField({ sizes: [2, 10, 2], seed: 2 });
  const node = new NeuralODE(field, { tspan: [0, 1], saveat: [0.5, 1], rtol: 1e-8, atol: 1e-10 });
  const one = node.predict([1, 0]);
  const other = node.predict([0, 1]);
  const both = node.predict([[1, 0], [0, 1]]);
  assert.deepEqual(one.shape, [2, 2]);
  assert.deepEqual(both.shape, [2, 2, 2]);
  const b = both.arraySync() as number[][][];
  assert.ok(relErr(b.map((r) => r[0]).flat(), one.dataSync()) < 1e-6);
  assert.ok(relErr(b.map((r) => r[1]).flat(), other.dataSync()) < 1e-6);
  // the generic tensor path predicts the same thing
  const generic = new NeuralODE(field, { tspan: [0, 1], saveat: [0.5, 1], rtol: 1e-6, fastPath: false }).predict([1, 0]);
  assert.ok(relErr(generic.dataSync(), one.dataSync()) < 1e-5);
  tf.dispose([one, other, both, generic]);
  field.dispose();
});

test("training on the spiral lowers the loss like the reference libraries, without leaking tensors", async () => {
  const data = spiralData();
  assert.equal(data.t.length, 16);
  assert.equal(data.t[15], 1.5);
  assert.deepEqual(data.u[0], [2, 0]);
  for (const sensitivity of ["backprop", "adjoint"] as const) {
    const field = denseField({ sizes: [2, 50, 2], inputPower: 3, seed: 0 });
    const node = new NeuralODE(field, { tspan: data.tspan, saveat: data.t, rtol: 1e-7, atol: 1e-9, sensitivity });
    const r = await trainNeuralODE(node, data.u0, data.u, { epochs: 25, learningRate: 0.1 });
    // torchdiffeq measured 140 → 40 (×0.29) over 25 epochs with its own init; we expect a comparable fall.
    assert.ok(r.lossHistory[24] < 0.4 * r.lossHistory[0], `${sensitivity}: ${r.lossHistory[0]} → ${r.lossHistory[24]}`);
    field.dispose();
  }
  // numTensors after 200 epochs equals numTensors after 1 epoch
  const field = denseField({ sizes: [2, 20, 2], inputPower: 3, seed: 1 });
  const node = new NeuralODE(field, { tspan: data.tspan, saveat: data.t, rtol: 1e-5 });
  const optimizer = tf.train.adam(0.01);
  await trainNeuralODE(node, data.u0, data.u, { epochs: 1, optimizer });
  const afterOne = tf.memory().numTensors;
  await trainNeuralODE(node, data.u0, data.u, { epochs: 199, optimizer });
  assert.equal(tf.memory().numTensors, afterOne);
  // and the generic path
  const generic = new NeuralODE(field, { tspan: data.tspan, saveat: data.t, rtol: 1e-4, fastPath: false, sensitivity: "adjoint" });
  await trainNeuralODE(generic, data.u0, data.u, { epochs: 1, optimizer });
  const afterGeneric = tf.memory().numTensors;
  await trainNeuralODE(generic, data.u0, data.u, { epochs: 5, optimizer });
  assert.equal(tf.memory().numTensors, afterGeneric);
  optimizer.dispose();
  field.dispose();
});

test("the Lotka-Volterra data: the lecture's defaults, and the conserved quantity holds at every sample", () => {
  const data = lotkaVolterraData();
  assert.deepEqual(data.tspan, [0, 10]);
  assert.deepEqual(data.u0, [1, 1]);
  assert.equal(data.t.length, 100);
  assert.deepEqual(data.u[0], [1, 1]);
  // x' = αx − βxy, y' = γxy − δy keeps V = γx − δ ln x + βy − α ln y constant; (α, β, δ, γ) = (1.5, 1, 3, 1).
  const V = ([x, y]: number[]) => x - 3 * Math.log(x) + y - 1.5 * Math.log(y);
  for (const u of data.u) assert.ok(Math.abs(V(u) - V(data.u0)) < 1e-5, `V drifted to ${V(u)} from ${V(data.u0)}`);
});

test("training stops on stopWhen and on a callback returning false", async () => {
  const data = lotkaVolterraData({ samples: 20, tspan: [0, 2] });
  assert.equal(data.t.length, 20);
  const field = denseField({ sizes: [2, 16, 2], seed: 0 });
  const node = new NeuralODE(field, { tspan: data.tspan, saveat: data.t, rtol: 1e-5 });
  const byLoss = await trainNeuralODE(node, data.u0, data.u, { epochs: 50, learningRate: 0.01, stopWhen: ({ epoch }) => epoch === 7 });
  assert.equal(byLoss.epochs, 7);
  assert.ok(byLoss.stoppedEarly);
  assert.equal(byLoss.stoppedBy, "stopWhen");
  const byTarget = await trainNeuralODE(node, data.u0, data.u, { epochs: 50, learningRate: 0.01, targetLoss: Infinity });
  assert.deepEqual([byTarget.epochs, byTarget.stoppedBy], [1, "targetLoss"]);
  const seen: number[] = [];
  const byCallback = await trainNeuralODE(node, data.u0, data.u, { epochs: 50, callbackEvery: 4, callback: ({ epoch }) => (seen.push(epoch), epoch < 12) });
  assert.deepEqual(seen, [4, 8, 12]);
  assert.equal(byCallback.epochs, 12);
  const events: string[] = [];
  await trainNeuralODE(node, data.u0, data.u, {
    epochs: 3,
    progress: { start: (n) => events.push(`start ${n}`), update: (e) => events.push(`update ${e.epoch}`), stop: () => events.push("stop") },
  });
  assert.deepEqual(events, ["start 3", "update 1", "update 2", "update 3", "stop"]);
  field.dispose();
});

test("a dense field frees everything it allocated when disposed", () => {
  const before = tf.memory().numTensors;
  denseField({ sizes: [2, 8, 8, 2], seed: 1 }).dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("bad input to the neural ODE names the argument", async () => {
  assert.throws(() => denseField({ sizes: [2, 50, 3] }), /first and last widths must match/);
  assert.throws(() => denseField({ sizes: [2, 5, 2], activation: "swish" as never }), /activation must be/);
  const field = denseField({ sizes: [2, 4, 2] });
  assert.throws(() => new NeuralODE(field, { tspan: [0, 1], sensitivity: "reverse" as never }), /sensitivity must be "backprop" or "adjoint"/);
  assert.throws(() => new NeuralODE(field, { tspan: [0, 1], saveat: [2] }), /saveat\[0\] = 2 lies outside tspan/);
  const node = new NeuralODE(field, { tspan: [0, 1], saveat: linspace(0, 1, 5) });
  assert.throws(() => node.predict([1, 2, 3]), /u0 must have shape \[2\] or \[B, 2\]/);
  await assert.rejects(trainNeuralODE(node, [1, 0], [[1, 0]], { epochs: 2 }), /data has shape \[1,2\] but the prediction will have shape \[5,2\]/);
  await assert.rejects(trainNeuralODE(node, [1, 0], [[1, 0]], { epochs: 2, lr: 0.1 } as never), /options.lr is not a trainNeuralODE option; known options: epochs, learningRate/);
  await assert.rejects(trainNeuralODE(node, [1, 0], [[1, 0]], { epochs: 2, targetLoss: -1 }), /options.targetLoss must be a number ≥ 0/);
  field.dispose();
});
