/**
 * The lecture's two systems as data sets: the true dynamics solved in float64 and sampled at
 * `saveat`, ready to train a neural ODE on.
 *
 * @module
 */
import { solve } from "./ode/solve";
import { problems } from "./ode/problems";
import type { SolveOptions } from "./ode/options";

/** Samples of one trajectory. */
export interface TrajectoryData {
  /** Sample times. */
  t: number[];
  /** `u[i]` is the true state at `t[i]`. */
  u: number[][];
  u0: number[];
  tspan: [number, number];
}

/** Options shared by the data generators. */
export interface DataOptions {
  /** Number of evenly spaced samples on tspan, ends included (ignored when `t` is given). */
  samples?: number;
  /** Explicit sample times (uneven allowed), instead of `samples`. */
  t?: readonly number[];
  u0?: readonly number[];
  tspan?: readonly [number, number];
  /** Solver options for the reference solution; default tsit5 at rtol 1e-7, atol 1e-9 as in the lecture. */
  solver?: Omit<SolveOptions, "saveat">;
}

/** Evenly spaced times from a to b, both included. */
export function linspace(a: number, b: number, count: number): number[] {
  if (!(Number.isInteger(count) && count >= 2)) throw new Error(`count must be an integer ≥ 2; got ${count}`);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? b : a + ((b - a) * i) / (count - 1)));
}

function sample(name: "cubicSpiral" | "lotkaVolterra", defaults: { samples: number }, options: DataOptions): TrajectoryData {
  const p = problems[name];
  const tspan: [number, number] = [...(options.tspan ?? p.tspan)] as [number, number];
  const u0 = [...(options.u0 ?? p.u0)];
  const t = options.t ? [...options.t] : linspace(tspan[0], tspan[1], options.samples ?? defaults.samples);
  const sol = solve(p.f, u0, tspan, { method: "tsit5", rtol: 1e-7, atol: 1e-9, ...options.solver, saveat: t });
  return { t: sol.t, u: sol.u, u0, tspan };
}

/** The lecture's cubic spiral u' = ((u.^3)ᵀA)ᵀ: u0 = [2, 0], t ∈ [0, 1.5], 16 samples by default. */
export function spiralData(options: DataOptions = {}): TrajectoryData {
  return sample("cubicSpiral", { samples: 16 }, options);
}

/** Lotka–Volterra (α, β, δ, γ = 1.5, 1, 3, 1): u0 = [1, 1], t ∈ [0, 10], 100 samples by default. */
export function lotkaVolterraData(options: DataOptions = {}): TrajectoryData {
  return sample("lotkaVolterra", { samples: 100 }, options);
}
