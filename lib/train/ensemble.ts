/**
 * Many seeds of one small network trained at once, for honest convergence surveys.
 *
 * Why: a survey needs a fresh initialisation per trial and many trials, and runs that never converge
 * go all the way to the epoch cap (10 000 for the lecture's y = x fit). tfjs costs microseconds per
 * kernel whatever the tensor size, so a 1-unit network costs the same as S of them stacked along a
 * leading "seed" axis. Every weight here has that axis — a Dense kernel is [S, in, out] and the layer
 * is a batched matMul — and the summed loss Σ_s MSE_s gives each member exactly its own gradient;
 * Adam is elementwise, so each member follows the trajectory its solo run would. Each member also
 * draws its mini-batches from its own seeded shuffle, the one {@link fit} uses for that seed. A test
 * checks the members against solo `fit` runs.
 *
 * Supported models: chains of Dense layers and additive SkipConnections around chains of Dense
 * layers (what `chain`, `dense`, `skip`, `lectureDense` and `lectureResNet` build).
 *
 * @module
 */
import { tf } from "../tf/backend";
import { ACTIVATIONS, applyActivation } from "../tf/activations";
import { mulberry32, shuffleInPlace } from "../tf/random";
import { SkipConnection } from "../nn/skip-connection";
import { FlatAdam } from "./adam";

type Node = { kind: "dense"; W: tf.Variable; b: tf.Variable; activation: string } | { kind: "skip"; inner: Node[] };

/** Options of {@link trainSeedEnsemble}. */
export interface SeedEnsembleOptions {
  /** Builds the model for one seed (weights and shuffle both follow the seed), e.g. `lectureResNet`. */
  build: (seed: number) => tf.LayersModel;
  /** One member per seed. */
  seeds: readonly number[];
  /** Inputs, one row per sample (one feature: plain numbers allowed). */
  x: readonly (readonly number[])[] | readonly number[];
  y: readonly (readonly number[])[] | readonly number[];
  /** Epoch cap. Default 10 000, the lecture's. */
  epochs?: number;
  /** Default 8, the lecture's `DataLoader(batchsize = 8)`. */
  batchSize?: number;
  /** Adam step size. Default 1e-3 (Flux's `Adam()`). */
  learningRate?: number;
  /** A member has converged at the first epoch its full-data MSE falls below this. Default 0.01. */
  targetLoss?: number;
  /** Record the full-data loss of every member every this many epochs (for loss curves). Default 10. */
  recordEvery?: number;
}

/** Frozen defaults of {@link SeedEnsembleOptions}. */
export const DEFAULT_SEED_ENSEMBLE = Object.freeze({ epochs: 10_000, batchSize: 8, learningRate: 1e-3, targetLoss: 0.01, recordEvery: 10 });

/** Outcome per member. */
export interface SeedOutcome {
  seed: number;
  /** First epoch with full-data MSE below the target, or null if the cap came first. */
  convergedAt: number | null;
  /** Full-data MSE at that epoch (or at the end). */
  finalLoss: number;
  /** `[epoch, loss]` every `recordEvery` epochs, up to convergence. */
  curve: [number, number][];
}

