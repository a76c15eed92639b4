/**
 * One table of test problems with exact solutions or invariants, shared by the tests, the
 * benchmarks and the notebooks.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { solve } from "./solve";
import type { VectorField } from "./state";
import type { TensorField } from "./tensor-space";

/** An initial value problem with something known about its solution. */
export interface TestProblem {
  /** Key in {@link problems}. */
  readonly name: string;
  /** The equations and initial state, in one line. */
  readonly description: string;
  /** float64 right-hand side. */
  readonly f: VectorField;
  /** The same right-hand side on tensors of shape `[n]` or `[B, n]`. */
  readonly fTensor: TensorField;
  /** Initial state at `tspan[0]`. */
  readonly u0: readonly number[];
  /** The interval the tests and benchmarks integrate over. */
  readonly tspan: readonly [number, number];
  /** Exact solution at any time, when known in closed form (or via the matrix exponential). */
  readonly exact?: (t: number) => number[];
  /** The exact state at `tspan[1]`, when known (e.g. after one period of a periodic orbit). */
  readonly uFinal?: readonly number[];
  /** A quantity the exact flow conserves. */
  readonly invariant?: (u: ArrayLike<number>) => number;
}

/** The last axis of a `[n]` or `[B, n]` tensor as a list of `n` tensors. */
const components = (u: tf.Tensor) => tf.unstack(u, u.rank - 1);
const assemble = (parts: tf.Tensor[]) => tf.stack(parts, parts[0].rank);

/**
 * u(t) = expm(A t) u0 for the linear system u' = A u, via mathjs (loaded on first use: it takes
 * about half a second to import).
 */
export function linearExact(A: readonly (readonly number[])[], u0: readonly number[]): (t: number) => number[] {
  return (t) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const math = require("mathjs") as typeof import("mathjs");
    const At = math.multiply(math.matrix(A.map((row) => [...row])), t);
    return (math.multiply(math.expm(At), math.matrix([...u0])) as import("mathjs").Matrix).toArray() as number[];
  };
}

const LAMBDA = 0.7;
/** u' = −λu: the simplest test, exact solution u0·e^(−λt). */
export const decay: TestProblem = {
  name: "decay",
  description: "exponential decay u' = -0.7 u, u(0) = 1",
  f: (_t, u) => [-LAMBDA * u[0]],
  fTensor: (_t, u) => tf.mul(u, -LAMBDA),
  u0: [1],
  tspan: [0, 2],
  exact: (t) => [Math.exp(-LAMBDA * t)],
};

const OMEGA = 2;
/** x'' = −ω²x as a first-order system; energy is conserved. */
export const harmonic: TestProblem = {
  name: "harmonic",
  description: "harmonic oscillator x'' = -4x, (x, v)(0) = (1, 0)",
  f: (_t, u) => [u[1], -OMEGA * OMEGA * u[0]],
  fTensor: (_t, u) => {
    const [x, v] = components(u);
    return assemble([v, tf.mul(x, -OMEGA * OMEGA)]);
  },
  u0: [1, 0],
  tspan: [0, 10],
  exact: (t) => [Math.cos(OMEGA * t), -OMEGA * Math.sin(OMEGA * t)],
  invariant: (u) => 0.5 * u[1] * u[1] + 0.5 * OMEGA * OMEGA * u[0] * u[0],
};

/** The lecture's matrix A, used by the damped rotation and the cubic spiral. */
export const SPIRAL_A: readonly (readonly number[])[] = Object.freeze([Object.freeze([-0.1, 2]), Object.freeze([-2, -0.1])]);

/**
 * u' = Aᵀu with the lecture's A (row-vector convention uᵀA, as in the spiral): a slowly damped
 * rotation. Linear, so `exact` is the matrix exponential — the reference for convergence orders.
 */
export const dampedRotation: TestProblem = {
  name: "dampedRotation",
  description: "linear system u' = (uᵀA)ᵀ, A = [[-0.1, 2], [-2, -0.1]], u(0) = (2, 0)",
  f: (_t, u) => [SPIRAL_A[0][0] * u[0] + SPIRAL_A[1][0] * u[1], SPIRAL_A[0][1] * u[0] + SPIRAL_A[1][1] * u[1]],
  fTensor: (_t, u) => {
    const A = tf.tensor2d(SPIRAL_A as number[][]);
    return u.rank === 1 ? tf.dot(u, A) : tf.matMul(u, A);
  },
  u0: [2, 0],
  tspan: [0, 5],
  exact: linearExact([[SPIRAL_A[0][0], SPIRAL_A[1][0]], [SPIRAL_A[0][1], SPIRAL_A[1][1]]], [2, 0]),
};

/** Lotka–Volterra parameters α, β, δ, γ (prey growth, predation, predator death, predator growth). */
export const LV = Object.freeze({ alpha: 1.5, beta: 1, delta: 3, gamma: 1 });

/** Conserved quantity of Lotka–Volterra: V = γx − δ ln x + βy − α ln y. */
export function lotkaVolterraInvariant(u: ArrayLike<number>): number {
  const { alpha, beta, delta, gamma } = LV;
  return gamma * u[0] - delta * Math.log(u[0]) + beta * u[1] - alpha * Math.log(u[1]);
}

