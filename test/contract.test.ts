// The library's contract: every class of bad input gets a message that names the function, the
// argument or option, the value with its type, and the fix — before any work is done. Plus the one
// PI controller (I is its β2 = 0 case) and the fixed-dt rule.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../lib/tf/backend";
import {
  ArgumentError, NeuralODE, PlotError, chain, controllerGains, defineOptions, dense, denseField, describeValue, fit, lectureDense,
  makeTrainStep, nearMisses, piController, problems, residualMlp, rules, skip, solve, solveTensor, toPlotlySpec, trainNeuralODE,
  type Rules, type StepController,
} from "../lib";
import { FlatAdam } from "../lib/train/adam";

const osc = problems.harmonic;
const field = denseField({ sizes: [2, 5, 2], seed: 0 });
const fastNode = new NeuralODE(field, { tspan: [0, 1], saveat: [0.5, 1] });
const tensorNode = new NeuralODE(field, { tspan: [0, 1], saveat: [0.5, 1], fastPath: false });
const layersNode = new NeuralODE(chain(dense(2, 4, "tanh"), dense(4, 2), { seed: 1 }), { tspan: [0, 1], saveat: [0.5, 1] });
const data2 = [[1, 0], [0.5, 0.5]];

/** The message of what `run` throws (sync or async), asserting its class. */
async function messageOf(run: () => unknown, errorClass: new (...args: never[]) => Error = ArgumentError): Promise<string> {
  try {
    await run();
  } catch (e) {
    assert.ok(e instanceof errorClass, `expected ${errorClass.name}, got ${(e as Error).name}: ${(e as Error).message}`);
    return (e as Error).message;
  }
  assert.fail("expected an error, but the call succeeded");
}

/** Asserts the thrown message contains every part, in order. */
async function fails(run: () => unknown, parts: string[], errorClass?: new (...args: never[]) => Error): Promise<void> {
  const message = await messageOf(run, errorClass);
  let from = 0;
  for (const part of parts) {
    const at = message.indexOf(part, from);
    assert.ok(at >= 0, `message lacks ${JSON.stringify(part)} (after position ${from}):\n${message}`);
    from = at + part.length;
  }
}

test("options that are not an object are rejected, naming the function and the value's type", async () => {
  await fails(() => solve(osc.f, osc.u0, osc.tspan, 3 as never), ["solve: options must be an object such as { rtol: 1e-6 }, got the number 3"]);
  await fails(() => solve(osc.f, osc.u0, osc.tspan, [1e-6] as never), ["solve: options must be an object", "got [0.000001] (a number)"]);
  await fails(() => solveTensor(osc.fTensor!, osc.u0, osc.tspan, tf.scalar(1) as never), ["solveTensor: options must be an object", "got a tf.Tensor of shape []"]);
  await fails(() => new NeuralODE(field, "adjoint" as never), ["NeuralODE: options must be an object such as { tspan: [0, 1.5], saveat: t }, got the string \"adjoint\""]);
  await fails(() => fit(lectureDense(1), [[1]], [[1]], 100 as never), ["fit: options must be an object", "got the number 100"]);
  await fails(() => trainNeuralODE(fastNode, [1, 0], data2, null as never), ["trainNeuralODE: options must be an object", "got null"]);
  await fails(() => chain(dense(1, 1), 7 as never), ["chain: options must be an object such as { seed: 7 }, got the number 7"]);
  await fails(() => dense(1, 1, "tanh", true as never), ["dense: options must be an object", "got the boolean true"]);
  await fails(() => residualMlp(2 as never), ["residualMlp: options must be an object", "got the number 2"]);
  await fails(() => makeTrainStep(lectureDense(1), "mse" as never), ["makeTrainStep: options must be an object", "got the string \"mse\""]);
  await fails(() => toPlotlySpec([{ y: [1] }], "log" as never), ["plot: layout must be an object", "got the string \"log\""], PlotError);
});

