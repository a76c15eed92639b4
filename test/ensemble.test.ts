// The seed ensemble must train each member exactly as a solo `fit` run with that seed would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf, fit, identityData, lectureDense, lectureResNet, chain, dense } from "../lib";
import { trainSeedEnsemble } from "../lib/train/ensemble";

test("each ensemble member follows its solo fit run (same init, shuffle, Adam)", async () => {
  const { x, y } = identityData();
  for (const build of [lectureResNet, lectureDense]) {
    const seeds = [3, 11];
    const before = tf.memory().numTensors;
    const ens = await trainSeedEnsemble({ build, seeds, x, y, epochs: 40, recordEvery: 1, targetLoss: -1 });
    assert.equal(tf.memory().numTensors, before, "no tensors left behind");
    for (const [i, seed] of seeds.entries()) {
      const model = build(seed);
      const solo = await fit(model, x, y, { epochs: 40, seed, progress: false });
      model.dispose();
      const curve = ens.outcomes[i].curve;
      assert.equal(curve.length, 40);
      for (const [epoch, loss] of curve) {
        const ref = solo.history[epoch - 1];
        assert.ok(Math.abs(loss - ref) <= 1e-5 * Math.max(1, ref), `${build.name} seed ${seed} epoch ${epoch}: ${loss} vs ${ref}`);
      }
    }
    // Different seeds really are different runs.
    assert.notEqual(ens.outcomes[0].finalLoss, ens.outcomes[1].finalLoss);
  }
});

test("members stop counting at their first epoch below the target; unsupported layers are refused", async () => {
  const { x, y } = identityData();
  const r = await trainSeedEnsemble({ build: lectureResNet, seeds: [0, 3], x, y, epochs: 700 });
  // Seed 0 of the lecture's ResNet reaches MSE < 0.01 at epoch 598 (also in test/train.test.ts via fit).
  assert.equal(r.outcomes[0].convergedAt, 598);
  assert.ok(r.outcomes[0].finalLoss < 0.01);
  assert.ok(r.outcomes.every((o) => o.convergedAt === null || o.curve.at(-1)![0] === o.convergedAt));
  await assert.rejects(trainSeedEnsemble({ build: (s) => chain(dense(1, 1, "elu"), { seed: s }), seeds: [1], x, y, epochs: 1 }), /activation 'elu' is not supported/);
  await assert.rejects(trainSeedEnsemble({ build: lectureResNet, seeds: [], x, y }), /seeds is empty/);
});
