/**
 * Checks of the `residual-block` exercise: a residual block x ↦ x + f(x) built around any layer f,
 * and the gradient norm that shows why it helps (He et al. 2015; the lecture's dense-versus-ResNet
 * fit of y = x).
 *
 * The deep stack used here: 20 layers 1 → 1 with tanh, every weight 0.5, bias 0, loss
 * mean((model(x) − x)²) on 21 points of [−2, 2]. Measured first-layer gradient norms:
 * plain chain 2.8e-6 (each layer multiplies the gradient by 0.5·tanh′ ≤ 0.5), the same layers
 * wrapped in residual blocks 48 (each block multiplies it by 1 + 0.5·tanh′ ≥ 1).
 *
 * @module
 */
import { tf } from "../../dist";
import { describeValue, fail, fmt, notebookContext, checkCell, type CheckContext, type Exercise } from "./harness";

/** A layer or a whole model: a function from tensors to tensors. */
export type Layer = (x: tf.Tensor) => tf.Tensor;

/** What the notebook defines. */
export interface ResidualSubmission {
  [name: string]: unknown;
  residual: (inner: Layer) => Layer;
  firstLayerGradientNorm: (model: Layer, firstKernel: tf.Variable, x: tf.Tensor, y: tf.Tensor) => number;
}

/** A dense layer x·W + b (then tanh or nothing) with given weights, and its variables. */
interface Dense {
  kernel: tf.Variable;
  bias: tf.Variable;
  apply: Layer;
}
function dense(W: number[][], b: number[], activation: "tanh" | "linear"): Dense {
  const kernel = tf.variable(tf.tensor2d(W));
  const bias = tf.variable(tf.tensor1d(b));
  return {
    kernel,
    bias,
    apply: (x) => {
      const z = tf.add(tf.matMul(x.rank === 1 ? x.expandDims(0) : x, kernel), bias);
      const y = activation === "tanh" ? tf.tanh(z) : z;
      return x.rank === 1 ? y.squeeze([0]) : y;
    },
  };
}

/** Weights from a fixed formula, so the checks are deterministic without a random generator. */
const weights = (rows: number, cols: number, seed: number) =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => Math.sin(seed * 7.1 + i * 3.3 + j * 1.7) * 0.8));

const compose = (layers: Layer[]): Layer => (x) => layers.reduce((h, f) => f(h), x);
/** The grader's own residual block, to compare the student's against. */
const referenceResidual = (inner: Layer): Layer => (x) => tf.add(x, inner(x));

/** The lecture's deep 1 → 1 tanh stack, plain or with every layer wrapped in a residual block. */
function deepStack(wrap: ((inner: Layer) => Layer) | null, depth = 20) {
  const layers = Array.from({ length: depth }, () => dense([[0.5]], [0], "tanh"));
  const model = compose(layers.map((l) => (wrap ? wrap(l.apply) : l.apply)));
  return { model, first: layers[0].kernel, dispose: () => layers.forEach((l) => tf.dispose([l.kernel, l.bias])) };
}

/** The grader's reference: ‖∂/∂W₁ mean((model(x) − y)²)‖ by tfjs autodiff. */
function referenceGradientNorm(model: Layer, first: tf.Variable, x: tf.Tensor, y: tf.Tensor): number {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.squaredDifference(model(x), y)), [first]);
    value.dispose();
    return tf.norm(grads[first.name]).dataSync()[0];
  });
}

/** Inputs of the y = x fit: 21 points on [−2, 2] as a [21, 1] batch. */
const line = () => tf.tidy(() => tf.linspace(-2, 2, 21).reshape([21, 1]));

function closeTo(got: unknown, want: number, rel: number, what: string): number {
  if (typeof got !== "number" || !Number.isFinite(got)) fail(`${what} should be a finite number, got ${describeValue(got)}`);
  if (!(Math.abs(got - want) <= rel * Math.abs(want) + 1e-12)) fail(`${what} = ${fmt(got)}, expected ${fmt(want)}`);
  return got;
}