test("unknown keys list the function's own options, with a did-you-mean for near misses", async () => {
  // NeuralODE lists its own options and the solver's (but not saveat/onFailure twice or at all).
  const node = await messageOf(() => new NeuralODE(field, { tspan: [0, 1], sensitivty: "adjoint" } as never));
  assert.match(node, /^NeuralODE: options\.sensitivty is not a NeuralODE option; did you mean "sensitivity"\? Known options: /);
  const known = node.split("Known options: ")[1].split(", ");
  assert.deepEqual(known, ["tspan", "saveat", "sensitivity", "fastPath", "method", "dt", "adaptive", "rtol", "atol", "maxSteps", "dtMin", "controller"]);
  await fails(() => new NeuralODE(field, { tspan: [0, 1], onFailure: "return" } as never), ["options.onFailure is not a NeuralODE option; known options: tspan"]);
  await fails(() => solve(osc.f, osc.u0, osc.tspan, { reltol: 1e-6 } as never), ["solve: options.reltol is not a solve option; known options: method, dt, adaptive, rtol, atol, saveat, maxSteps, dtMin, controller, onFailure"]);
  await fails(() => solveTensor(osc.fTensor!, osc.u0, osc.tspan, { atoll: 1e-6 } as never), ["solveTensor: options.atoll is not a solveTensor option; did you mean \"atol\"?"]);
  await fails(() => fit(lectureDense(1), [[1]], [[1]], { batchsize: 4 } as never), ["fit: options.batchsize is not a fit option; did you mean \"batchSize\"?"]);
  await fails(() => trainNeuralODE(fastNode, [1, 0], data2, { epochs: 1, learning_rate: 0.1 } as never), ["trainNeuralODE: options.learning_rate", "did you mean \"learningRate\"?", "Known options: epochs, learningRate, optimizer"]);
  await fails(() => residualMlp({ inputs: 1, block: 3 } as never), ["residualMlp: options.block is not a residualMlp option; did you mean \"blocks\"?"]);
  await fails(() => dense(1, 1, "linear", { bias: false } as never), ["dense: options.bias is not a dense option; known options: init, useBias"]);
  await fails(() => toPlotlySpec([{ y: [1], line: { colour: "red" } } as never]), ["plot: traces[0].line.colour is not a line option; did you mean \"color\"?"], PlotError);
  await fails(() => toPlotlySpec([{ y: [1] }], { xaxis: { typ: "log" } } as never), ["plot: layout.xaxis.typ is not a axis option; did you mean \"type\"?"], PlotError);
});

test("a value of the wrong type is shown with its type, and the fix is named", async () => {
  await fails(() => solve(osc.f, osc.u0, osc.tspan, { rtol: "1e-3" as never }), ["solve: options.rtol must be a positive number such as 1e-6, got the string \"1e-3\"; write it without quotes: 1e-3"]);
  await fails(() => solve(osc.f, osc.u0, [0, "1"] as never), ["solve: tspan must be a pair [t0, t1] of finite numbers such as [0, 1], got [0, \"1\"] (a number and a string)"]);
  await fails(() => solve(osc.f, osc.u0, 10 as never), ["solve: tspan must be a pair", "got the number 10"]);
  await fails(() => solve(osc.f, osc.u0, osc.tspan, { adaptive: "true" as never }), ["options.adaptive must be true or false, got the string \"true\"; write it without quotes: true"]);
  await fails(() => solve(osc.f, osc.u0, osc.tspan, { onFailure: "Return" as never }), ["options.onFailure must be \"throw\" or \"return\", got the string \"Return\"; names are case-sensitive: \"return\""]);
  await fails(() => solve(osc.f, osc.u0, osc.tspan, { method: "RK45" as never }), ["options.method must be one of \"euler\"", "got the string \"RK45\"; did you mean \"dopri5\"?"]);
  await fails(() => solve("f" as never, osc.u0, osc.tspan), ["solve: f must be a function (t, u) => du", "got the string \"f\""]);
  await fails(() => trainNeuralODE(fastNode, [1, 0], data2, { epochs: "5" as never }), ["trainNeuralODE: options.epochs must be a positive integer such as 300, got the string \"5\""]);
  await fails(() => fit(lectureDense(1), [[1]], [[1]], { shuffle: 1 as never }), ["fit: options.shuffle must be true or false, got the number 1"]);
  await fails(() => fit(lectureDense(1), [[1]], [[1]], { optimizer: { minimize() {} } as never }), ["fit: options.optimizer must be a tfjs optimizer such as tf.train.adam(1e-3), got an object { minimize: function }"]);
  await fails(() => dense("2" as never, 3), ["dense: inputs must be a positive integer such as 8 (a number of features), got the string \"2\"; write it without quotes: 2"]);
  await fails(() => skip([dense(2, 2)], "sum" as never), ["skip: combine must be \"add\" or \"concat\", got the string \"sum\""]);
  await fails(() => chain(dense(1, 1), { seed: -1 }), ["chain: options.seed must be an integer in [0, 2^32) such as 42, got the number -1"]);
  await fails(() => fastNode.lossAndGradients([1, 0], "sse" as never), ["NeuralODE.lossAndGradients: lossOf must be a function (pred) => scalar", "got the string \"sse\""]);
  await fails(() => toPlotlySpec([{ y: [1], mode: "line" as never }]), ["plot: traces[0].mode must be \"lines\", \"markers\" or \"lines+markers\", got the string \"line\""], PlotError);
  await fails(() => toPlotlySpec([{ y: [1, "2"] as never }]), ["plot: traces[0].y[1] is the string \"2\"; give numbers only"], PlotError);
});

