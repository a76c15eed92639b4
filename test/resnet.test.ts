/** ResNet building blocks: SkipConnection, the Flux-like builders, seeded initialisation. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../lib/tf/backend";
import { SkipConnection, skipConnection } from "../lib/nn/skip-connection";
import { chain, dense, skip } from "../lib/nn/chain";
import { lectureDense, lectureResNet, residualMlp } from "../lib/nn/resnet";
import { glorotNormal, glorotUniform } from "../lib/nn/init";

const X = [[-2], [-0.5], [0], [0.7], [3]];

function values(t: tf.Tensor | tf.Tensor[]): number[] {
  const out = Array.from((t as tf.Tensor).dataSync());
  (t as tf.Tensor).dispose();
  return out;
}

function weights(m: tf.LayersModel): number[][] {
  return m.getWeights().map((w) => Array.from(w.dataSync()));
}

test("SkipConnection output equals inner(x) + x, and [inner(x), x] with concat", () => {
  const inner = chain(dense(2, 3, "tanh"), dense(3, 2), { seed: 1 });
  const x = tf.tensor2d([[1, -1], [0.5, 2], [-3, 0]]);
  const added = tf.sequential({ layers: [skipConnection(inner)] });
  const expected = values(tf.add(inner.predict(x) as tf.Tensor, x));
  const got = values(added.predict(x));
  got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `element ${i}: ${v} vs ${expected[i]}`));
  assert.ok(expected.some((v, i) => Math.abs(v - x.dataSync()[i]) > 1e-3), "inner must not be ~0, or the test proves nothing");

  const joined = tf.sequential({ layers: [skipConnection(inner, "concat")] });
  const out = joined.predict(x) as tf.Tensor;
  assert.deepEqual(out.shape, [3, 4]);
  assert.deepEqual(values(out), values(tf.concat([inner.predict(x) as tf.Tensor, x], 1)));
  x.dispose();
});

test("the inner weights are the layer's weights: trainable, counted, frozen with it", () => {
  const m = lectureResNet(3);
  assert.equal(m.trainableWeights.length, 8);
  assert.equal(m.countParams(), 8);
  const s = m.layers[0] as SkipConnection;
  assert.ok(s instanceof SkipConnection);
  s.trainable = false;
  assert.equal(m.trainableWeights.length, 2);
  assert.equal(s.nonTrainableWeights.length, 6);
  s.trainable = true;
  assert.equal(m.trainableWeights.length, 8);
});

test("gradients reach the first layer, and d skip(x)/dx = 1 + d inner(x)/dx", () => {
  const m = lectureResNet(5);
  const x = tf.tensor2d(X);
  const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(m.apply(x) as tf.Tensor, x))), vars);
  const first = grads[vars[0].name];
  assert.ok(first, "the first layer's kernel must get a gradient");
  const g = first.dataSync()[0];
  assert.ok(Number.isFinite(g) && Math.abs(g) > 1e-6, `first-layer gradient ${g}`);
  [value, ...Object.values(grads)].forEach((t) => t.dispose());

  const s = m.layers[0] as SkipConnection;
  const dSkip = values(tf.grad((u: tf.Tensor) => tf.sum(s.apply(u) as tf.Tensor))(x));
  const dInner = values(tf.grad((u: tf.Tensor) => tf.sum(s.inner.apply(u) as tf.Tensor))(x));
  dSkip.forEach((v, i) => assert.ok(Math.abs(v - (1 + dInner[i])) < 1e-5, `row ${i}: ${v} vs 1 + ${dInner[i]}`));
  x.dispose();
});

test("getConfig → fromConfig rebuilds the same seeded network (identical predictions)", () => {
  const m = lectureResNet(11);
  const s = m.layers[0] as SkipConnection;
  const config = s.getConfig();
  const copy = SkipConnection.fromConfig(SkipConnection, structuredClone(config)) as SkipConnection;
  assert.ok(copy instanceof SkipConnection);
  assert.equal(copy.combine, "add");
  assert.notEqual(copy.inner, s.inner, "fromConfig must build a new inner model");
  assert.deepEqual(config, s.getConfig(), "fromConfig must not modify the config it is given");
  const x = tf.tensor2d(X);
  assert.deepEqual(values(copy.apply(x) as tf.Tensor), values(s.apply(x) as tf.Tensor));
  x.dispose();
});

test("model.save / tf.loadLayersModel round trip keeps class, weights and predictions", async () => {
  const m = lectureResNet(12);
  // Move the weights away from their seeded start, so only saved weights can explain a match.
  m.setWeights(m.getWeights().map((w, i) => tf.add(w, 0.1 * (i + 1))));
  let saved: tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  }));
  assert.match(JSON.stringify(saved!.modelTopology), /"class_name":"SkipConnection"/);
  assert.equal(saved!.weightSpecs?.length, 8, "the inner weights must be saved too");
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  assert.ok(loaded.layers[0] instanceof SkipConnection);
  assert.deepEqual(weights(loaded), weights(m));
  const x = tf.tensor2d(X);
  assert.deepEqual(values(loaded.predict(x)), values(m.predict(x)));
  x.dispose();
});

test("a concat block survives save / load as concat (combine is part of the config)", async () => {
  const m = chain(skip([dense(2, 3, "tanh")], "concat"), dense(5, 2), { seed: 5 });
  let saved: tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  }));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  assert.equal((loaded.layers[0] as SkipConnection).combine, "concat");
  const x = tf.tensor2d([[1, -1], [0.5, 2]]);
  assert.deepEqual(values(loaded.predict(x)), values(m.predict(x)));
  x.dispose();
});

test("same seed ⇒ identical weights; another seed or no seed ⇒ different; layers differ from each other", () => {
  assert.deepEqual(weights(lectureResNet(7)), weights(lectureResNet(7)));
  assert.deepEqual(weights(lectureDense(7)), weights(lectureDense(7)));
  assert.deepEqual(weights(residualMlp({ inputs: 2, width: 4, blocks: 2, outputs: 1, seed: 3 })), weights(residualMlp({ inputs: 2, width: 4, blocks: 2, outputs: 1, seed: 3 })));
  assert.notDeepEqual(weights(lectureResNet(7)), weights(lectureResNet(8)));
  assert.notDeepEqual(weights(lectureResNet()), weights(lectureResNet()));
  const kernels = weights(lectureDense(7)).filter((_, i) => i % 2 === 0).map((k) => k[0]);
  assert.equal(new Set(kernels).size, 4, `each layer must draw its own seed: ${kernels}`);
  assert.ok(weights(lectureDense(7)).filter((_, i) => i % 2 === 1).every((b) => b.every((v) => v === 0)), "biases start at zero");
});

test("seeded initialisers are reproducible and have Glorot's scale", () => {
  const draw = (init: ReturnType<typeof glorotUniform>) => values(init.apply([40, 60]));
  assert.deepEqual(draw(glorotUniform(5)), draw(glorotUniform(5)));
  assert.notDeepEqual(draw(glorotUniform(5)), draw(glorotUniform(6)));
  assert.deepEqual(draw(glorotNormal(5)), draw(glorotNormal(5)));
  const limit = Math.sqrt(6 / (40 + 60));
  const u = draw(glorotUniform(5));
  assert.ok(u.every((v) => Math.abs(v) <= limit) && Math.max(...u.map(Math.abs)) > 0.9 * limit);
  assert.throws(() => glorotUniform(-1), /glorotUniform\(seed\) must be an integer/);
});

test("builders read like Flux and check sizes, naming the fix", () => {
  assert.equal(String(dense(1, 1, "tanh")), "Dense(1 => 1, tanh)");
  assert.equal(String(skip([dense(1, 2, "tanh"), dense(2, 1)])), "SkipConnection(Chain(Dense(1 => 2, tanh), Dense(2 => 1)), +)");
  assert.throws(() => chain(dense(1, 3), dense(2, 1)), /layer 1 \(Dense\(2 => 1\)\) expects 2 inputs but layer 0 \(Dense\(1 => 3\)\) gives 3/);
  assert.throws(() => skip([dense(2, 3)]), /"add" needs the same size out as in/);
  assert.throws(() => chain(dense(1, 1), { sed: 1 } as never), /chain: options\.sed is not a chain option; did you mean "seed"\? Known options: seed, init, name/);
  assert.throws(() => residualMlp({ inputs: 2, blocks: 0 }), /blocks must be a positive integer/);
  assert.throws(() => new SkipConnection({ inner: tf.layers.dense({ units: 1 }) as never }), /inner must be a tf\.LayersModel/);
  const m = residualMlp({ inputs: 2, width: 8, hidden: 16, blocks: 3, outputs: 1, seed: 1 });
  assert.deepEqual(m.outputs[0].shape, [null, 1]);
  assert.equal(m.layers.filter((l) => l instanceof SkipConnection).length, 3);
  assert.equal(m.countParams(), 2 * 8 + 8 + 3 * (8 * 16 + 16 + 16 * 8 + 8) + 8 + 1);
});

test("disposing a model frees the inner weights exactly once", () => {
  const before = tf.memory().numTensors;
  const m = lectureResNet(2);
  const x = tf.tensor2d(X);
  values(m.predict(x));
  x.dispose();
  assert.equal(tf.memory().numTensors, before + 8);
  assert.equal(m.dispose().numDisposedVariables, 8);
  assert.equal(tf.memory().numTensors, before);
});
