/**
 * Step-size control, kept apart from the stepper: the stepper reports a scaled error norm, a
 * controller turns it into "accept or reject" and a factor for the next step.
 *
 * @module
 */

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

/**
 * Integral (I) control: h_new = h · SAFETY · err^(−1/k), k = errorOrder + 1, because the local
 * error estimate scales like h^k. After a rejection the next accepted step may not grow
 * (Hairer's rule), which stops accept/reject oscillation.
 */
export function integralController(errorOrder: number): StepController {
  const expo = 1 / (errorOrder + 1);
  let rejectedLast = false;
  return {
    judge(err) {
      if (!Number.isFinite(err)) {
        rejectedLast = true;
        return { accept: false, factor: FAC_MIN };
      }
      const accept = err <= 1;
      const maxFactor = rejectedLast ? 1 : FAC_MAX;
      const raw = err === 0 ? FAC_MAX : SAFETY * Math.pow(err, -expo);
      const factor = Math.min(accept ? maxFactor : 1, Math.max(FAC_MIN, raw));
      rejectedLast = !accept;
      return { accept, factor };
    },
  };
}

/**
 * Proportional–integral (PI) control (Gustafsson 1991; Hairer & Wanner II, §IV.2):
 * h_new = h · SAFETY · err_n^(−β1) · err_{n−1}^(β2) with β1 = 0.7/k, β2 = 0.4/k. Remembering the
 * previous error damps the step-size oscillation that pure I control shows on mildly stiff problems,
 * at the price of reacting a little more slowly.
 */
export function piController(errorOrder: number): StepController {
  const k = errorOrder + 1;
  const beta1 = 0.7 / k;
  const beta2 = 0.4 / k;
  // Guards err^β against err → 0 (a step that happened to be exact).
  const ERR_FLOOR = 1e-4;
  let errPrev = 1;
  let rejectedLast = false;
  return {
    judge(err) {
      if (!Number.isFinite(err)) {
        rejectedLast = true;
        return { accept: false, factor: FAC_MIN };
      }
      const accept = err <= 1;
      const e = Math.max(err, ERR_FLOOR);
      const raw = accept ? SAFETY * Math.pow(e, -beta1) * Math.pow(errPrev, beta2) : SAFETY * Math.pow(e, -1 / k);
      const factor = Math.min(accept ? (rejectedLast ? 1 : FAC_MAX) : 1, Math.max(FAC_MIN, raw));
      if (accept) errPrev = e;
      rejectedLast = !accept;
      return { accept, factor };
    },
  };
}

/** Which adaptive controller to use. */
export type ControllerKind = "I" | "PI";

/** Builds the controller for a solve: constant for fixed steps, otherwise the chosen adaptive one. */
export function makeController(kind: ControllerKind, adaptive: boolean, errorOrder: number): StepController {
  if (!adaptive) return constantController();
  return kind === "PI" ? piController(errorOrder) : integralController(errorOrder);
}