test("a missing required option says what to give", async () => {
  await fails(() => new NeuralODE(field, {} as never), ["NeuralODE: options.tspan is required: give a pair [t0, t1] of finite numbers such as [0, 1]"]);
  await fails(() => new NeuralODE(field, undefined as never), ["NeuralODE: options.tspan is required"]);
  await fails(() => trainNeuralODE(fastNode, [1, 0], data2, {} as never), ["trainNeuralODE: options.epochs is required: give a positive integer such as 300"]);
  await fails(() => residualMlp({} as never), ["residualMlp: options.inputs is required: give a positive integer such as 2"]);
  // Options that depend on each other: a fixed-step method needs dt, and cannot adapt.
  await fails(() => solve(osc.f, osc.u0, osc.tspan, { method: "rk4" }), ["solve: options.dt is required: method 'rk4' takes fixed steps", "{ method: \"rk4\", dt: 0.01 }"]);
  await fails(() => solve(osc.f, osc.u0, osc.tspan, { method: "euler", adaptive: true, dt: 0.1 }), ["solve: options.adaptive is true, but method 'euler' has no error estimate"]);
});

test("one rule means one thing: learningRate, targetLoss and the tolerances are checked alike everywhere", async () => {
  const lr = "options.learningRate must be a positive number such as 1e-3, got the number Infinity";
  await fails(() => trainNeuralODE(fastNode, [1, 0], data2, { epochs: 1, learningRate: Infinity }), [`trainNeuralODE: ${lr}`]);
  await fails(() => fit(lectureDense(1), [[1]], [[1]], { learningRate: Infinity }), [`fit: ${lr}`]);
  await fails(() => makeTrainStep(lectureDense(1), { learningRate: Infinity }), [`makeTrainStep: ${lr}`]);
  const model = lectureDense(1);
  await fails(() => new FlatAdam(model.trainableWeights.map((w) => w.read() as tf.Variable), { learningRate: Infinity }), [`FlatAdam: ${lr}`]);
  for (const bad of [NaN, -1]) {
    const target = `options.targetLoss must be a number ≥ 0 such as 0.01, got the number ${bad}`;
    await fails(() => trainNeuralODE(fastNode, [1, 0], data2, { epochs: 1, targetLoss: bad }), [`trainNeuralODE: ${target}`]);
    await fails(() => fit(lectureDense(1), [[1]], [[1]], { targetLoss: bad }), [`fit: ${target}`]);
  }
  const rtol = "options.rtol must be a positive number such as 1e-6, got the number 0";
  await fails(() => solve(osc.f, osc.u0, osc.tspan, { rtol: 0 }), [`solve: ${rtol}`]);
  await fails(() => solveTensor(osc.fTensor!, osc.u0, osc.tspan, { rtol: 0 }), [`solveTensor: ${rtol}`]);
  await fails(() => new NeuralODE(field, { tspan: [0, 1], rtol: 0 }), [`NeuralODE: ${rtol}`]);
  // An option given as undefined takes its default, as if it were left out.
  assert.deepEqual(solve(osc.f, osc.u0, osc.tspan, { rtol: undefined, saveat: [1] }).u, solve(osc.f, osc.u0, osc.tspan, { saveat: [1] }).u);
});

