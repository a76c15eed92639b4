/**
 * Solver options: their types, frozen defaults, and validation whose messages name the field.
 *
 * @module
 */
import { describeValue } from "../options/describe";
import { checkValue, defineOptions, fail, type Rules, type Where } from "../options/schema";
import { boolean, either, func, nonNegativeNumber, numberArray, oneOf, positiveInteger, positiveNumber, rule } from "../options/rules";
import type { ButcherTableau } from "./tableau";
import type { ControllerKind, ControllerOption } from "./controller";
import { methods, resolveMethod, suggestMethod, type MethodName } from "./methods";

/** Options shared by {@link solve} (float64) and {@link solveTensor} (float32 tensors). */
export interface SolveOptions {
  /** A built-in method name or your own tableau. Default `"tsit5"`, the lecture's method. */
  method?: MethodName | ButcherTableau;
  /**
   * Step length (positive; the direction comes from `tspan`). Required for methods without an error
   * estimate (euler, midpoint, heun, rk4); the last step is shortened to land on t1. A fixed dt
   * longer than the whole span is an error (no step of that length fits; pass dt = |t1 − t0| for one
   * step). For adaptive methods dt is only the first trial step, cut to the span if longer.
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
  /**
   * Adaptive step-size controller: `"I"` (default), `"PI"`, or your own {@link ControllerFactory},
   * e.g. `(q) => piController(q, { beta1: 0.6 / (q + 1), beta2: 0.2 / (q + 1) })`. Adaptive solves only.
   */
  controller?: ControllerOption;
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
  readonly controller: ControllerOption;
  readonly onFailure: "throw" | "return";
  /** The function the user called (`"solve"`, `"NeuralODE"`), for messages raised during the solve. */
  readonly fn?: string;
}

/** The rules of {@link SolveOptions}, checked by the compiler against the interface (NeuralODE reuses them). */
export const SOLVE_RULES = {
  method: rule(`one of ${Object.keys(methods).map((m) => `"${m}"`).join(", ")}, or a tableau from defineTableau`,
    (v): v is MethodName | ButcherTableau => (typeof v === "string" && Object.hasOwn(methods, v)) || isTableau(v), { hint: suggestMethod }),
  dt: positiveNumber("0.01 (the step length; the direction comes from tspan)"),
  adaptive: boolean,
  rtol: positiveNumber("1e-6"),
  atol: nonNegativeNumber("1e-9"),
  saveat: numberArray("an array of times such as [0, 0.5, 1]"),
  maxSteps: positiveInteger("100000"),
  dtMin: nonNegativeNumber("1e-12"),
  controller: either(oneOf(["I", "PI"] as const), func("(errorOrder) => StepController, such as (q) => piController(q, { beta1: 0.6 / (q + 1), beta2: 0.2 / (q + 1) })")),
  onFailure: oneOf(["throw", "return"] as const),
} satisfies Rules<SolveOptions>;

const SOLVE_SCHEMA = defineOptions<SolveOptions, typeof DEFAULT_SOLVE_OPTIONS>(SOLVE_RULES, DEFAULT_SOLVE_OPTIONS, "{ rtol: 1e-6 }");

