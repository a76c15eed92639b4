/**
 * Solver options: their types, frozen defaults, and validation whose messages name the field.
 *
 * @module
 */
import type { ButcherTableau } from "./tableau";
import type { ControllerKind } from "./controller";
import { methods, resolveMethod, type MethodName } from "./methods";

/** Options shared by {@link solve} (float64) and {@link solveTensor} (float32 tensors). */
export interface SolveOptions {
  /** A built-in method name or your own tableau. Default `"tsit5"`, the lecture's method. */
  method?: MethodName | ButcherTableau;
  /**
   * Step length (positive; the direction comes from `tspan`). Required for methods without an error
   * estimate (euler, midpoint, heun, rk4). For adaptive methods it is the first trial step.
   */
  dt?: number;
  /** Adapt the step to rtol/atol. Default: true when the method has an error estimate. */
  adaptive?: boolean;
  /** Relative tolerance per step. See {@link DEFAULT_SOLVE_OPTIONS} for why 1e-6. */
  rtol?: number;
  /** Absolute tolerance per step; matters for components near zero. */
  atol?: number;
  /**
   * Times at which to return the solution, monotone in the direction of integration and inside
   * `tspan`; uneven spacing is fine. Values between steps come from the method's dense output.
   * Default: `t0` and every accepted step.
   */
  saveat?: readonly number[];
  /** Stop after this many step attempts (accepted + rejected). Default 100 000, or the step count a fixed dt needs (up to {@link FIXED_STEP_CAP}). */
  maxSteps?: number;
  /** Smallest step a solve may take (an adaptive one reports underflow below it). Default 1e-14·max(|t0|, |t1|, |t1 − t0|). */
  dtMin?: number;
  /** Adaptive step-size controller: `"I"` (default) or `"PI"`. */
  controller?: ControllerKind;
  /** On maxSteps or underflow: throw (default), or return what was computed with a non-success status. */
  onFailure?: "throw" | "return";
}

/**
 * Defaults. Why these tolerances: rtol = 1e-6 gives about six correct digits — far below what a plot,
 * a float32 network or a training loss can resolve — yet for a fifth-order method it costs only about
 * (1e3)^(1/5) ≈ 4× the steps of a loose rtol = 1e-3. atol = 1e-9 matters only for components that pass
 * through zero, where a relative tolerance alone would demand ever smaller steps.
 */
export const DEFAULT_SOLVE_OPTIONS = Object.freeze({
  method: "tsit5" as MethodName,
  rtol: 1e-6,
  atol: 1e-9,
  maxSteps: 100_000,
  controller: "I" as ControllerKind,
  onFailure: "throw" as "throw" | "return",
});

/** Most fixed steps a solve takes without an explicit `maxSteps` (about a second of float64 Euler on a small system). */
export const FIXED_STEP_CAP = 10_000_000;

/** Everything the integration loop needs, validated. */
export interface Settings {
  readonly tableau: ButcherTableau;
  readonly t0: number;
  readonly t1: number;
  readonly adaptive: boolean;
  readonly dt?: number;
  readonly rtol: number;
  readonly atol: number;
  readonly saveat?: readonly number[];
  readonly maxSteps: number;
  readonly dtMin: number;
  readonly controller: ControllerKind;
  readonly onFailure: "throw" | "return";
}