test("a u0 of the wrong size is blamed on u0, not surfaced as a tfjs shape error or as a data mismatch", async () => {
  const wrong = "u0 must have shape [2] or [B, 2] for this field (it takes 2 state components), got an array of shape [3]";
  for (const node of [fastNode, tensorNode, layersNode]) {
    await fails(() => node.predict([1, 2, 3]), [`NeuralODE.predict: ${wrong}`]);
    await fails(() => node.forward([[1, 2, 3]]), ["NeuralODE.forward: u0 must have shape [2] or [B, 2]", "got an array of shape [1,3]"]);
    await fails(() => node.lossAndGradients(tf.tensor([1, 2, 3]), (p) => tf.sum(p)), ["NeuralODE.lossAndGradients: u0 must have shape [2] or [B, 2]", "got a tf.Tensor of shape [3]"]);
  }
  // trainNeuralODE checks u0 before the data it would collide with.
  await fails(() => trainNeuralODE(tensorNode, [1, 2, 3], data2, { epochs: 1 }), [`trainNeuralODE: ${wrong}`]);
  await fails(() => trainNeuralODE(fastNode, [1, 0], [[1, 0]], { epochs: 1 }), ["trainNeuralODE: data has shape [1,2] but the prediction will have shape [2,2] (saveat × state); pass one row per saveat time"]);
  await fails(() => trainNeuralODE({} as never, [1, 0], data2, { epochs: 1 }), ["trainNeuralODE: node must be a NeuralODE such as new NeuralODE(field", "got an object {}"]);
  // A field's input and output sizes are checked when the NeuralODE is built.
  await fails(() => new NeuralODE(chain(dense(2, 4), dense(4, 3)), { tspan: [0, 1] }), ["NeuralODE: field maps 2 features to 3, but a vector field returns one derivative per state component; end it with a layer of 2 outputs"]);
  await fails(() => new NeuralODE({ apply: 3 } as never, { tspan: [0, 1] }), ["NeuralODE: field must be a tfjs LayersModel or a FieldModel", "got an object { apply: 3 }"]);
  // A generic tensor field that throws on u0: the message names u0 and its shape as well as tfjs's words.
  const W = tf.tensor2d([[0, 1], [-1, 0]]);
  await fails(() => solveTensor((_t, u) => tf.matMul(u, W), [[1, 2, 3]], [0, 1]), ["solveTensor: f threw on its first call, at t = 0 on u0 of shape [1,3]: ", "matMul", "check that u0 has the size f expects"], Error);
  W.dispose();
  // fit: x rows the model cannot take are named before any tfjs call.
  await fails(() => fit(lectureDense(1), [[1, 2]], [[1]], { progress: false }), ["fit: x has rows of shape [2] but the model takes inputs of shape [1]"], Error);
});

test("ragged nested arrays are rejected by index, instead of arriving as NaN or a step-size underflow", async () => {
  const ragged = [[1, 0], [1]];
  const says = (fn: string, what = "u0") => [`${fn}: ${what}[1] has 1 entry but ${what}[0] has 2; give every row the same length (${what} is ragged)`];
  await fails(() => solve(osc.f, ragged as never, osc.tspan), says("solve"));
  await fails(() => solveTensor(osc.fTensor!, ragged as never, osc.tspan), says("solveTensor"));
  await fails(() => fastNode.predict(ragged as never), says("NeuralODE.predict"));
  await fails(() => tensorNode.forward(ragged as never), says("NeuralODE.forward"));
  await fails(() => tensorNode.lossAndGradients(ragged as never, (p) => tf.sum(p)), says("NeuralODE.lossAndGradients"));
  await fails(() => trainNeuralODE(fastNode, [1, 0], [[1, 0], [1]], { epochs: 1 }), says("trainNeuralODE", "data"));
  await fails(() => fit(lectureDense(1), [[1], [2, 3]], [[1], [2]], { progress: false }), ["fit: x[1] has 2 entries but x[0] has 1; give every row the same length (x is ragged)"]);
  await fails(() => solve(osc.f, [1, [0]] as never, osc.tspan), ["solve: u0[1] is an array, but u0[0] is a number; give every row the same shape (u0 is ragged)"]);
  await fails(() => solveTensor(osc.fTensor!, [[1, 0], 3] as never, osc.tspan), ["solveTensor: u0[1] is the number 3, but u0[0] is an array of 2"]);
  await fails(() => solveTensor(osc.fTensor!, [1, "0"] as never, osc.tspan), ["solveTensor: u0[1] is the string \"0\"; the initial state must hold numbers only (write it without quotes: 0)"]);
  await fails(() => solve(osc.f, [1, NaN], osc.tspan), ["solve: u0[1] is the number NaN; the initial state must hold finite numbers"]);
});