/** The exercise, as the grader runs it. */
export const exercise: Exercise<ResidualSubmission> = {
  name: "residual-block",
  title: "A residual block and the gradient it lets through",
  required: ["residual", "firstLayerGradientNorm"],
  loadTimeoutMs: 20_000,
  budgetMs: 30_000,
  checks: [
    {
      id: "output",
      gradeId: "residual-block",
      title: "residual(f)(x) equals x + f(x), and a zero f gives the identity",
      points: 2,
      visibility: "visible",
      uses: ["residual"],
      timeoutMs: 10_000,
      run(sub) {
        const layer = dense(weights(3, 3, 1), [0.1, -0.2, 0.3], "tanh");
        try {
          for (const shape of [[4, 3], [3]]) {
            const x = tf.tensor(weights(shape.length === 2 ? 4 : 1, 3, 2).flat().slice(0, shape.reduce((a, b) => a * b)), shape);
            const got = sub.residual(layer.apply)(x);
            if (!(got instanceof tf.Tensor)) fail(`residual(f)(x) should be a tensor, got ${describeValue(got)}`);
            if (got.shape.join() !== x.shape.join()) fail(`residual(f)(x) has shape [${got.shape}], but x has shape [${x.shape}]`);
            const want = tf.add(x, layer.apply(x));
            const err = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0];
            if (!(err < 1e-5)) fail(`residual(f)(x) differs from x + f(x) by up to ${fmt(err)} for x of shape [${shape}]`);
            const zero = sub.residual((v) => tf.zerosLike(v))(x);
            const idErr = tf.max(tf.abs(tf.sub(zero, x))).dataSync()[0];
            if (!(idErr < 1e-7)) fail(`with f(x) = 0 the block should return x unchanged (the identity, not zero); it is off by ${fmt(idErr)}`);
            tf.dispose([x, got, want, zero]);
          }
        } finally {
          tf.dispose([layer.kernel, layer.bias]);
        }
      },
    },
    {
      id: "gradient",
      gradeId: "residual-block",
      title: "gradients reach the first of 20 layers through residual blocks (not through the plain chain)",
      points: 2,
      visibility: "visible",
      uses: ["residual"],
      timeoutMs: 10_000,
      run(sub) {
        const x = line();
        const plain = deepStack(null);
        const ours = deepStack(sub.residual);
        const ref = deepStack(referenceResidual);
        try {
          const gPlain = referenceGradientNorm(plain.model, plain.first, x, x);
          const gOurs = referenceGradientNorm(ours.model, ours.first, x, x);
          const gRef = referenceGradientNorm(ref.model, ref.first, x, x);
          if (!(gOurs > 0)) fail("no gradient reaches the first layer through your blocks; is f(x) computed with tensor ops (no dataSync/arraySync, no tf.stopGradient)?");
          closeTo(gOurs, gRef, 1e-3, "first-layer gradient norm through 20 of your blocks");
          if (!(gOurs > 1e3 * gPlain)) fail(`first-layer gradient ${fmt(gOurs)} through your blocks is not much larger than ${fmt(gPlain)} through the plain chain`);
          return `first-layer gradient norm: plain ${fmt(gPlain)}, residual ${fmt(gOurs)}`;
        } finally {
          [plain, ours, ref].forEach((s) => s.dispose());
          x.dispose();
        }
      },
    },
    {
      id: "autodiff",
      gradeId: "gradient-norm",
      title: "firstLayerGradientNorm matches tfjs autodiff on a 2 → 4 → 1 network",
      points: 2,
      visibility: "visible",
      uses: ["firstLayerGradientNorm"],
      timeoutMs: 10_000,
      run(sub) {
        const l1 = dense(weights(2, 4, 3), [0.1, 0, -0.1, 0.2], "tanh");
        const l2 = dense(weights(4, 1, 4), [0.05], "linear");
        const x = tf.tensor2d(weights(6, 2, 5));
        const y = tf.tensor2d([[1], [0], [-1], [0.5], [0.2], [-0.3]]);
        try {
          const model = compose([l1.apply, l2.apply]);
          const want = referenceGradientNorm(model, l1.kernel, x, y);
          closeTo(sub.firstLayerGradientNorm(model, l1.kernel, x, y), want, 1e-4, "firstLayerGradientNorm");
        } finally {
          tf.dispose([l1.kernel, l1.bias, l2.kernel, l2.bias, x, y]);
        }
      },
    },
    {
      id: "deep",
      gradeId: "gradient-norm",
      title: "firstLayerGradientNorm is right on the deep plain and residual stacks",
      points: 1,
      visibility: "hidden",
      uses: ["firstLayerGradientNorm"],
      timeoutMs: 10_000,
      run(sub) {
        const x = line();
        const stacks = [deepStack(null), deepStack(referenceResidual)];
        try {
          const [plain, res] = stacks.map((s) => closeTo(sub.firstLayerGradientNorm(s.model, s.first, x, x), referenceGradientNorm(s.model, s.first, x, x), 1e-3, "firstLayerGradientNorm on the 20-layer stack"));
          return `plain ${fmt(plain)}, residual ${fmt(res)}`;
        } finally {
          stacks.forEach((s) => s.dispose());
          x.dispose();
        }
      },
    },
  ],
};

/**
 * Notebook check cell: runs the visible checks of `gradeId`, prints a ✓/✗ line each, and throws if
 * any failed (see {@link checkCell}). Returns nothing, so that tslab (which prints a cell\'s last
 * value) prints only those lines.
 */
export async function run(gradeId: string, sub: Partial<ResidualSubmission>, ctx: CheckContext = notebookContext): Promise<void> {
  await checkCell(exercise, gradeId, sub, ctx);
}
