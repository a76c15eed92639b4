/**
 * Builders that read like Flux: `chain(dense(1, 1, "tanh"), dense(1, 1))` for
 * `Chain(Dense(1 => 1, tanh), Dense(1 => 1))`, and `skip([...])` for `SkipConnection(Chain(...), +)`.
 *
 * `dense` and `skip` return *specs*, built by `chain`. Building late is what lets one `seed` on the
 * chain reach every layer, nested ones included: each initialiser draws its own seed from a stream
 * derived from the chain's seed, so the same code and seed give identical weights.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { checkSeed, seedStream } from "../tf/random";
import { initializer, zeros, type InitName } from "./init";
import { SkipConnection, type Combine } from "./skip-connection";

/** Activation names tfjs's dense layer accepts ("linear" is Flux's `identity`). */
export type Activation = NonNullable<NonNullable<Parameters<typeof tf.layers.dense>[0]>["activation"]>;

/** What a spec needs when it is built. */
export interface BuildContext {
  /** Next initialiser seed; absent for an unseeded (fresh random) build. */
  readonly nextSeed?: () => number;
  /** Kernel initialiser. */
  readonly init: InitName;
  /** Set on the first layer of a chain: tfjs's Sequential needs to know its input shape. */
  readonly inputShape?: number[];
}

/** A layer described but not yet built; {@link chain} builds it. */
export interface LayerSpec {
  readonly kind: "dense" | "skip";
  /** Input features. */
  readonly inputs: number;
  /** Output features. */
  readonly outputs: number;
  build(ctx: BuildContext): tf.layers.Layer;
  /** Flux-style description, e.g. `Dense(1 => 1, tanh)`. */
  toString(): string;
}

/** Options of {@link dense}. */
export interface DenseOptions {
  /** Kernel initialiser; default: the chain's (glorotUniform). */
  init?: InitName;
  /** Add a bias (zeros initially). Default true. */
  useBias?: boolean;
}

/** `Dense(inputs => outputs, activation)`: y = activation(x W + b). */
export function dense(inputs: number, outputs: number, activation: Activation = "linear", options: DenseOptions = {}): LayerSpec {
  checkSize(inputs, "dense(inputs, …)");
  checkSize(outputs, "dense(…, outputs)");
  return {
    kind: "dense", inputs, outputs,
    build: (ctx) => tf.layers.dense({
      units: outputs, activation, useBias: options.useBias ?? true,
      kernelInitializer: initializer(options.init ?? ctx.init, ctx.nextSeed?.()),
      biasInitializer: zeros(),
      ...(ctx.inputShape ? { inputShape: ctx.inputShape } : {}),
    }),
    toString: () => `Dense(${inputs} => ${outputs}${activation === "linear" ? "" : `, ${activation}`})`,
  };
}

/**
 * `SkipConnection(Chain(layers...), combine)`: output = combine(inner(x), x). `inner` is one spec, an
 * array of specs (built as a chain), or a model you built yourself (kept as is, seed not applied).
 * Specs build fresh weights in every chain; a model is the same object each time, so chains built
 * from one `skip(model)` share its weights (as Flux does when one layer appears twice).
 */
export function skip(inner: LayerSpec | readonly LayerSpec[] | tf.LayersModel, combine: Combine = "add"): LayerSpec {
  const specs = inner instanceof tf.LayersModel ? null : Array.isArray(inner) ? inner : [inner as LayerSpec];
  if (specs) checkSizes(specs, "skip");
  const inputs = specs ? specs[0].inputs : Number((inner as tf.LayersModel).inputs[0].shape.at(-1));
  const innerOut = specs ? specs[specs.length - 1].outputs : Number((inner as tf.LayersModel).outputs[0].shape.at(-1));
  if (combine === "add" && innerOut !== inputs) {
    throw new Error(`skip: the inner layers map ${inputs} => ${innerOut} features, but "add" needs the same size out as in; end with a layer of ${inputs} outputs, or use combine "concat"`);
  }
  return {
    kind: "skip", inputs, outputs: combine === "add" ? inputs : inputs + innerOut,
    build: (ctx) => {
      const model = specs ? buildSequential(specs, ctx) : (inner as tf.LayersModel);
      return new SkipConnection({ inner: model, combine, ...(ctx.inputShape ? { inputShape: ctx.inputShape } : {}) });
    },
    toString: () => `SkipConnection(Chain(${specs ? specs.join(", ") : (inner as tf.LayersModel).name}), ${combine === "add" ? "+" : "vcat"})`,
  };
}