/** Predator–prey: x' = αx − βxy, y' = γxy − δy. Periodic orbits; V is conserved. */
export const lotkaVolterra: TestProblem = {
  name: "lotkaVolterra",
  description: "Lotka–Volterra x' = 1.5x - xy, y' = xy - 3y, (x, y)(0) = (1, 1)",
  f: (_t, u) => {
    const { alpha, beta, delta, gamma } = LV;
    const x = u[0];
    const y = u[1];
    return [alpha * x - beta * x * y, gamma * x * y - delta * y];
  },
  fTensor: (_t, u) => {
    const { alpha, beta, delta, gamma } = LV;
    const [x, y] = components(u);
    const xy = tf.mul(x, y);
    return assemble([tf.sub(tf.mul(x, alpha), tf.mul(xy, beta)), tf.sub(tf.mul(xy, gamma), tf.mul(y, delta))]);
  },
  u0: [1, 1],
  tspan: [0, 10],
  invariant: lotkaVolterraInvariant,
};

/** The lecture's cubic spiral u' = (u.^3)ᵀ A: nonlinear, no closed form, spirals slowly inwards. */
export const cubicSpiral: TestProblem = {
  name: "cubicSpiral",
  description: "cubic spiral u' = ((u.^3)ᵀA)ᵀ, A = [[-0.1, 2], [-2, -0.1]], u(0) = (2, 0)",
  f: (_t, u) => {
    const x3 = u[0] * u[0] * u[0];
    const y3 = u[1] * u[1] * u[1];
    return [x3 * SPIRAL_A[0][0] + y3 * SPIRAL_A[1][0], x3 * SPIRAL_A[0][1] + y3 * SPIRAL_A[1][1]];
  },
  fTensor: (_t, u) => {
    const A = tf.tensor2d(SPIRAL_A as number[][]);
    const cube = tf.pow(u, 3);
    return u.rank === 1 ? tf.dot(cube, A) : tf.matMul(cube, A);
  },
  u0: [2, 0],
  tspan: [0, 1.5],
};

const MU = 0.012277471;
const ARENSTORF_PERIOD = 17.0652165601579625588917206249;
/** Jacobi constant of the restricted three-body problem in the rotating frame. */
function jacobi(u: ArrayLike<number>): number {
  const [x, y, vx, vy] = [u[0], u[1], u[2], u[3]];
  const r1 = Math.hypot(x + MU, y);
  const r2 = Math.hypot(x - (1 - MU), y);
  return 0.5 * (vx * vx + vy * vy) - 0.5 * (x * x + y * y) - (1 - MU) / r1 - MU / r2;
}

/**
 * Arenstorf's periodic orbit of the restricted three-body problem (earth, moon, satellite), state
 * (x, y, x', y'). After one period the satellite is back at u0; close passes by the moon make it a
 * hard test for step-size control (Hairer, Nørsett & Wanner I, §II.0).
 */
export const arenstorf: TestProblem = {
  name: "arenstorf",
  description: "Arenstorf orbit (restricted three-body problem), one period",
  f: (_t, u) => {
    const [x, y, vx, vy] = [u[0], u[1], u[2], u[3]];
    const d1 = Math.pow((x + MU) * (x + MU) + y * y, 1.5);
    const d2 = Math.pow((x - 1 + MU) * (x - 1 + MU) + y * y, 1.5);
    return [
      vx,
      vy,
      x + 2 * vy - ((1 - MU) * (x + MU)) / d1 - (MU * (x - 1 + MU)) / d2,
      y - 2 * vx - ((1 - MU) * y) / d1 - (MU * y) / d2,
    ];
  },
  fTensor: (_t, u) => {
    const [x, y, vx, vy] = components(u);
    const y2 = tf.square(y);
    const d1 = tf.pow(tf.add(tf.square(tf.add(x, MU)), y2), 1.5);
    const d2 = tf.pow(tf.add(tf.square(tf.sub(x, 1 - MU)), y2), 1.5);
    const ax = tf.sub(tf.sub(tf.add(x, tf.mul(vy, 2)), tf.div(tf.mul(tf.add(x, MU), 1 - MU), d1)), tf.div(tf.mul(tf.sub(x, 1 - MU), MU), d2));
    const ay = tf.sub(tf.sub(tf.sub(y, tf.mul(vx, 2)), tf.div(tf.mul(y, 1 - MU), d1)), tf.div(tf.mul(y, MU), d2));
    return assemble([vx, vy, ax, ay]);
  },
  u0: [0.994, 0, 0, -2.00158510637908252240537862224],
  tspan: [0, ARENSTORF_PERIOD],
  uFinal: [0.994, 0, 0, -2.00158510637908252240537862224],
  invariant: jacobi,
};

/** Every test problem by name. */
export const problems = Object.freeze({ decay, harmonic, dampedRotation, lotkaVolterra, cubicSpiral, arenstorf });

/**
 * The end state at `tspan[1]` to measure errors against: the exact one when known, else classical
 * RK4 with 10⁵ fixed steps — a reference that shares nothing with the adaptive machinery under test.
 */
export function referenceEnd(p: TestProblem): readonly number[] {
  if (p.uFinal) return p.uFinal;
  if (p.exact) return p.exact(p.tspan[1]);
  return solve(p.f, p.u0, p.tspan, { method: "rk4", dt: (p.tspan[1] - p.tspan[0]) / 100_000, saveat: [p.tspan[1]] }).u[0];
}
