/**
 * Butcher tableaus: an explicit Runge–Kutta method is data, and this file checks that data.
 *
 *     c | a            stage i:  U_i = u + h Σ_{j<i} a[i][j] k_j,   k_i = f(t + c_i h, U_i)
 *     --+----          step:     u1  = u + h Σ_i b_i k_i
 *       | b            error:    e   = h Σ_i bError_i k_i   (= difference of the two embedded solutions)
 *
 * @module
 */

/** A validated, frozen explicit Runge–Kutta method. Build one with {@link defineTableau}. */
export interface ButcherTableau {
  /** Short name used in options and messages, e.g. `"tsit5"`. */
  readonly name: string;
  /** Order of the propagated solution `b`. */
  readonly order: number;
  /**
   * Order of the lower-order embedded solution, when there is one. The step-size controller's
   * exponent is `1 / (errorOrder + 1)` because the error estimate behaves like `h^(errorOrder+1)`.
   */
  readonly errorOrder?: number;
  /** Stage times as fractions of the step. */
  readonly c: readonly number[];
  /** Strictly lower-triangular stage matrix: `a[i]` has `i` entries. */
  readonly a: readonly (readonly number[])[];
  /** Weights of the propagated solution. */
  readonly b: readonly number[];
  /** Weights of the error estimate, `b − b̂`. Present only for adaptive (embedded) methods. */
  readonly bError?: readonly number[];
  /**
   * Continuous extension ("dense output"): `dense[i][p]` is the coefficient of θ^(p+1) in b_i(θ),
   * so that u(t + θh) ≈ u + h Σ_i b_i(θ) k_i. Without it the solver uses cubic Hermite interpolation.
   */
  readonly dense?: readonly (readonly number[])[];
  /**
   * First Same As Last: the last stage is evaluated at the new solution, so its `k` is `f(t + h, u1)`
   * and the next step gets its first stage for free. Derived from the data, not declared.
   */
  readonly fsal: boolean;
  /** Where the coefficients come from. */
  readonly reference: string;
}

/** What {@link defineTableau} needs; `fsal` is derived. */
export type TableauSpec = Omit<ButcherTableau, "fsal">;

/** Coefficients are decimals from papers, so invariants hold to rounding, not exactly. */
const TOL = 1e-12;

/**
 * Checks a method's consistency conditions and freezes it. Throws a message naming the tableau and
 * the field that is wrong, so a typo in a new method is caught where it is defined.
 */
export function defineTableau(spec: TableauSpec): ButcherTableau {
  const { name, c, a, b, bError, dense } = spec;
  const s = c.length;
  const fail = (what: string): never => {
    throw new Error(`tableau '${name}': ${what}`);
  };
  const sum = (xs: readonly number[]) => xs.reduce((acc, x) => acc + x, 0);

  if (s < 1) fail("needs at least one stage (c is empty)");
  if (a.length !== s) fail(`a has ${a.length} rows but c has ${s} stages`);
  if (b.length !== s) fail(`b has ${b.length} weights but c has ${s} stages`);
  if (c[0] !== 0) fail(`c[0] must be 0 for an explicit method, got ${c[0]}`);
  a.forEach((row, i) => {
    if (row.length !== i) fail(`a[${i}] must have ${i} entries (explicit methods are strictly lower triangular), got ${row.length}`);
    if (Math.abs(sum(row) - c[i]) > TOL) fail(`row sum of a[${i}] is ${sum(row)} but c[${i}] = ${c[i]}`);
  });
  if (Math.abs(sum(b) - 1) > TOL) fail(`Σb = ${sum(b)}, must be 1 (consistency)`);
  // The second-order condition catches most transcription slips in b or c.
  if (spec.order >= 2 && Math.abs(b.reduce((acc, bi, i) => acc + bi * c[i], 0) - 0.5) > TOL) {
    fail(`Σ b_i c_i must be 1/2 for order ≥ 2`);
  }
  if (bError) {
    if (bError.length !== s) fail(`bError has ${bError.length} weights but c has ${s} stages`);
    if (Math.abs(sum(bError)) > TOL) fail(`Σ bError = ${sum(bError)}, must be 0 (both embedded solutions are consistent)`);
    if (spec.errorOrder === undefined) fail("an embedded method must give errorOrder");
  }
  if (dense) {
    if (dense.length !== s) fail(`dense has ${dense.length} rows but c has ${s} stages`);
    // Continuity: b_i(1) = b_i, so the interpolant ends on the step's own solution.
    dense.forEach((poly, i) => {
      if (Math.abs(sum(poly) - b[i]) > 1e-10) fail(`dense[${i}] at θ = 1 is ${sum(poly)} but b[${i}] = ${b[i]}`);
    });
    // Order conditions of the interpolant for every θ: Σ_i b_i(θ) = θ and Σ_i b_i(θ) c_i = θ²/2.
    const degree = Math.max(...dense.map((p) => p.length));
    for (let p = 0; p < degree; p++) {
      const s0 = dense.reduce((acc, poly) => acc + (poly[p] ?? 0), 0);
      const s1 = dense.reduce((acc, poly, i) => acc + (poly[p] ?? 0) * c[i], 0);
      if (Math.abs(s0 - (p === 0 ? 1 : 0)) > 1e-10) fail(`dense: Σ_i b_i(θ) must equal θ (θ^${p + 1} coefficient sums to ${s0})`);
      if (Math.abs(s1 - (p === 1 ? 0.5 : 0)) > 1e-10) fail(`dense: Σ_i b_i(θ) c_i must equal θ²/2 (θ^${p + 1} coefficient sums to ${s1})`);
    }
  }

  const last = s - 1;
  const fsal = s > 1 && c[last] === 1 && a[last].every((x, j) => Math.abs(x - b[j]) <= TOL) && b[last] === 0;
  const freeze = <T>(xs: readonly T[]) => Object.freeze(xs.slice());
  return Object.freeze({
    ...spec,
    c: freeze(c),
    a: freeze(a.map(freeze)),
    b: freeze(b),
    bError: bError && freeze(bError),
    dense: dense && freeze(dense.map(freeze)),
    fsal,
  });
}

/**
 * Weights b_i(θ) of the continuous extension at θ ∈ [0, 1], by Horner's rule. The caller
 * multiplies by h.
 */
export function denseWeights(tab: ButcherTableau, theta: number): number[] {
  const dense = tab.dense;
  if (!dense) throw new Error(`tableau '${tab.name}' has no dense output`);
  return dense.map((poly) => {
    let acc = 0;
    for (let p = poly.length - 1; p >= 0; p--) acc = (acc + poly[p]) * theta;
    return acc;
  });
}
