/**
 * Checks of the `lotka-volterra` exercise: learn the predator–prey dynamics with a neural ODE.
 *
 * Every graded piece gets the grader's own inputs (the true field, the library's reference data), so a
 * mistake in one piece costs only that piece's points. Training runs once per process and is shared
 * by the checks that need the trained model.
 *
 * Thresholds, from `scratch`-style runs of the reference solution (2→32→2 tanh, tsit5, Adam 0.01 then
 * 0.002, MSE on the 35 samples with t ≤ 3.5) over seeds 0–4: RMSE 0.03–0.06 on the training window and
 * 0.05–0.25 on t ∈ (3.5, 10]. 500 epochs of Adam(0.01) leave 0.26–0.35 and 0.9–2.9. The limits
 * (0.15 and 0.4) pass every seed of the reference with margin and fail an undertrained model.
 *
 * @module
 */
import { LV, NeuralODE, tf, denseField, linspace, lotkaVolterraData, type FieldModel, type TrajectoryData } from "../../dist";
import { describeValue, fail, finiteVector, fmt, identity, notebookContext, rmsDiff, checkCell, type CheckContext, type Exercise } from "./harness";

/** A float64 right-hand side as the library's `solve` calls it. */
export type Field = (t: number, u: ArrayLike<number>) => ArrayLike<number>;
/** Samples of a trajectory: `u[i]` is the state at `t[i]`. */
export interface Samples {
  t: number[];
  u: number[][];
}

/** What the notebook defines. */
export interface LotkaVolterraSubmission {
  [name: string]: unknown;
  lotkaVolterra: (t: number, u: ArrayLike<number>) => ArrayLike<number>;
  generateData: (f: Field, u0: number[], tspan: [number, number], samples: number) => Samples;
  makeField: (seed: number) => FieldModel;
  trainOnWindow: (field: FieldModel, window: Samples) => Promise<number[]> | number[];
  predictTrajectory: (field: FieldModel, t: number[], u0: number[]) => number[][];
}

/** End of the training window: the model sees t ≤ 3.5 (35 of the 100 samples), about one period. */
export const T_TRAIN = 3.5;
/** The seed the grader passes to makeField (the notebook uses the same one, so numbers agree). */
export const SEED = 0;
export const FIT_LIMIT = 0.15;
export const EXTRAPOLATION_LIMIT = 0.4;

const trueField = (_t: number, u: ArrayLike<number>) => [LV.alpha * u[0] - LV.beta * u[0] * u[1], LV.gamma * u[0] * u[1] - LV.delta * u[1]];

/** The reference data (100 samples on [0, 10]) and its training window. */
function reference(): { all: TrajectoryData; window: Samples } {
  const all = lotkaVolterraData();
  const n = all.t.filter((t) => t <= T_TRAIN).length;
  return { all, window: { t: all.t.slice(0, n), u: all.u.slice(0, n) } };
}

/** The grader's prediction from a field: states at `t`, from u(t[0]) = u0. */
function predict(field: FieldModel, t: number[], u0: number[]): number[][] {
  const node = new NeuralODE(field, { tspan: [t[0], t[t.length - 1]], saveat: t, rtol: 1e-6, atol: 1e-8 });
  const pred = node.predict(u0);
  const out = pred.arraySync() as number[][];
  pred.dispose();
  return out;
}

function checkField(value: unknown, what: string): FieldModel {
  const f = value as FieldModel;
  if (!f || typeof f.apply !== "function" || !Array.isArray(f.params)) fail(`${what} should be a field such as denseField(...) (with apply and params), got ${describeValue(value)}`);
  return f;
}

/** Cache key of the trained model: changes when the student redefines either function. */
const trainedKey = (sub: Pick<LotkaVolterraSubmission, "makeField" | "trainOnWindow">) => `trained:${identity(sub.makeField)}:${identity(sub.trainOnWindow)}`;

/** Trains makeField(SEED) on the reference window once per process (or reuses the notebook's run, see {@link useTrained}). */
function trained(sub: LotkaVolterraSubmission, ctx: CheckContext) {
  return ctx.once(trainedKey(sub), async () => {
    const field = checkField(sub.makeField(SEED), `makeField(${SEED})`);
    const history = await sub.trainOnWindow(field, reference().window);
    return { field, history };
  });
}

/** RMSE of the grader's prediction from the trained field, on the window and after it. */
function errors(field: FieldModel) {
  const { all, window } = reference();
  const pred = predict(field, all.t, all.u0);
  const n = window.t.length;
  return { fit: rmsDiff(pred.slice(0, n), all.u.slice(0, n)), extrapolation: rmsDiff(pred.slice(n), all.u.slice(n)) };
}

