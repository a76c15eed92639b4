/**
 * Step-size control, kept apart from the stepper: the stepper reports a scaled error norm, a
 * controller turns it into "accept or reject" and a factor for the next step.
 *
 * @module
 */
import { ArgumentError, describeValue } from "../options/describe";
import { defineOptions } from "../options/schema";
import { nonNegativeNumber, positiveNumber, required } from "../options/rules";

/** A controller's verdict on one trial step. */
export interface StepDecision {
  /** Keep the step? */
  readonly accept: boolean;
  /** Multiply h by this for the next trial (after a rejection: for the retry). */
  readonly factor: number;
}

/** Turns the scaled error norm of a trial step (≤ 1 means within tolerance) into a decision. */
export interface StepController {
  judge(errNorm: number): StepDecision;
}

/** Aim below the tolerance, so the next step is likely accepted (Hairer, Nørsett & Wanner I, §II.4). */
export const SAFETY = 0.9;
/** Never shrink by more than 5× at once: a single bad estimate should not collapse h (scipy uses 0.2 too). */
export const FAC_MIN = 0.2;
/** Never grow by more than 10× at once: the error model h^(q+1) is only trusted near the current h (DOPRI5, scipy). */
export const FAC_MAX = 10;

/** The fixed-step "controller": every step is accepted and h never changes. */
export function constantController(): StepController {
  const keep: StepDecision = Object.freeze({ accept: true, factor: 1 });
  return { judge: () => keep };
}

/** Exponents of a PI controller: h_new = h · SAFETY · err_n^(−β1) · err_{n−1}^(β2). */
export interface PIGains {
  /** Weight of the current error; 1/k is pure I control (k = error order + 1). */
  readonly beta1: number;
  /** Weight of the previous accepted step's error; 0 is pure I control. */
  readonly beta2: number;
}

/**
 * The built-in gains for an error estimate of order q, k = q + 1. "I": β1 = 1/k, β2 = 0, because the
 * local error scales like h^k. "PI": β1 = 0.7/k, β2 = 0.4/k (Gustafsson 1991; Hairer & Wanner II,
 * §IV.2): remembering the previous error damps the step-size oscillation that I control shows on
 * mildly stiff problems, at the price of reacting a little more slowly.
 */
export function controllerGains(kind: ControllerKind, errorOrder: number): PIGains {
  const k = errorOrder + 1;
  return kind === "PI" ? { beta1: 0.7 / k, beta2: 0.4 / k } : { beta1: 1 / k, beta2: 0 };
}

const GAINS = defineOptions<PIGains>({
  beta1: required(positiveNumber("0.14")),
  beta2: required(nonNegativeNumber("0.08")),
}, {}, "{ beta1: 0.14, beta2: 0.08 }", "gains");

/** Guards err^β against err → 0 (a step that happened to be exact) when the memory term is used. */
const ERR_FLOOR = 1e-4;

/**
 * Proportional–integral step control (gains "PI" by default, "I", or your own {@link PIGains}); integral (I) control is its β2 = 0 case, and is the default.
 * An accepted step sets h_new = h · SAFETY · err^(−β1) · errPrev^(β2); a rejected one retries with
 * the I rule h · SAFETY · err^(−1/k). After a rejection the next accepted step may not grow
 * (Hairer's rule), which stops accept/reject oscillation. A non-finite error is a rejection with the
 * largest shrink.
 *
 * The floor on err only matters for β2 > 0: there it keeps the memory term finite. Pure I control
 * needs none (err = 0 gives +∞, capped at FAC_MAX), so "I" is exactly the classical rule.
 */
export function piController(errorOrder: number, gains: ControllerKind | PIGains = "PI"): StepController {
  const { beta1, beta2 } = typeof gains === "string" ? controllerGains(gains, errorOrder) : GAINS.parse(gains, { fn: "piController", path: "gains" });
  const rejectExpo = 1 / (errorOrder + 1);
  let errPrev = 1;
  let rejectedLast = false;
  return {
    judge(err) {
      if (!Number.isFinite(err)) {
        rejectedLast = true;
        return { accept: false, factor: FAC_MIN };
      }
      const accept = err <= 1;
      const e = beta2 > 0 ? Math.max(err, ERR_FLOOR) : err;
      const raw = accept ? SAFETY * Math.pow(e, -beta1) * Math.pow(errPrev, beta2) : SAFETY * Math.pow(e, -rejectExpo);
      const factor = Math.min(accept ? (rejectedLast ? 1 : FAC_MAX) : 1, Math.max(FAC_MIN, raw));
      if (accept) errPrev = e;
      rejectedLast = !accept;
      return { accept, factor };
    },
  };
}

/** Which built-in adaptive controller to use. */
export type ControllerKind = "I" | "PI";

/**
 * Your own step controller: called once per solve (a controller keeps state between steps, so each
 * solve needs a fresh one) with the method's error order q; the error estimate scales like h^(q+1).
 * E.g. `(q) => piController(q, { beta1: 0.6 / (q + 1), beta2: 0.2 / (q + 1) })`.
 */
export type ControllerFactory = (errorOrder: number) => StepController;

/** The `controller` option: a built-in kind or your own factory. */
export type ControllerOption = ControllerKind | ControllerFactory;

/** Builds the controller for a solve: constant for fixed steps, otherwise the chosen adaptive one. */
export function makeController(option: ControllerOption, adaptive: boolean, errorOrder: number, fn = "solve"): StepController {
  if (!adaptive) return constantController();
  if (typeof option !== "function") return piController(errorOrder, option);
  return checked(option(errorOrder), fn);
}

/** A user's controller, with its answers checked: a NaN factor would otherwise end as a silent step-size underflow. */
function checked(controller: StepController, fn: string): StepController {
  if (typeof controller?.judge !== "function") {
    throw new ArgumentError(`${fn}: options.controller must return a StepController, an object with judge(errNorm) => { accept, factor }; got ${describeValue(controller)}`);
  }
  return {
    judge(err) {
      const d = controller.judge(err);
      if (typeof d?.accept !== "boolean" || !(typeof d.factor === "number" && d.factor > 0 && Number.isFinite(d.factor))) {
        throw new ArgumentError(`${fn}: options.controller: judge(${err}) returned ${describeValue(d)}; return { accept: true or false, factor: a positive finite number }`);
      }
      return d;
    },
  };
}
