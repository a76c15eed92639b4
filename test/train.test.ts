/** Training helpers: fit (batches, Adam, stop rules, callbacks), progress reporters, no tensor leaks. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../lib/tf/backend";
import { chain, dense } from "../lib/nn/chain";
import { identityData, lectureDense, lectureResNet } from "../lib/nn/resnet";
import { fit } from "../lib/train/fit";
import { FlatAdam } from "../lib/train/adam";
import { mse, sse } from "../lib/train/losses";
import { LogProgress, NotebookProgress, TerminalProgress, resolveProgress } from "../lib/train/progress";
import type { ProgressEvent, ProgressReporter } from "../lib/train/reporter";
import type { DisplayBundle } from "../lib/notebook";

const LINE = { x: [-2, -1, 0, 1, 2, 3].map((v) => [v]), y: [-2, -1, 0, 1, 2, 3].map((v) => [2 * v + 1]) };

test("mse is the mean and sse the sum of squared errors, element by element", () => {
  const a = [[1, 2], [3, -4]], b = [[0.5, 2], [1, 0]];
  const squares = a.flat().map((v, i) => (v - b.flat()[i]) ** 2);
  const sum = squares.reduce((s, v) => s + v, 0);
  const [pred, truth] = [tf.tensor2d(a), tf.tensor2d(b)];
  const [m, s] = [mse(pred, truth), sse(pred, truth)];
  assert.ok(Math.abs(s.dataSync()[0] - sum) < 1e-5, `sse ${s.dataSync()[0]} ≠ ${sum}`);
  assert.ok(Math.abs(m.dataSync()[0] - sum / squares.length) < 1e-5, `mse ${m.dataSync()[0]} ≠ ${sum / squares.length}`);
  tf.dispose([pred, truth, m, s]);
});

test("fit reduces the loss of a linear fit (y = 2x + 1)", async () => {
  const m = chain(dense(1, 1), { seed: 1 });
  const r = await fit(m, LINE.x, LINE.y, { epochs: 300, learningRate: 0.05, seed: 1, progress: false });
  assert.equal(r.epochs, 300);
  assert.equal(r.history.length, 300);
  assert.ok(r.loss < r.initialLoss / 100, `loss ${r.initialLoss} → ${r.loss}`);
  const [w, b] = m.getWeights().map((t) => t.dataSync()[0]);
  assert.ok(Math.abs(w - 2) < 0.05 && Math.abs(b - 1) < 0.1, `w = ${w}, b = ${b}`);
});

test("the lecture's y = x: the ResNet reaches MSE < 0.01, the dense chain with the same cap does not", async () => {
  // Seed 0 is typical, not lucky: over seeds 0–19 (model and shuffle seed equal) the ResNet converged
  // 20/20, in 84–1545 epochs (median ~670; PyTorch ~700); seed 0 takes 598. The dense chain converged
  // 0/20 in 10 000 epochs (as in PyTorch), stalling at MSE 0.10–0.17. A 10 000-epoch dense run takes
  // ~10 s, so the test uses the same cap of 1500 for both (2.5× what seed 0 needs): there the dense
  // chain is still at MSE of a few units, far from the target it never reaches anyway.
  const { x, y } = identityData();
  const options = { epochs: 1500, batchSize: 8, learningRate: 1e-3, targetLoss: 0.01, seed: 0, progress: false } as const;
  const res = await fit(lectureResNet(0), x, y, options);
  assert.ok(res.converged, `ResNet: MSE ${res.loss} after ${res.epochs} epochs`);
  assert.equal(res.stoppedBy, "targetLoss");
  assert.ok(res.loss < 0.01 && res.history.slice(0, -1).every((l) => l >= 0.01), "stops at the first epoch below the target");
  const den = await fit(lectureDense(0), x, y, options);
  assert.equal(den.converged, false);
  assert.equal(den.epochs, 1500);
  assert.ok(den.loss > 0.1, `dense chain: MSE ${den.loss}`);
});

test("batches follow DataLoader(batchsize=8, shuffle=true): 8, 8, 5, each epoch a permutation, seeded", async () => {
  const run = async (seed: number, shuffle = true) => {
    const seen: number[][] = [];
    const spy = (yPred: tf.Tensor, yTrue: tf.Tensor) => {
      seen.push(Array.from(yTrue.dataSync()));
      return mse(yPred, yTrue);
    };
    const ids = Array.from({ length: 21 }, (_, i) => i);
    const r = await fit(lectureDense(1), ids, ids, { epochs: 3, loss: spy, seed, shuffle, progress: false });
    return { r, seen: seen.slice(1) }; // the first call is the initial full-data loss
  };
  const { r, seen } = await run(5);
  assert.equal(r.steps, 9);
  assert.deepEqual(seen.map((s) => s.length), [8, 8, 5, 21, 8, 8, 5, 21, 8, 8, 5, 21]);
  for (let e = 0; e < 3; e++) {
    const epoch = seen.slice(4 * e, 4 * e + 3).flat();
    assert.deepEqual([...epoch].sort((a, b) => a - b), Array.from({ length: 21 }, (_, i) => i), `epoch ${e + 1} covers every sample once`);
  }
  assert.notDeepEqual(seen[0], seen[4], "reshuffled every epoch");
  assert.deepEqual((await run(5)).seen, seen, "same seed, same batches");
  assert.notDeepEqual((await run(6)).seen, seen, "another seed, other batches");
  assert.deepEqual((await run(5, false)).seen[0], [0, 1, 2, 3, 4, 5, 6, 7], "shuffle: false keeps the order");
  assert.equal(r.seed, 5);
});

test("same model seed and shuffle seed reproduce the loss history exactly", async () => {
  const { x, y } = identityData();
  const a = await fit(lectureResNet(4), x, y, { epochs: 20, seed: 9, progress: false });
  const b = await fit(lectureResNet(4), x, y, { epochs: 20, seed: a.seed, progress: false });
  assert.deepEqual(b.history, a.history);
});

test("stopWhen and targetLoss stop at the right epoch", async () => {
  const { x, y } = identityData();
  const r = await fit(lectureDense(2), x, y, { epochs: 50, stopWhen: ({ epoch }) => epoch === 7, progress: false });
  assert.deepEqual([r.epochs, r.converged, r.stoppedBy], [7, true, "stopWhen"]);
  const first = (await fit(lectureDense(2), x, y, { epochs: 5, seed: 1, progress: false })).history;
  const target = (first[2] + first[3]) / 2; // reached between epochs 3 and 4 (the loss is falling)
  assert.ok(first[3] < first[2]);
  const t = await fit(lectureDense(2), x, y, { epochs: 5, seed: 1, targetLoss: target, progress: false });
  assert.deepEqual([t.epochs, t.converged, t.stoppedBy], [4, true, "targetLoss"]);
});

test("the callback runs every N epochs and stops training by returning false", async () => {
  const { x, y } = identityData();
  const calls: number[] = [];
  const r = await fit(lectureDense(3), x, y, {
    epochs: 100, callbackEvery: 4, progress: false,
    callback: ({ epoch, loss }) => {
      calls.push(epoch);
      assert.ok(Number.isFinite(loss));
      if (epoch === 12) return false; // stops
      return epoch === 4 ? undefined : true; // both go on
    },
  });
  assert.deepEqual(calls, [4, 8, 12]);
  assert.deepEqual([r.epochs, r.converged, r.stoppedBy], [12, false, "callback"]);
});

/** Records every reporter call. */
function recorder(): ProgressReporter & { calls: string[]; events: ProgressEvent[] } {
  const calls: string[] = [];
  const events: ProgressEvent[] = [];
  return {
    calls, events,
    start: (n) => void calls.push(`start ${n}`),
    update: (e) => void (calls.push("update"), events.push(e)),
    stop: () => void calls.push("stop"),
  };
}