test("a fixed dt longer than tspan is an error that names dt, the span and the fix; rounding is tolerated", async () => {
  await fails(() => solve(osc.f, osc.u0, [0, 1], { method: "rk4", dt: 5 }), ["solve: options.dt = 5 is longer than tspan [0, 1] (length 1)", "take dt ≤ 1, e.g. dt: 0.01 for 100 steps (dt: 1 takes a single step)"]);
  await fails(() => solveTensor(osc.fTensor!, osc.u0, [2, 0], { method: "euler", dt: 2.5 }), ["solveTensor: options.dt = 2.5 is longer than tspan [2, 0] (length 2)"]);
  await fails(() => new NeuralODE(field, { tspan: [0, 1.5], method: "rk4", dt: 2 }), ["NeuralODE: options.dt = 2 is longer than tspan [0, 1.5]"]);
  // dt equal to the span, up to rounding (0.1 + 0.2 for 0.3), is one step that ends on t1.
  const one = solve(osc.f, osc.u0, [0, 0.3], { method: "rk4", dt: 0.1 + 0.2 });
  assert.deepEqual([one.t, one.stats.accepted], [[0, 0.3], 1]);
  // For an adaptive method dt is only the first trial step: one longer than the span is cut to it.
  const adaptive = solve(osc.f, osc.u0, [0, 0.01], { dt: 5, saveat: [0.01] });
  assert.ok(Math.abs(adaptive.u[0][0] - osc.exact!(0.01)[0]) < 1e-9);
});

/** Hairer's I controller written out independently (HNW I §II.4, with "no growth after a rejection"): the reference for "I". */
function classicI(q: number): StepController {
  const expo = 1 / (q + 1);
  let rejectedLast = false;
  return {
    judge(err) {
      if (!Number.isFinite(err)) return (rejectedLast = true), { accept: false, factor: 0.2 };
      const accept = err <= 1;
      const raw = err === 0 ? 10 : 0.9 * err ** -expo;
      const factor = Math.min(accept ? (rejectedLast ? 1 : 10) : 1, Math.max(0.2, raw));
      rejectedLast = !accept;
      return { accept, factor };
    },
  };
}

test("one PI controller: I control is its beta2 = 0 case, step for step, and is Hairer's classical rule", () => {
  for (const p of [problems.lotkaVolterra, problems.arenstorf, problems.cubicSpiral]) {
    for (const rtol of [1e-3, 1e-9]) {
      const builtIn = solve(p.f, p.u0, p.tspan, { rtol, atol: rtol * 1e-3 });
      const reference = solve(p.f, p.u0, p.tspan, { rtol, atol: rtol * 1e-3, controller: classicI });
      assert.deepEqual(builtIn.t, reference.t, `${p.name} at rtol ${rtol}`);
    }
  }
  for (const p of [problems.lotkaVolterra, problems.arenstorf]) {
    for (const method of ["tsit5", "bs3"] as const) {
      const builtIn = solve(p.f, p.u0, p.tspan, { method, rtol: 1e-7, controller: "I" });
      const q = method === "tsit5" ? 4 : 2;
      assert.deepEqual(controllerGains("I", q), { beta1: 1 / (q + 1), beta2: 0 });
      const asPI = solve(p.f, p.u0, p.tspan, { method, rtol: 1e-7, controller: (order) => piController(order, { beta1: 1 / (order + 1), beta2: 0 }) });
      assert.deepEqual(asPI.t, builtIn.t, `${p.name}/${method}: same steps`);
      assert.deepEqual(asPI.stats, builtIn.stats);
      const pi = solve(p.f, p.u0, p.tspan, { method, rtol: 1e-7, controller: "PI" });
      const piOwn = solve(p.f, p.u0, p.tspan, { method, rtol: 1e-7, controller: (order) => piController(order, { beta1: 0.7 / (order + 1), beta2: 0.4 / (order + 1) }) });
      assert.deepEqual(piOwn.t, pi.t);
      assert.notDeepEqual(pi.t, builtIn.t, "the memory term changes the steps");
    }
  }
});