/** Options of {@link chain}, given as its last argument. */
export interface ChainOptions {
  /** Seed for every initialiser in the chain, nested ones included. Default: unseeded. */
  seed?: number;
  /** Kernel initialiser for layers that do not choose one. Default "glorotUniform" (Flux's). */
  init?: InitName;
  /** tfjs model name. */
  name?: string;
}

const DEFAULT_CHAIN_OPTIONS: Readonly<Required<Omit<ChainOptions, "seed" | "name">>> = Object.freeze({ init: "glorotUniform" });

/** An item of a chain: a spec from {@link dense}/{@link skip}, or any tfjs layer. */
export type ChainItem = LayerSpec | tf.layers.Layer;

/**
 * `Chain(...)`: builds the items into a `tf.Sequential`, e.g.
 * `chain(dense(1, 1, "tanh"), dense(1, 1), { seed: 7 })`. Consecutive sizes are checked.
 */
export function chain(...args: ChainItem[] | [...ChainItem[], ChainOptions]): tf.Sequential {
  const last = args[args.length - 1];
  const hasOptions = last != null && !isItem(last);
  const items = (hasOptions ? args.slice(0, -1) : args) as ChainItem[];
  const options = { ...DEFAULT_CHAIN_OPTIONS, ...(hasOptions ? (last as ChainOptions) : {}) };
  for (const key of Object.keys(options)) {
    if (!["seed", "init", "name"].includes(key)) throw new Error(`chain options: '${key}' is not an option; known: seed, init, name`);
  }
  items.forEach((item, i) => {
    if (!isItem(item)) throw new Error(`chain: argument ${i} is neither a layer spec (dense, skip) nor a tfjs layer; options go last`);
  });
  const ctx: BuildContext = {
    init: options.init,
    ...(options.seed === undefined ? {} : { nextSeed: seedStream(checkSeed(options.seed, "chain options.seed")) }),
  };
  return buildSequential(items, ctx, options.name);
}

function buildSequential(items: readonly ChainItem[], ctx: BuildContext, name?: string): tf.Sequential {
  if (items.length === 0) throw new Error("chain: give at least one layer, e.g. chain(dense(1, 1))");
  checkSizes(items, "chain");
  const layers = items.map((item, i) => {
    if (!isSpec(item)) return item;
    return item.build({ ...ctx, inputShape: i === 0 ? [item.inputs] : undefined });
  });
  return tf.sequential({ layers, ...(name ? { name } : {}) });
}

function isSpec(x: unknown): x is LayerSpec {
  return typeof x === "object" && x !== null && typeof (x as LayerSpec).build === "function" && typeof (x as LayerSpec).kind === "string";
}

function isItem(x: unknown): x is ChainItem {
  return isSpec(x) || x instanceof tf.layers.Layer;
}

/** Checks neighbouring specs; a plain tfjs layer in between has sizes we do not know, so we trust it. */
function checkSizes(items: readonly ChainItem[], where: string): void {
  if (items.length === 0) throw new Error(`${where}: give at least one layer`);
  for (let i = 1; i < items.length; i++) {
    const [a, b] = [items[i - 1], items[i]];
    if (isSpec(a) && isSpec(b) && b.inputs !== a.outputs) {
      throw new Error(`${where}: layer ${i} (${b}) expects ${b.inputs} inputs but layer ${i - 1} (${a}) gives ${a.outputs}; make them match`);
    }
  }
}

function checkSize(n: number, field: string): void {
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`${field} must be a positive integer (a number of features), got ${n}`);
}
