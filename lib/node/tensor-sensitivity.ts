/**
 * The adjoint method on tensors, for any {@link FieldModel} (the generic path). Vector–Jacobian
 * products come from tfjs autodiff, one per evaluation of the augmented system
 *   z = [u, a, ḡ],  z' = [f(u), −aᵀ∂f/∂u, −aᵀ∂f/∂θ],
 * which is solved backwards between output times (Chen et al. 2018, Algorithm 1, re-seeded at each
 * output). The forward pass stores only the outputs, so memory does not grow with the step count.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { integrate } from "../ode/integrate";
import type { Settings } from "../ode/options";
import { TensorSpace } from "../ode/tensor-space";
import type { FieldModel } from "./dense-field";

/** Gradients from {@link adjointTensor}: w.r.t. u0 and each parameter, plus the work done. */
export interface TensorAdjointResult {
  du0: tf.Tensor;
  grads: tf.Tensor[];
  nfe: number;
}

/**
 * @param ys forward states at `settings.saveat`, shape `[T, ...stateShape]`
 * @param seeds ∂L/∂ys, same shape
 */
export function adjointTensor(field: FieldModel, ys: tf.Tensor, seeds: tf.Tensor, settings: Settings): TensorAdjointResult {
  const times = settings.saveat!;
  const stateShape = ys.shape.slice(1);
  const N = stateShape.reduce((a, b) => a * b, 1);
  const params = field.params;
  const sizes = params.map((p) => p.size);
  const P = sizes.reduce((a, b) => a + b, 0);
  let nfe = 0;

  const augmented = (t: number, z: tf.Tensor): tf.Tensor => {
    const u = tf.reshape(tf.slice(z, 0, N), stateShape);
    const a = tf.reshape(tf.slice(z, N, N), stateShape);
    const { value, grads } = tf.engine().gradients(() => field.apply(u, t), [u, ...params], a, true);
    const parts = [value, ...grads.map((g, i) => (g ?? tf.zeros(i === 0 ? stateShape : params[i - 1].shape)).neg())];
    return tf.concat(parts.map((x) => tf.reshape(x, [-1])));
  };
  const space = new TensorSpace(augmented, [2 * N + P], 2 * N);
  const yRows = tf.unstack(ys);
  const seedRows = tf.unstack(seeds);
  let z = tf.tidy(() => tf.concat([tf.reshape(yRows[times.length - 1], [-1]), tf.reshape(seedRows[times.length - 1], [-1]), tf.zeros([P])]));
  for (let j = times.length - 1; j >= 0; j--) {
    const from = times[j];
    const to = j > 0 ? times[j - 1] : settings.t0;
    if (from !== to) {
      const raw = integrate(space, z, { ...settings, t0: from, t1: to, saveat: [to], dt: settings.adaptive ? undefined : settings.dt });
      nfe += raw.stats.nfe;
      z.dispose();
      z = raw.u[0];
    }
    if (j > 0) {
      // Reset u to the stored forward state and add this output's ∂L/∂u to a.
      const next = tf.tidy(() => {
        const a = tf.add(tf.slice(z, N, N), tf.reshape(seedRows[j - 1], [-1]));
        return tf.concat([tf.reshape(yRows[j - 1], [-1]), a, tf.slice(z, 2 * N, P)]);
      });
      z.dispose();
      z = next;
    }
  }
  const final = z;
  const du0 = tf.tidy(() => tf.reshape(tf.slice(final, N, N), stateShape));
  let offset = 2 * N;
  const grads = params.map((p, i) => {
    const g = tf.tidy(() => tf.reshape(tf.slice(final, offset, sizes[i]), p.shape));
    offset += sizes[i];
    return g;
  });
  z.dispose();
  yRows.forEach((x) => x.dispose());
  seedRows.forEach((x) => x.dispose());
  return { du0, grads, nfe };
}