test("a user's step controller is used through options, fresh per solve, and its answers are checked", async () => {
  // A controller that never grows the step and halves it on a rejection: it must see every trial
  // step, and the solve still meets the tolerance because acceptance follows the error norm.
  let made = 0;
  let judged = 0;
  const halving = (): StepController => {
    made++;
    return { judge: (err) => (judged++, { accept: err <= 1, factor: err <= 1 ? 1 : 0.5 }) };
  };
  const sol = solve(osc.f, osc.u0, [0, 1], { controller: halving, dt: 0.1, saveat: [1] });
  assert.equal(made, 1);
  assert.equal(judged, sol.stats.accepted + sol.stats.rejected);
  assert.ok(sol.stats.accepted >= 10, "a step that never grows from dt = 0.1 takes at least 10 steps");
  assert.ok(Math.abs(sol.u[0][0] - osc.exact!(1)[0]) < 1e-6);
  solve(osc.f, osc.u0, [0, 1], { controller: halving, dt: 0.1, saveat: [1] });
  assert.equal(made, 2, "each solve asks for a fresh controller (controllers keep state)");
  // NeuralODE passes it to its solves (the float64 fast path included).
  const before = made;
  new NeuralODE(field, { tspan: [0, 1], controller: halving }).predict([1, 0]).dispose();
  assert.equal(made, before + 1);

  await fails(() => solve(osc.f, osc.u0, [0, 1], { controller: () => ({}) as never }), ["solve: options.controller must return a StepController", "got an object {}"]);
  await fails(() => solve(osc.f, osc.u0, [0, 1], { controller: () => ({ judge: () => ({ accept: true, factor: NaN }) }) }), ["solve: options.controller: judge(", "returned an object { accept: true, factor: NaN }; return { accept: true or false, factor: a positive finite number }"]);
  await fails(() => solve(osc.f, osc.u0, [0, 1], { controller: "pi" as never }), ["options.controller must be \"I\" or \"PI\", or a function (errorOrder) => StepController", "got the string \"pi\"; names are case-sensitive: \"PI\""]);
  await fails(() => solve(osc.f, osc.u0, [0, 1], { method: "rk4", dt: 0.1, controller: "PI" }), ["solve: options.controller is the string \"PI\", but this solve takes fixed steps (method 'rk4')"]);
  await fails(() => piController(4, { beta1: 0.1 } as never), ["piController: gains.beta2 is required"]);
  await fails(() => piController(4, { beta1: -1, beta2: 0 }), ["piController: gains.beta1 must be a positive number such as 0.14, got the number -1"]);
});

test("the schema: rules typed against the interface, frozen defaults, and the did-you-mean search", async () => {
  interface Opts { size?: number; mode?: "a" | "b"; name: string }
  const schema = defineOptions<Opts, { size: number }>({
    size: rules.positiveInteger("3"),
    mode: rules.oneOf(["a", "b"] as const),
    name: rules.required(rules.text("a name such as \"x\"")),
  } satisfies Rules<Opts>, { size: 3 }, "{ name: \"x\" }", "demo");
  const parsed = schema.parse({ name: "x", mode: undefined }, "demo");
  assert.deepEqual(parsed, { size: 3, name: "x" });
  assert.ok(Object.isFrozen(parsed) && Object.isFrozen(schema.defaults));
  assert.deepEqual(schema.known, ["size", "mode", "name"]);
  await fails(() => schema.parse({ name: "x", sise: 1 }, "demo"), ["demo: options.sise is not a demo option; did you mean \"size\"? Known options: size, mode, name"]);
  await fails(() => schema.parse(new Map(), "demo"), ["demo: options must be an object such as { name: \"x\" }, got a Map"]);
  // The compiler checks the rules against the interface: each line below fails to type-check.
  const typeErrors = () => {
    // @ts-expect-error a rule is missing (name)
    void ({ size: rules.positiveInteger("3"), mode: rules.oneOf(["a", "b"] as const) } satisfies Rules<Opts>);
    // @ts-expect-error a number rule on a string option
    void ({ size: rules.positiveInteger("3"), mode: rules.oneOf(["a", "b"] as const), name: rules.required(rules.positiveInteger("3")) } satisfies Rules<Opts>);
    // @ts-expect-error name is required by the interface, so its rule must be required(...)
    void ({ size: rules.positiveInteger("3"), mode: rules.oneOf(["a", "b"] as const), name: rules.text("x") } satisfies Rules<Opts>);
    // @ts-expect-error an option the interface does not have
    void ({ size: rules.positiveInteger("3"), mode: rules.oneOf(["a", "b"] as const), name: rules.required(rules.text("x")), extra: rules.boolean } satisfies Rules<Opts>);
  };
  void typeErrors;

  assert.deepEqual(nearMisses("sensitivty", ["sensitivity", "fastPath"]), ["sensitivity"]);
  assert.deepEqual(nearMisses("lr", ["learningRate", "loss"]), []);
  assert.deepEqual(nearMisses("rtl", ["rtol", "atol"]), ["rtol"]);
  assert.deepEqual(nearMisses("LEARNING_RATE", ["learningRate"]), ["learningRate"]);
  assert.deepEqual(describeValue(["1", 2, [3]]), '["1", 2, [3]] (a string, a number and an array)');
  assert.equal(describeValue(new Float32Array(3)), "a Float32Array of length 3");
  assert.equal(describeValue(() => 1), "a function");
});
