/**
 * Residual networks and neural ODEs in TypeScript — the course library.
 *
 * - ODE integrators: {@link solve} (float64 arrays) and {@link solveTensor} (differentiable tfjs tensors),
 *   driven by Butcher tableaus ({@link methods}).
 * - Test problems with exact solutions or invariants: {@link problems}.
 *
 * @packageDocumentation
 */
export { solve, type Solution, type BatchSolution } from "./ode/solve";
export { solveTensor, type TensorSolution } from "./ode/solve-tensor";
export { DEFAULT_SOLVE_OPTIONS, type SolveOptions } from "./ode/options";
export { OdeSolveError, type SolveStats, type SolveStatus } from "./ode/integrate";
export { methods, resolveMethod, type MethodName } from "./ode/methods";
export { defineTableau, type ButcherTableau, type TableauSpec } from "./ode/tableau";
export type { ControllerKind } from "./ode/controller";
export type { VectorField } from "./ode/state";
export type { TensorField } from "./ode/tensor-space";
export { problems, linearExact, lotkaVolterraInvariant, LV, SPIRAL_A, type TestProblem } from "./ode/problems";
export { inNotebook, sendDisplay, newDisplayId, type DisplayBundle } from "./notebook";
export type { ProgressEvent, ProgressReporter } from "./train/reporter";