/** Merges `options` with the defaults and checks everything; errors name the field and the fix. */
export function resolveSettings(tspan: readonly [number, number] | readonly number[], options: SolveOptions = {}): Settings {
  if (!Array.isArray(tspan) || tspan.length !== 2) {
    throw new Error(`tspan must be a pair [t0, t1], got ${JSON.stringify(tspan)}`);
  }
  const [t0, t1] = tspan;
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) throw new Error(`tspan must hold two finite numbers, got [${t0}, ${t1}]`);
  if (t0 === t1) throw new Error(`tspan: t0 and t1 are both ${t0}; the interval must have nonzero length (use t1 < t0 to integrate backwards)`);
  const known = new Set(["method", "dt", "adaptive", "rtol", "atol", "saveat", "maxSteps", "dtMin", "controller", "onFailure"]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new Error(`options.${key} is not a solver option; known options: ${[...known].join(", ")}`);
  }
  const o = { ...DEFAULT_SOLVE_OPTIONS, ...stripUndefined(options) };
  const tableau = resolveMethod(o.method);
  const embedded = tableau.bError !== undefined;

  if (!(typeof o.rtol === "number" && o.rtol > 0 && Number.isFinite(o.rtol))) throw new Error(`options.rtol must be a positive number such as 1e-6, got ${o.rtol}`);
  if (!(typeof o.atol === "number" && o.atol >= 0 && Number.isFinite(o.atol))) throw new Error(`options.atol must be zero or positive, such as 1e-9, got ${o.atol}`);
  if (o.dt !== undefined && !(typeof o.dt === "number" && o.dt > 0 && Number.isFinite(o.dt))) {
    throw new Error(`options.dt must be a positive number (the step length; the direction comes from tspan), got ${o.dt}`);
  }
  const adaptive = o.adaptive ?? embedded;
  if (adaptive && !embedded) {
    const withEstimate = Object.values(methods).filter((m) => m.bError !== undefined).map((m) => m.name);
    throw new Error(`options.adaptive: method '${tableau.name}' has no error estimate, so it cannot adapt its step; use an embedded method (${withEstimate.join(", ")}) or set a fixed dt`);
  }
  if (!adaptive && o.dt === undefined) {
    throw new Error(`options.dt is required: method '${tableau.name}' takes fixed steps, so pass a step length, e.g. { method: "${tableau.name}", dt: 0.01 }`);
  }
  const dtMin = o.dtMin ?? 1e-14 * Math.max(Math.abs(t0), Math.abs(t1), Math.abs(t1 - t0));
  if (!(typeof dtMin === "number" && dtMin >= 0 && Number.isFinite(dtMin))) throw new Error(`options.dtMin must be zero or positive, got ${o.dtMin}`);
  if (!adaptive && o.dt! < dtMin) {
    throw new Error(`options.dt = ${o.dt} is below dtMin = ${dtMin}: a step that short barely moves t in floating point; take a larger dt (tspan is [${t0}, ${t1}])`);
  }
  // A fixed step asks for a known number of steps, so by default the cap follows dt — up to
  // FIXED_STEP_CAP, beyond which a typo in dt (1e-9 for 1e-3) would run for minutes and fill memory.
  const fixedSteps = adaptive ? 0 : Math.ceil(Math.abs(t1 - t0) / o.dt!);
  if (options.maxSteps === undefined && fixedSteps > FIXED_STEP_CAP) {
    throw new Error(`options.dt = ${o.dt} needs ${fixedSteps} steps to cross tspan [${t0}, ${t1}]; take a larger dt, or pass options.maxSteps ≥ ${fixedSteps} if you mean it`);
  }
  const maxSteps = options.maxSteps === undefined && !adaptive ? Math.max(o.maxSteps, fixedSteps + 1) : o.maxSteps;
  if (!(Number.isInteger(maxSteps) && maxSteps > 0)) throw new Error(`options.maxSteps must be a positive integer, got ${o.maxSteps}`);
  if (o.controller !== "I" && o.controller !== "PI") throw new Error(`options.controller must be "I" or "PI", got ${JSON.stringify(o.controller)}`);
  if (o.onFailure !== "throw" && o.onFailure !== "return") throw new Error(`options.onFailure must be "throw" or "return", got ${JSON.stringify(o.onFailure)}`);

  return Object.freeze({
    tableau, t0, t1, adaptive, dt: o.dt, rtol: o.rtol, atol: o.atol,
    saveat: o.saveat === undefined ? undefined : checkSaveat(o.saveat, t0, t1),
    maxSteps, dtMin, controller: o.controller, onFailure: o.onFailure,
  });
}

function checkSaveat(saveat: readonly number[], t0: number, t1: number): readonly number[] {
  if (!Array.isArray(saveat) && !ArrayBuffer.isView(saveat)) throw new Error(`options.saveat must be an array of times, got ${typeof saveat}`);
  if (saveat.length === 0) throw new Error(`options.saveat is empty; give at least one time in [${t0}, ${t1}], or leave it out to save every step`);
  const dir = Math.sign(t1 - t0);
  const lo = Math.min(t0, t1);
  const hi = Math.max(t0, t1);
  const out = Array.from(saveat, Number);
  out.forEach((s, i) => {
    if (!Number.isFinite(s)) throw new Error(`options.saveat[${i}] is ${s}; every time must be a finite number`);
    if (s < lo || s > hi) throw new Error(`options.saveat[${i}] = ${s} lies outside tspan [${t0}, ${t1}]; drop it or widen tspan`);
    if (i > 0 && dir * (s - out[i - 1]) <= 0) {
      throw new Error(`options.saveat must be strictly ${dir > 0 ? "increasing" : "decreasing"} (the direction of integration), but saveat[${i}] = ${s} follows saveat[${i - 1}] = ${out[i - 1]}`);
    }
  });
  return Object.freeze(out);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
