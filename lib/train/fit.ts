/**
 * `fit`: the lecture's training loop for any tfjs LayersModel — shuffled mini-batches, Adam, and a
 * full-data loss after every epoch that drives the stop rule, the history and the progress display.
 *
 * Speed. tfjs costs a few µs per kernel whatever the tensor size, so for the lecture's 1-unit nets
 * the cost of a step is its kernel count. Counted with `tf.profile` for the 4-layer chain, batch 8:
 * `optimizer.minimize` with `tf.train.adam` and `tf.losses.meanSquaredError` runs 226 kernels
 * (~450 µs on the cpu backend); forward + backward take 107 of them (tfjs clones every input it
 * records for the backward pass), per-variable Adam 116. Here: a 2-kernel MSE and one flat Adam
 * update ({@link FlatAdam}, 29 kernels) give ~136 kernels per step. Batches are copied from JS arrays
 * (a tensor write, no kernel) rather than gathered on the backend. The per-epoch full-data loss is a
 * forward pass (~28 kernels) plus one read; on the cpu backend the read is a plain array access.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { mulberry32, shuffleInPlace } from "../tf/random";
import { resolveFitOptions, type FitOptions } from "./options";
import { stopReason, type EpochInfo, type StopReason } from "./stopping";
import { resolveProgress } from "./progress";
import { makeTrainStep } from "./step";
import { readNumbers } from "../options/arrays";
import { ArgumentError, describeValue } from "../options/describe";
import { checkValue } from "../options/schema";
import { instanceOf } from "../options/rules";

const MODEL_RULE = instanceOf(tf.LayersModel, "a tfjs LayersModel, e.g. from chain(...) or tf.sequential(...)");

/** Training data: a tensor with samples along the first axis, rows as nested arrays, or a plain array of scalars (one feature). */
export type Data = tf.Tensor | readonly number[] | readonly (readonly number[])[];

/** What {@link fit} returns; it holds no tensors. */
export interface FitResult {
  /** Full-data loss after each epoch: `history[i]` is after epoch i + 1. */
  history: number[];
  /** Full-data loss before training. */
  initialLoss: number;
  /** Full-data loss after the last epoch run. */
  loss: number;
  /** Epochs run. */
  epochs: number;
  /** True when `targetLoss` or `stopWhen` ended training. */
  converged: boolean;
  /** Which rule ended training; "epochs" when the cap was reached. */
  stoppedBy: StopReason;
  /** Optimizer steps taken (mini-batches). */
  steps: number;
  /** Wall time of the whole call, ms. */
  ms: number;
  /** Mean time of one training step (forward, backward, update), µs; excludes the per-epoch loss. */
  usPerStep: number;
  /** The shuffle seed used; pass it back as `seed` to repeat the run. */
  seed: number;
}

/**
 * Trains `model` on (x, y) and resolves when a stop rule fires or the epoch cap is reached. Yields to
 * the event loop every ~50 ms so notebook displays update and the kernel stays responsive.
 */