test("a ProgressReporter gets start, one update per epoch in order, then stop — also on error", async () => {
  const { x, y } = identityData();
  const rec = recorder();
  const r = await fit(lectureDense(1), x, y, { epochs: 6, progress: rec });
  assert.deepEqual(rec.calls, ["start 6", ...Array(6).fill("update"), "stop"]);
  assert.deepEqual(rec.events.map((e) => e.epoch), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(rec.events.map((e) => e.loss), r.history);
  assert.ok(rec.events.every((e) => e.epochs === 6));

  const failing = recorder();
  const boom = () => { throw new Error("boom"); };
  await assert.rejects(fit(lectureDense(1), x, y, { epochs: 6, progress: failing, stopWhen: boom }), /boom/);
  assert.deepEqual(failing.calls, ["start 6", "update", "stop"]);
});

test("no tensor leaks: the count after 200 epochs equals that after 1 epoch and before fit", async () => {
  const { x, y } = identityData();
  const m = lectureResNet(1);
  const before = tf.memory().numTensors;
  await fit(m, x, y, { epochs: 1, progress: false });
  const after1 = tf.memory().numTensors;
  await fit(m, tf.tensor2d(x), tf.tensor2d(y), { epochs: 200, progress: false }).then(() => undefined);
  const after200 = tf.memory().numTensors - 2; // the two tensors this test passed in are the caller's
  assert.equal(after1, before);
  assert.equal(after200, after1);
  await assert.rejects(fit(m, x, [[1]], { progress: false }), /x has 21 samples but y has 1/);
  assert.equal(tf.memory().numTensors - 2, before, "a failed call frees what it allocated");
});

test("flat Adam matches tfjs's per-variable Adam", () => {
  const make = () => chain(dense(1, 3, "tanh"), dense(3, 1), { seed: 4 });
  const [a, b] = [make(), make()];
  const x = tf.tensor2d([[-1], [0.5], [2]]);
  const y = tf.tensor2d([[1], [0], [-1]]);
  const varsA = a.trainableWeights.map((w) => w.read() as tf.Variable);
  const varsB = b.trainableWeights.map((w) => w.read() as tf.Variable);
  const flat = new FlatAdam(varsA, { learningRate: 0.01, epsilon: 1e-7 });
  const ref: tf.Optimizer = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
  for (let i = 0; i < 10; i++) {
    tf.tidy(() => flat.apply(varsA.map((v) => tf.variableGrads(() => mse(a.apply(x) as tf.Tensor, y), varsA).grads[v.name])));
    tf.tidy(() => ref.applyGradients(tf.variableGrads(() => mse(b.apply(x) as tf.Tensor, y), varsB).grads));
  }
  const wa = a.getWeights().flatMap((t) => Array.from(t.dataSync()));
  const wb = b.getWeights().flatMap((t) => Array.from(t.dataSync()));
  const start = make().getWeights().flatMap((t) => Array.from(t.dataSync()));
  assert.ok(wa.some((v, i) => Math.abs(v - start[i]) > 0.05), "the weights must have moved");
  wa.forEach((v, i) => assert.ok(Math.abs(v - wb[i]) < 1e-5, `weight ${i}: ${v} vs ${wb[i]}`));
  flat.dispose();
  ref.dispose();
  [x, y].forEach((t) => t.dispose());
});

test("options are validated with the field name and a fix", async () => {
  const { x, y } = identityData();
  const m = lectureDense(1);
  await assert.rejects(fit(m, x, y, { epoch: 5 } as never), /fit: options\.epoch is not a fit option; did you mean "epochs"\? Known options: epochs, batchSize/);
  await assert.rejects(fit(m, x, y, { batchSize: 0 }), /fit: options\.batchSize must be a positive integer such as 8, got the number 0/);
  await assert.rejects(fit(m, x, y, { learningRate: -1 }), /options\.learningRate must be a positive number/);
  await assert.rejects(fit(m, x, y, { loss: "mae" as never }), /options\.loss must be "mse", "sse" or a function/);
  await assert.rejects(fit(m, x, y, { progress: 3 as never }), /options\.progress must be/);
  await assert.rejects(fit(m, x, x.map((r) => [r[0], r[0]]), { progress: false }), /maps x \[21,1\] to \[21,1\], but y has shape \[21,2\]/);
});

test("progress 'auto' picks the notebook line in tslab, a bar on a TTY, nothing otherwise", () => {
  assert.equal(resolveProgress("auto", false), null);
  assert.equal(resolveProgress(false, true), null);
  assert.ok(resolveProgress("auto", true) instanceof TerminalProgress);
  assert.ok(resolveProgress(true, false) instanceof LogProgress);
  const mine = recorder();
  assert.equal(resolveProgress(mine), mine);
  const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
  jupyter.lastWriteDisplayData = () => undefined; // what a running tslab kernel installs
  try {
    assert.ok(resolveProgress("auto", false) instanceof NotebookProgress);
  } finally {
    jupyter.lastWriteDisplayData = null;
  }
});

test("the notebook line is one display, created once and then updated in place (throttled)", () => {
  const sent: { bundle: DisplayBundle; update: boolean }[] = [];
  const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
  jupyter.lastWriteDisplayData = (bundle: DisplayBundle, update: boolean) => void sent.push({ bundle, update });
  try {
    const p = new NotebookProgress(1e9); // no time-based updates in between
    p.start(100);
    for (let epoch = 1; epoch <= 40; epoch++) p.update({ epoch, epochs: 100, loss: 1 / epoch });
    p.stop();
  } finally {
    jupyter.lastWriteDisplayData = null;
  }
  assert.deepEqual(sent.map((s) => s.update), [false, true]);
  const id = sent[0].bundle.transient?.display_id;
  assert.ok(id && sent.every((s) => s.bundle.transient?.display_id === id));
  assert.match(String(sent[1].bundle.data["text/plain"]), /^done: epoch 40\/100 · loss 0\.02500/);
  assert.match(String(sent[1].bundle.data["text/html"]), /<progress value="40" max="100"/);
});

test("the log reporter writes about one line per tenth of the run", () => {
  const lines: string[] = [];
  const p = new LogProgress((l) => void lines.push(l));
  p.start(1000);
  for (let epoch = 1; epoch <= 1000; epoch++) p.update({ epoch, epochs: 1000, loss: 1 });
  p.stop();
  assert.ok(lines.length >= 10 && lines.length <= 12, lines.join("\n"));
  assert.match(lines[lines.length - 1], /^done: epoch 1000\/1000/);
});