/** The exercise, as the grader runs it. */
export const exercise: Exercise<LotkaVolterraSubmission> = {
  name: "lotka-volterra",
  title: "Lotka–Volterra dynamics with a neural ODE",
  required: ["lotkaVolterra", "generateData", "makeField", "trainOnWindow", "predictTrajectory"],
  loadTimeoutMs: 40_000,
  budgetMs: 60_000,
  checks: [
    {
      id: "values",
      gradeId: "lv-field",
      title: "lotkaVolterra computes x' = αx − βxy, y' = γxy − δy",
      points: 2,
      visibility: "visible",
      uses: ["lotkaVolterra"],
      timeoutMs: 5_000,
      run(sub) {
        for (const [t, x, y] of [[0, 1, 1], [0.5, 2, 0.5], [3, 0.3, 4], [7, 5, 2.5]]) {
          const got = finiteVector(sub.lotkaVolterra(t, Float64Array.of(x, y)), 2, `lotkaVolterra(${t}, [${x}, ${y}])`);
          const want = trueField(t, [x, y]);
          if (Math.hypot(got[0] - want[0], got[1] - want[1]) > 1e-9 * Math.hypot(...want) + 1e-12) {
            fail(`lotkaVolterra(${t}, [${x}, ${y}]) = [${got.map(fmt)}], expected [${want.map(fmt)}] with α, β, δ, γ = ${LV.alpha}, ${LV.beta}, ${LV.delta}, ${LV.gamma}`);
          }
        }
      },
    },
    {
      id: "grid",
      gradeId: "lv-data",
      title: "generateData returns 100 evenly spaced samples on [0, 10], starting at u0",
      points: 1,
      visibility: "visible",
      uses: ["generateData"],
      timeoutMs: 10_000,
      run(sub) {
        const d = sub.generateData(trueField, [1, 1], [0, 10], 100);
        if (!d || typeof d !== "object") fail(`generateData should return { t, u }, got ${describeValue(d)}`);
        const t = finiteVector(d.t, 100, "data.t");
        const want = linspace(0, 10, 100);
        const off = Math.max(...t.map((ti, i) => Math.abs(ti - want[i])));
        if (off > 1e-9) fail(`data.t should be 100 evenly spaced times from 0 to 10 (linspace), but differs from that by up to ${fmt(off)}`);
        if (!Array.isArray(d.u) || d.u.length !== 100) fail(`data.u should hold 100 states, got ${describeValue(d.u)}`);
        d.u.forEach((ui, i) => finiteVector(ui, 2, `data.u[${i}]`));
        if (d.u[0][0] !== 1 || d.u[0][1] !== 1) fail(`data.u[0] should be the initial state [1, 1], got [${d.u[0]}]`);
      },
    },
    {
      id: "solution",
      gradeId: "lv-data",
      title: "generateData solves the given system accurately",
      points: 1,
      visibility: "visible",
      uses: ["generateData"],
      timeoutMs: 10_000,
      run(sub) {
        const ref = lotkaVolterraData();
        const lv = rmsDiff(sub.generateData(trueField, [1, 1], [0, 10], 100).u, ref.u);
        if (!(lv < 1e-3)) fail(`on Lotka–Volterra the samples are off by ${fmt(lv)} (RMS) from a tight reference solution; solve with the library's tsit5 (limit 1e-3)`);
        // A second system: the function must use its arguments, not a hard-coded problem.
        const t = linspace(0, 3, 31);
        const osc = rmsDiff(sub.generateData((_t, u) => [u[1], -u[0]], [0, 2], [0, 3], 31).u, t.map((s) => [2 * Math.sin(s), 2 * Math.cos(s)]));
        if (!(osc < 1e-3)) fail(`generateData(f, [0, 2], [0, 3], 31) for u'' = −u is off by ${fmt(osc)} (RMS) from the exact solution; use f, u0, tspan and samples as given`);
        return `RMS errors ${fmt(lv)} and ${fmt(osc)}`;
      },
    },
    {
      id: "field",
      gradeId: "lv-model",
      title: "makeField(seed) builds a 2 → … → 2 network that depends only on the seed",
      points: 1,
      visibility: "visible",
      uses: ["makeField"],
      timeoutMs: 10_000,
      run(sub) {
        const [a, b, c] = [SEED, SEED, SEED + 1].map((s) => checkField(sub.makeField(s), `makeField(${s})`));
        const flat = (f: FieldModel) => f.params.flatMap((p) => Array.from(p.dataSync()));
        const out = tf.tidy(() => a.apply(tf.tensor2d([[1, 1], [2, 0.5], [0.5, 3]]), 0).shape);
        if (out.join() !== "3,2") fail(`field.apply on a batch of shape [3, 2] should return shape [3, 2], got [${out}]`);
        if (rmsDiff(flat(a), flat(b)) !== 0) fail(`makeField(${SEED}) twice gave different weights; pass the seed to the initialiser (denseField({ ..., seed }))`);
        if (flat(a).join() === flat(c).join()) fail(`makeField(${SEED}) and makeField(${SEED + 1}) gave the same weights; the seed should change them`);
        const n = flat(a).length;
        [a, b, c].forEach((f) => (f as { dispose?: () => void }).dispose?.());
        return `${n} parameters`;
      },
    },
    {
      id: "training",
      gradeId: "lv-model",
      title: "trainOnWindow lowers the MSE on t ≤ 3.5 at least ten-fold",
      points: 2,
      visibility: "visible",
      uses: ["makeField", "trainOnWindow"],
      timeoutMs: 40_000,
      async run(sub, ctx) {
        const { window } = reference();
        // Same seed, same initial weights: this is the model before training.
        const untrained = checkField(sub.makeField(SEED), `makeField(${SEED})`);
        const before = rmsDiff(predict(untrained, window.t, window.u[0]), window.u) ** 2;
        (untrained as { dispose?: () => void }).dispose?.();
        const { field, history } = await trained(sub, ctx);
        if (!Array.isArray(history) || history.length === 0 || !history.every(Number.isFinite)) {
          fail(`trainOnWindow should return the loss of every epoch (an array of numbers), got ${describeValue(history)}`);
        }
        const after = rmsDiff(predict(field, window.t, window.u[0]), window.u) ** 2;
        if (!(after <= 0.1 * before)) fail(`the MSE on the training window went from ${fmt(before)} to ${fmt(after)}; train longer or with a larger learning rate`);
        return `MSE ${fmt(before)} → ${fmt(after)} in ${history.length} epochs`;
      },
    },
    {
      id: "predict",
      gradeId: "lv-fit",
      title: "predictTrajectory integrates the field from u0 to the given times",
      points: 1,
      visibility: "visible",
      uses: ["predictTrajectory"],
      timeoutMs: 10_000,
      run(sub) {
        const field = denseField({ sizes: [2, 16, 2], seed: 5 });
        try {
          const t = linspace(0, 2, 11);
          const got = sub.predictTrajectory(field, t, [1, 1]);
          if (!Array.isArray(got) || got.length !== 11) fail(`predictTrajectory(field, t, u0) for 11 times should return 11 states, got ${describeValue(got)}`);
          got.forEach((u, i) => finiteVector(u, 2, `prediction[${i}]`));
          const err = rmsDiff(got, predict(field, t, [1, 1]));
          if (!(err < 1e-3)) fail(`predictTrajectory differs from the field's own trajectory by ${fmt(err)} (RMS); integrate the given field with NeuralODE from u0 over t`);
        } finally {
          field.dispose();
        }
      },
    },
    {
      id: "window",
      gradeId: "lv-fit",
      title: `the trained model fits the training window (RMSE < ${FIT_LIMIT})`,
      points: 1,
      visibility: "visible",
      uses: ["makeField", "trainOnWindow"],
      dependsOn: ["lv-model/training"],
      timeoutMs: 40_000,
      async run(sub, ctx) {
        const { fit } = errors((await trained(sub, ctx)).field);
        if (!(fit < FIT_LIMIT)) fail(`RMSE ${fmt(fit)} on t ≤ ${T_TRAIN}; the limit is ${FIT_LIMIT}`);
        return `RMSE ${fmt(fit)}`;
      },
    },
    {
      id: "extrapolation",
      gradeId: "lv-fit",
      title: `the trained model extrapolates to t ∈ (3.5, 10] (RMSE < ${EXTRAPOLATION_LIMIT})`,
      points: 2,
      visibility: "hidden",
      uses: ["makeField", "trainOnWindow"],
      dependsOn: ["lv-model/training"],
      timeoutMs: 40_000,
      async run(sub, ctx) {
        const { extrapolation } = errors((await trained(sub, ctx)).field);
        if (!(extrapolation < EXTRAPOLATION_LIMIT)) fail(`RMSE ${fmt(extrapolation)} on the held-out times t > ${T_TRAIN}; the limit is ${EXTRAPOLATION_LIMIT}`);
        return `RMSE ${fmt(extrapolation)}`;
      },
    },
  ],
};

/**
 * Lets the notebook's check cells reuse a model the notebook has just trained (with
 * `makeField(SEED)` and `trainOnWindow`) instead of training a second one.
 */
export function useTrained(sub: Pick<LotkaVolterraSubmission, "makeField" | "trainOnWindow">, field: FieldModel, history: number[], ctx: CheckContext = notebookContext): void {
  ctx.remember(trainedKey(sub), { field, history });
}

/**
 * Notebook check cell: runs the visible checks of `gradeId`, prints a ✓/✗ line each, and throws if
 * any failed (see {@link checkCell}). Returns nothing, so that tslab (which prints a cell\'s last
 * value) prints only those lines.
 */
export async function run(gradeId: string, sub: Partial<LotkaVolterraSubmission>, ctx: CheckContext = notebookContext): Promise<void> {
  await checkCell(exercise, gradeId, sub, ctx);
}