/** Trains one member per seed until every member converged or the cap is reached. */
export async function trainSeedEnsemble(options: SeedEnsembleOptions): Promise<{ outcomes: SeedOutcome[]; epochsRun: number; ms: number }> {
  const o = { ...DEFAULT_SEED_ENSEMBLE, ...options };
  const S = o.seeds.length;
  if (S === 0) throw new Error("seeds is empty; give at least one seed");
  const rows = (d: typeof o.x) => (d as readonly (number | readonly number[])[]).map((r) => (Array.isArray(r) ? (r as number[]) : [r as number]));
  const xs = rows(o.x);
  const ys = rows(o.y);
  const n = xs.length;
  if (ys.length !== n) throw new Error(`x has ${n} samples but y has ${ys.length}`);
  const started = performance.now();

  const models = o.seeds.map((seed) => o.build(seed));
  const graph = stack(models.map((m) => m.layers));
  models.forEach((m) => m.dispose());
  const vars = collect(graph);
  const adam = new FlatAdam(vars, { learningRate: o.learningRate });
  const xAll = tf.tensor3d(o.seeds.map(() => xs));
  const yAll = tf.tensor3d(o.seeds.map(() => ys));
  const orders = o.seeds.map(() => Int32Array.from({ length: n }, (_, i) => i));
  const rngs = o.seeds.map((seed) => mulberry32(seed));
  const outcomes: SeedOutcome[] = o.seeds.map((seed) => ({ seed, convergedAt: null, finalLoss: NaN, curve: [] }));
  let epoch = 0;
  try {
    let lastYield = performance.now();
    while (epoch < o.epochs && outcomes.some((r) => r.convergedAt === null)) {
      epoch++;
      orders.forEach((order, s) => shuffleInPlace(order, rngs[s]));
      for (let start = 0; start < n; start += o.batchSize) {
        const size = Math.min(o.batchSize, n - start);
        const xb = o.seeds.map((_, s) => Array.from(orders[s].subarray(start, start + size), (i) => xs[i]));
        const yb = o.seeds.map((_, s) => Array.from(orders[s].subarray(start, start + size), (i) => ys[i]));
        tf.tidy(() => {
          const [xt, yt] = [tf.tensor3d(xb), tf.tensor3d(yb)];
          // Σ_s mean over member s's batch: each member's gradient is that of its own MSE.
          const { grads } = tf.variableGrads(() => tf.sum(tf.mean(tf.squaredDifference(forward(graph, xt), yt), [1, 2])), vars);
          adam.apply(vars.map((v) => grads[v.name]));
        });
      }
      const lossTensor = tf.tidy(() => tf.mean(tf.squaredDifference(forward(graph, xAll), yAll), [1, 2]));
      const losses = lossTensor.dataSync() as Float32Array;
      lossTensor.dispose();
      outcomes.forEach((r, s) => {
        if (r.convergedAt !== null) return;
        r.finalLoss = losses[s];
        if (epoch % o.recordEvery === 0 || epoch === 1) r.curve.push([epoch, losses[s]]);
        if (losses[s] < o.targetLoss) {
          r.convergedAt = epoch;
          r.curve.push([epoch, losses[s]]);
        }
      });
      if (performance.now() - lastYield > 100) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
  } finally {
    adam.dispose();
    tf.dispose([xAll, yAll, ...vars]);
  }
  return { outcomes, epochsRun: epoch, ms: performance.now() - started };
}

/** Stacks the same layer structure of S models into one graph whose weights carry a seed axis. */
function stack(layerLists: tf.layers.Layer[][]): Node[] {
  return layerLists[0].map((layer, i) => {
    const peers = layerLists.map((ls) => ls[i]);
    if (layer instanceof SkipConnection) {
      if (layer.combine !== "add") throw new Error("trainSeedEnsemble: only additive SkipConnections are supported");
      return { kind: "skip", inner: stack(peers.map((p) => (p as SkipConnection).inner.layers)) };
    }
    if (layer.getClassName() !== "Dense") throw new Error(`trainSeedEnsemble: layer '${layer.name}' is a ${layer.getClassName()}; only Dense and SkipConnection are supported`);
    const config = layer.getConfig() as { activation?: string; useBias?: boolean };
    if (config.useBias === false) throw new Error("trainSeedEnsemble: Dense layers without bias are not supported");
    const activation = config.activation ?? "linear";
    if (!(ACTIVATIONS as readonly string[]).includes(activation)) {
      throw new Error(`trainSeedEnsemble: activation '${activation}' is not supported; use one of ${ACTIVATIONS.join(", ")}`);
    }
    const weights = peers.map((p) => p.getWeights());
    const W = toVariable(tf.tidy(() => tf.stack(weights.map(([k]) => k))));
    const b = toVariable(tf.tidy(() => tf.stack(weights.map(([, bias]) => bias.expandDims(0)))));
    return { kind: "dense", W, b, activation };
  });
}

/** tf.variable copies its initial value rather than adopting it, so the value is freed here. */
function toVariable(value: tf.Tensor): tf.Variable {
  const variable = tf.variable(value);
  value.dispose();
  return variable;
}

function collect(nodes: Node[]): tf.Variable[] {
  return nodes.flatMap((node) => (node.kind === "dense" ? [node.W, node.b] : collect(node.inner)));
}

function forward(nodes: Node[], x: tf.Tensor): tf.Tensor {
  return nodes.reduce((h, node) => {
    if (node.kind === "skip") return tf.add(forward(node.inner, h), h);
    return applyActivation(node.activation, tf.add(tf.matMul(h as tf.Tensor3D, node.W as tf.Tensor as tf.Tensor3D), node.b));
  }, x);
}
