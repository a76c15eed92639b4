/**
 * The observed order of convergence: if the global error behaves like C·h^p, then log(error) is a
 * line in log(h) with slope p. A least-squares fit over several step sizes is less sensitive to one
 * noisy point than the ratio of two errors.
 *
 * @module
 */

/** Least-squares slope of log(errors) against log(hs): the observed order p in error ≈ C·h^p. */
export function observedOrder(hs: readonly number[], errors: readonly number[]): number {
  if (hs.length !== errors.length || hs.length < 2) {
    throw new Error(`observedOrder needs at least two step sizes and one error per step size; got ${hs.length} and ${errors.length}`);
  }
  const bad = [...hs, ...errors].find((v) => !(v > 0 && Number.isFinite(v)));
  if (bad !== undefined) throw new Error(`observedOrder: step sizes and errors must be positive and finite (log–log fit); got ${bad}`);
  const x = hs.map(Math.log);
  const y = errors.map(Math.log);
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let num = 0;
  let den = 0;
  x.forEach((xi, i) => {
    num += (xi - mx) * (y[i] - my);
    den += (xi - mx) ** 2;
  });
  return num / den;
}
