/**
 * `solve`: float64 integration on plain arrays, for data generation, references and convergence
 * studies.
 *
 * @module
 */
import { integrate, type SolveStats, type SolveStatus } from "./integrate";
import { resolveSettings, type SolveOptions } from "./options";
import { Float64Space, type VectorField } from "./state";
import { readNumbers } from "../options/arrays";
import { checkValue, fail } from "../options/schema";
import { func } from "../options/rules";

const FIELD_RULE = func("(t, u) => du, such as (t, [x, v]) => [v, -x]");

/** The solution of one initial value problem. */
export interface Solution {
  /** Output times: `saveat`, or t0 and every accepted step. */
  t: number[];
  /** `u[i]` is the state at `t[i]`. */
  u: number[][];
  /** Work done: field evaluations, accepted and rejected steps. */
  stats: SolveStats;
  /** `"success"`, or why the solve stopped early (only with `onFailure: "return"`). */
  status: SolveStatus;
  /** Why the solve stopped early; only with `onFailure: "return"`. */
  message?: string;
}

/** The solution for a batch of initial conditions that shared one time grid. */
export interface BatchSolution extends Omit<Solution, "u"> {
  /** `u[i][b]` is the state of batch member `b` at `t[i]`. */
  u: number[][][];
}

/**
 * Solves u' = f(t, u), u(t0) = u0 over `tspan = [t0, t1]` in float64. With `t1 < t0` it integrates
 * backwards. Pass an array of initial conditions to solve a batch on one shared, adaptive time grid
 * (the error norm covers every member).
 *
 * @example
 * const sol = solve((t, [x, y]) => [y, -x], [1, 0], [0, Math.PI], { saveat: [0, Math.PI / 2, Math.PI] });
 * sol.u[2]; // ≈ [-1, 0]
 */
export function solve(f: VectorField, u0: readonly number[], tspan: readonly [number, number] | readonly number[], options?: SolveOptions): Solution;
/** A batch: one initial state per row of `u0`, solved together on one time grid; `u[i][b]` is member b at `t[i]`. */
export function solve(f: VectorField, u0: readonly (readonly number[])[], tspan: readonly [number, number] | readonly number[], options?: SolveOptions): BatchSolution;
export function solve(f: VectorField, u0: readonly number[] | readonly (readonly number[])[], tspan: readonly [number, number] | readonly number[], options?: SolveOptions): Solution | BatchSolution {
  checkValue({ fn: "solve", path: "f" }, FIELD_RULE, f);
  const settings = resolveSettings(tspan, options, "solve");
  const { rows, n, flat, batch } = flattenInitial(u0);
  const raw = integrate(new Float64Space(f, rows, n), flat, settings);
  const u = batch
    ? raw.u.map((state) => Array.from({ length: rows }, (_, r) => toArray(state, r * n, n)))
    : raw.u.map((state) => toArray(state, 0, n));
  return { t: raw.t, u, stats: raw.stats, status: raw.status, ...(raw.message ? { message: raw.message } : {}) } as Solution | BatchSolution;
}

/** `Array.from` on typed arrays is several times slower than this loop; it showed in profiles. */
function toArray(src: Float64Array, start: number, n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = src[start + i];
  return out;
}

/** u0 is one state `[n]` or a batch `[B, n]`; read once, so a ragged batch or a string is named here. */
function flattenInitial(u0: unknown) {
  const at = { fn: "solve", path: "u0" };
  const { shape, values } = readNumbers(u0, at, "the initial state");
  if (shape.length === 0 || shape.length > 2) {
    fail(at, `u0 must be an array of numbers such as [1, 0] (or an array of such arrays for a batch), got ${shape.length === 0 ? `the number ${String(u0)}` : `an array of shape [${shape}]`}`);
  }
  if (shape[0] === 0) fail(at, "u0 is empty; give at least one state component");
  if (shape.length === 2 && shape[1] === 0) fail(at, "u0[0] is empty; every initial state needs at least one component");
  const batch = shape.length === 2;
  return { rows: batch ? shape[0] : 1, n: shape[shape.length - 1], flat: values, batch };
}
