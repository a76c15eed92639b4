/**
 * Residual networks and neural ODEs in TypeScript — the course library.
 *
 * - ODE integrators: {@link solve} (float64 arrays) and {@link solveTensor} (differentiable tfjs tensors),
 *   driven by Butcher tableaus ({@link methods}).
 * - Test problems with exact solutions or invariants: {@link problems}; the lecture's data sets.
 * - Plots: {@link plot} (inline in tslab with an interactive spec plus a static SVG; a browser window
 *   from scripts) and {@link liveLossPlot} for training.
 * - ResNet blocks on tfjs: {@link SkipConnection}, Flux-like {@link chain}/{@link dense}/{@link skip},
 *   {@link residualMlp}, the lecture's two models, seeded initialisers; {@link fit} trains them and
 *   {@link trainSeedEnsemble} trains many seeds at once for convergence surveys.
 * - Neural ODEs: {@link NeuralODE} over a {@link DenseField} (fast float64 path) or any tfjs model,
 *   with backprop or adjoint gradients, trained by {@link trainNeuralODE}.
 *
 * @packageDocumentation
 */
export { tf, BACKEND, backendInfo, selectBackend, activateBackend, type BackendInfo, type BackendSelection, type ModuleLoader, type BackendRegistry } from "./tf/backend";
export { solve, type Solution, type BatchSolution } from "./ode/solve";
export { solveTensor, type TensorSolution } from "./ode/solve-tensor";
export { DEFAULT_SOLVE_OPTIONS, type SolveOptions } from "./ode/options";
export { OdeSolveError, type SolveStats, type SolveStatus } from "./ode/integrate";
export { methods, resolveMethod, type MethodName } from "./ode/methods";
export { defineTableau, type ButcherTableau, type TableauSpec } from "./ode/tableau";
export { piController, controllerGains, type ControllerKind, type ControllerFactory, type ControllerOption, type StepController, type StepDecision, type PIGains } from "./ode/controller";
export type { VectorField } from "./ode/state";
export type { TensorField } from "./ode/tensor-space";
export { observedOrder } from "./ode/convergence";
export { problems, referenceEnd, linearExact, lotkaVolterraInvariant, LV, SPIRAL_A, type TestProblem } from "./ode/problems";
export { inNotebook, sendDisplay, newDisplayId, check, type DisplayBundle } from "./notebook";
export type { ProgressEvent, ProgressReporter } from "./train/reporter";
export { spiralData, lotkaVolterraData, linspace, type TrajectoryData, type DataOptions } from "./datasets";
export { NeuralODE, DEFAULT_NEURAL_ODE_OPTIONS, type NeuralODEOptions, type Sensitivity, type GradientStats, type LossAndGradients } from "./node/neural-ode";
export { DenseField, denseField, fieldFromLayers, DEFAULT_DENSE_FIELD, type DenseFieldOptions, type FieldModel } from "./node/dense-field";
export type { Activation as FieldActivation } from "./node/mlp64";
export { trainNeuralODE, DEFAULT_TRAIN_NODE, type TrainNodeOptions, type TrainNodeResult, type NodeEpochInfo, type NodeLoss } from "./node/train-node";
export { plot, displayBundle, renderSvg, toPlotlySpec, toVegaLiteSpec, defaultPlotOutput, PLOT_MIME, liveLossPlot, LIVE_PLOT_DEFAULTS, PLOT_DEFAULTS, PlotError, type PlotOutput, type LiveLossPlotOptions, type Trace, type Layout, type Axis, type Title, type Mode, type Dash, type PlotlySpec, type VegaLiteSpec } from "./plot";
export { SkipConnection, skipConnection, type SkipConnectionArgs, type Combine } from "./nn/skip-connection";
export { chain, dense, skip, type LayerSpec, type ChainItem, type ChainOptions, type DenseOptions, type Activation } from "./nn/chain";
export { residualMlp, lectureDense, lectureResNet, identityData, type ResidualMlpOptions } from "./nn/resnet";
export { glorotUniform, glorotNormal, type InitName } from "./nn/init";
export { fit, type FitResult, type Data } from "./train/fit";
export { DEFAULT_FIT_OPTIONS, type FitOptions } from "./train/options";
export type { EpochInfo, StopReason } from "./train/stopping";
export { makeTrainStep, type TrainStep, type TrainStepOptions } from "./train/step";
export { FlatAdam, DEFAULT_ADAM, type AdamOptions } from "./train/adam";
export { mse, sse, losses, type LossFn, type LossName } from "./train/losses";
export { TerminalProgress, NotebookProgress, LogProgress, resolveProgress, type ProgressOption } from "./train/progress";
export { trainSeedEnsemble, DEFAULT_SEED_ENSEMBLE, type SeedEnsembleOptions, type SeedOutcome } from "./train/ensemble";
// The library's contract (lib/options): one options schema whose keys the compiler checks against an
// options interface (`defineOptions`, `Rules`), the rules it is built from, and one message style —
// function, argument, value with its type, fix (`describeValue`, `ArgumentError`). Use these for new options.
// The rule constructors come as one namespace, `rules.positiveNumber("1e-3")`, to keep short names such as `seed` out of the top level.
export { ArgumentError, describeValue, defineOptions, checkValue, nested, nearMisses, readNumbers, checkFinite, formatShape, type Rule, type Rules, type Resolved, type OptionsSchema, type Where, type NumberGrid } from "./options";
export * as rules from "./options/rules";
