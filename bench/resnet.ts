/**
 * The lecture's y = x fit: µs per training step for the dense chain and the ResNet, and how many
 * epochs the ResNet needs to reach MSE < 0.01.
 *
 * Unlike the lecture's Julia benchmark (which re-trains an already trained model, so it times an
 * early exit), every run here starts from fresh seeded weights.
 * - µs/step: tinybench median of one training step (forward, backward, Adam) on a batch of 8;
 *   medians, because the shared machine's load spikes inflate means.
 * - ms/epoch: `fit` over a fixed number of epochs with no stop rule: three steps, batch assembly and
 *   the per-epoch full-data MSE the lecture's loop checks.
 */
import { Bench } from "tinybench";
import { tf, backendInfo } from "../lib/tf/backend";
import { identityData, lectureDense, lectureResNet } from "../lib/nn/resnet";
import { fit } from "../lib/train/fit";
import { makeTrainStep } from "../lib/train/step";

const MODELS = { dense: lectureDense, resnet: lectureResNet } as const;
const TIMED_EPOCHS = 300;
const CONVERGENCE_SEEDS = [0, 1, 2, 3, 4];
const CAP = 10_000;

/** Benchmark entry point (`npm run bench -- resnet [--json]`). */
export async function run(json: boolean): Promise<void> {
  const { x, y } = identityData();
  if (!json) console.log(`resnet: lecture y = x, 21 points, batch 8, Adam 1e-3 — ${backendInfo().description}`);
  for (const [name, build] of Object.entries(MODELS)) {
    const model = build(1);
    const step = makeTrainStep(model);
    const xb = tf.tensor2d(x.slice(0, 8));
    const bench = new Bench({ time: 1500, warmupTime: 300, throws: true });
    bench.add(name, () => step.run(xb, xb));
    await bench.run();
    step.dispose();
    xb.dispose();
    const latency = bench.tasks[0].result.state === "completed" ? bench.tasks[0].result.latency : null;
    if (!latency) throw new Error(`${name}: benchmark did not complete`);
    const r = await fit(model, x, y, { epochs: TIMED_EPOCHS, seed: 2, progress: false });
    model.dispose();
    const row = { bench: "resnet", model: name, usPerStep: latency.p50 * 1000, usPerStepMean: latency.mean * 1000, msPerEpoch: r.ms / r.epochs };
    if (json) console.log(JSON.stringify(row));
    else console.log(`${name.padEnd(7)} ${row.usPerStep.toFixed(0).padStart(5)} µs/step (median; mean ${row.usPerStepMean.toFixed(0)})  ${row.msPerEpoch.toFixed(2)} ms/epoch`);
  }
  // Only the ResNet: the dense chain runs to the cap every time (0/20 seeds converge), ~10 s per seed.
  const epochs: number[] = [];
  for (const seed of CONVERGENCE_SEEDS) {
    const model = lectureResNet(seed);
    const r = await fit(model, x, y, { epochs: CAP, seed, targetLoss: 0.01, progress: false });
    model.dispose();
    epochs.push(r.converged ? r.epochs : Infinity);
    if (json) console.log(JSON.stringify({ bench: "resnet", model: "resnet", seed, converged: r.converged, epochs: r.epochs, ms: r.ms }));
  }
  if (!json) console.log(`resnet  epochs to MSE < 0.01, seeds ${CONVERGENCE_SEEDS.join(",")}: ${epochs.join(", ")}`);
}