export async function fit(model: tf.LayersModel, x: Data, y: Data, options: FitOptions = {}): Promise<FitResult> {
  const t0 = performance.now();
  checkValue({ fn: "fit", path: "model" }, MODEL_RULE, model);
  const s = resolveFitOptions(options);
  const xs = toRows(x, "x");
  const ys = toRows(y, "y");
  if (xs.n !== ys.n) throw new ArgumentError(`fit: x has ${xs.n} samples but y has ${ys.n}; give one target per input row`);
  checkInputShape(model, xs);
  const reporter = resolveProgress(s.progress);
  // Everything that allocates tensors comes after the checks that can throw, and is freed in `finally`.
  const step = makeTrainStep(model, { loss: s.loss, learningRate: s.learningRate, ...(s.optimizer ? { optimizer: s.optimizer } : {}) });
  const xAll = tf.tensor(xs.values, [xs.n, ...xs.rowShape]);
  const yAll = tf.tensor(ys.values, [ys.n, ...ys.rowShape]);
  const fullLoss = (): number => {
    const l = tf.tidy(() => s.loss(model.apply(xAll) as tf.Tensor, yAll));
    const value = l.dataSync()[0];
    l.dispose();
    return value;
  };

  const history: number[] = [];
  let stoppedBy: StopReason = "epochs";
  let steps = 0;
  let stepMs = 0;
  let initialLoss = NaN;
  try {
    checkOutputShape(model, xAll, yAll);
    initialLoss = fullLoss();
    const order = Int32Array.from({ length: xs.n }, (_, i) => i);
    const rng = mulberry32(s.seed);
    reporter?.start(s.epochs);
    let lastYield = performance.now();
    for (let epoch = 1; epoch <= s.epochs; epoch++) {
      if (s.shuffle) shuffleInPlace(order, rng);
      for (let start = 0; start < xs.n; start += s.batchSize) {
        const idx = order.subarray(start, Math.min(xs.n, start + s.batchSize));
        const xb = batch(xs, idx);
        const yb = batch(ys, idx);
        const ts = performance.now();
        step.run(xb, yb);
        stepMs += performance.now() - ts;
        xb.dispose();
        yb.dispose();
        steps++;
      }
      const loss = fullLoss();
      history.push(loss);
      const info: EpochInfo = { epoch, epochs: s.epochs, loss, elapsedMs: performance.now() - t0 };
      reporter?.update({ epoch, epochs: s.epochs, loss });
      const reason = stopReason(info, s);
      if (reason) {
        stoppedBy = reason;
        break;
      }
      if (performance.now() - lastYield > 50) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
  } finally {
    reporter?.stop();
    step.dispose();
    xAll.dispose();
    yAll.dispose();
  }
  return {
    history, initialLoss, loss: history.length > 0 ? history[history.length - 1] : initialLoss,
    epochs: history.length, converged: stoppedBy === "targetLoss" || stoppedBy === "stopWhen", stoppedBy,
    steps, ms: performance.now() - t0, usPerStep: steps > 0 ? (stepMs * 1000) / steps : 0, seed: s.seed,
  };
}

interface Rows {
  values: Float32Array;
  n: number;
  rowShape: number[];
  rowSize: number;
}

/** Copies the data to a float32 array once: batches are then cut in JS, without backend kernels. */
function toRows(d: Data, name: "x" | "y"): Rows {
  let values: Float32Array;
  let shape: number[];
  if (d instanceof tf.Tensor) {
    values = Float32Array.from(d.dataSync() as ArrayLike<number>);
    shape = d.shape.slice();
  } else if (Array.isArray(d)) {
    const grid = readNumbers(d, { fn: "fit", path: name }, name);
    values = Float32Array.from(grid.values);
    shape = grid.shape.slice();
  } else {
    throw new ArgumentError(`fit: ${name} must be a tf.Tensor or an array of numbers or rows, got ${describeValue(d)}`);
  }
  if (shape.length === 1) shape = [shape[0], 1];
  const n = shape[0];
  if (!(n > 0)) throw new ArgumentError(`fit: ${name} has no samples; give at least one row`);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ArgumentError(`fit: ${name} has a non-finite value (${values[bad]}) at flat index ${bad}`);
  return { values, n, rowShape: shape.slice(1), rowSize: values.length / n };
}

/** Before any work: a row of x that the model cannot take would surface as a tfjs error naming an internal layer. */
function checkInputShape(model: tf.LayersModel, xs: Rows): void {
  const input = model.inputs?.[0];
  if (!input) return;
  const expected = input.shape.slice(1);
  const fits = expected.length === xs.rowShape.length && expected.every((d, i) => d === null || d === xs.rowShape[i]);
  if (!fits) {
    throw new ArgumentError(`fit: x has rows of shape [${xs.rowShape}] but the model takes inputs of shape [${expected.map((d) => d ?? "any")}]; give x one row per sample with the model's input size`);
  }
}

function batch(rows: Rows, idx: Int32Array): tf.Tensor {
  const { values, rowSize } = rows;
  const out = new Float32Array(idx.length * rowSize);
  if (rowSize === 1) for (let k = 0; k < idx.length; k++) out[k] = values[idx[k]];
  else for (let k = 0; k < idx.length; k++) out.set(values.subarray(idx[k] * rowSize, (idx[k] + 1) * rowSize), k * rowSize);
  return tf.tensor(out, [idx.length, ...rows.rowShape]);
}

function checkOutputShape(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): void {
  const shape = tf.tidy(() => (model.apply(x) as tf.Tensor).shape);
  if (shape.length !== y.shape.length || shape.some((d, i) => d !== y.shape[i])) {
    throw new ArgumentError(`fit: the model maps x [${x.shape}] to [${shape}], but y has shape [${y.shape}]; give y one row per sample with the model's output size`);
  }
}