/** `tspan`, for `solve` (an argument) and `NeuralODE` (an option). */
export const TSPAN_RULE = rule("a pair [t0, t1] of finite numbers such as [0, 1]",
  (v): v is readonly [number, number] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number" && Number.isFinite(x)));

function isTableau(v: unknown): v is ButcherTableau {
  const t = v as ButcherTableau | null;
  return typeof t === "object" && t !== null && Array.isArray(t.c) && Array.isArray(t.a) && Array.isArray(t.b);
}

/** A dt this much longer than the span is rounding (0.1 + 0.2 for 0.3), not a request for a longer step. */
const DT_OVER_SPAN = 1e-10;

/**
 * Merges `options` with the defaults and checks everything; `fn` is the function the user called,
 * and every message names it, the option, the value with its type and the fix.
 */
export function resolveSettings(tspan: readonly [number, number] | readonly number[], options?: SolveOptions, fn = "solve"): Settings {
  const at = (path: string): Where => ({ fn, path });
  checkValue(at("tspan"), TSPAN_RULE, tspan);
  const [t0, t1] = tspan;
  if (t0 === t1) fail(at("tspan"), `tspan: t0 and t1 are both ${t0}; the interval must have nonzero length (use t1 < t0 to integrate backwards)`);
  const o = SOLVE_SCHEMA.parse(options, fn);
  const tableau = resolveMethod(o.method);
  const embedded = tableau.bError !== undefined;

  const adaptive = o.adaptive ?? embedded;
  if (adaptive && !embedded) {
    const withEstimate = Object.values(methods).filter((m) => m.bError !== undefined).map((m) => m.name);
    fail(at("options.adaptive"), `options.adaptive is true, but method '${tableau.name}' has no error estimate, so it cannot adapt its step; use an embedded method (${withEstimate.join(", ")}) or set a fixed dt`);
  }
  if (!adaptive && o.dt === undefined) {
    fail(at("options.dt"), `options.dt is required: method '${tableau.name}' takes fixed steps, so pass a step length, e.g. { method: "${tableau.name}", dt: 0.01 }`);
  }
  if (!adaptive && options?.controller !== undefined) {
    fail(at("options.controller"), `options.controller is ${describeValue(options.controller)}, but this solve takes fixed steps (method '${tableau.name}'), so there is no step size to control; drop controller, or use an embedded method such as "tsit5"`);
  }
  const span = Math.abs(t1 - t0);
  const dtMin = o.dtMin ?? 1e-14 * Math.max(Math.abs(t0), Math.abs(t1), span);
  if (!adaptive && o.dt! < dtMin) {
    fail(at("options.dt"), `options.dt = ${o.dt} is below dtMin = ${dtMin}: a step that short barely moves t in floating point; take a larger dt (tspan is [${t0}, ${t1}])`);
  }
  // A fixed dt states the step length. One longer than the span cannot be honoured, and cutting it to
  // the span silently would give a different h than asked (wrong in a convergence study); the usual
  // cause is a mistake (a step count, or other units), so say so. One step of the span: dt = |t1 − t0|.
  if (!adaptive && o.dt! - span > DT_OVER_SPAN * span) {
    fail(at("options.dt"), `options.dt = ${o.dt} is longer than tspan [${t0}, ${t1}] (length ${span}), so not one step of that length fits; ` +
      `take dt ≤ ${span}, e.g. dt: ${span / 100} for 100 steps (dt: ${span} takes a single step)`);
  }
  // A fixed step asks for a known number of steps, so by default the cap follows dt — up to
  // FIXED_STEP_CAP, beyond which a typo in dt (1e-9 for 1e-3) would run for minutes and fill memory.
  const fixedSteps = adaptive ? 0 : Math.ceil(span / o.dt!);
  if (options?.maxSteps === undefined && fixedSteps > FIXED_STEP_CAP) {
    fail(at("options.dt"), `options.dt = ${o.dt} needs ${fixedSteps} steps to cross tspan [${t0}, ${t1}]; take a larger dt, or pass options.maxSteps ≥ ${fixedSteps} if you mean it`);
  }
  const maxSteps = options?.maxSteps === undefined && !adaptive ? Math.max(o.maxSteps, fixedSteps + 1) : o.maxSteps;

  return Object.freeze({
    tableau, t0, t1, adaptive, dt: o.dt, rtol: o.rtol, atol: o.atol,
    saveat: o.saveat === undefined ? undefined : checkSaveat(o.saveat, t0, t1, at("options.saveat")),
    maxSteps, dtMin, controller: o.controller, onFailure: o.onFailure, fn,
  });
}

function checkSaveat(saveat: ArrayLike<number>, t0: number, t1: number, at: Where): readonly number[] {
  if (saveat.length === 0) fail(at, `options.saveat is empty; give at least one time in [${t0}, ${t1}], or leave it out to save every step`);
  const dir = Math.sign(t1 - t0);
  const lo = Math.min(t0, t1);
  const hi = Math.max(t0, t1);
  const out = Array.from(saveat);
  out.forEach((s, i) => {
    if (typeof s !== "number" || !Number.isFinite(s)) fail(at, `options.saveat[${i}] is ${describeValue(s)}; every time must be a finite number`);
    if (s < lo || s > hi) fail(at, `options.saveat[${i}] = ${s} lies outside tspan [${t0}, ${t1}]; drop it or widen tspan`);
    if (i > 0 && dir * (s - out[i - 1]) <= 0) {
      fail(at, `options.saveat must be strictly ${dir > 0 ? "increasing" : "decreasing"} (the direction of integration), but saveat[${i}] = ${s} follows saveat[${i - 1}] = ${out[i - 1]}`);
    }
  });
  return Object.freeze(out);
}
