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
import { seedStream } from "../tf/random";
import { checkValue, defineOptions, fail, type Rules } from "../options/schema";
import { boolean, oneOf, positiveInteger, seed, text } from "../options/rules";
import { initializer, zeros, type InitName } from "./init";
import { ArgumentError, describeValue } from "../options/describe";
import { COMBINE_RULE, SkipConnection, type Combine } from "./skip-connection";

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

/** The initialisers the builders accept, as a rule: one meaning in dense, chain and residualMlp. */
export const INIT_RULE = oneOf(["glorotUniform", "glorotNormal"] as const);

const DENSE_SCHEMA = defineOptions<DenseOptions>({ init: INIT_RULE, useBias: boolean } satisfies Rules<DenseOptions>, {}, `{ init: "glorotNormal" }`);
const SIZE_RULE = positiveInteger("8 (a number of features)");

/** `Dense(inputs => outputs, activation)`: y = activation(x W + b). */
export function dense(inputs: number, outputs: number, activation: Activation = "linear", options?: DenseOptions): LayerSpec {
  checkValue({ fn: "dense", path: "inputs" }, SIZE_RULE, inputs);
  checkValue({ fn: "dense", path: "outputs" }, SIZE_RULE, outputs);
  const o = DENSE_SCHEMA.parse(options, "dense");
  return {
    kind: "dense", inputs, outputs,
    build: (ctx) => tf.layers.dense({
      units: outputs, activation, useBias: o.useBias ?? true,
      kernelInitializer: initializer(o.init ?? ctx.init, ctx.nextSeed?.()),
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
  checkValue({ fn: "skip", path: "combine" }, COMBINE_RULE, combine);
  if (!(inner instanceof tf.LayersModel) && !isSpec(inner) && !(Array.isArray(inner) && inner.length > 0 && inner.every(isSpec))) {
    fail({ fn: "skip", path: "inner" }, `inner must be a layer spec, an array of specs such as [dense(2, 8, "tanh"), dense(8, 2)], or a tfjs LayersModel; got ${describeValue(inner)}`);
  }
  const specs = inner instanceof tf.LayersModel ? null : Array.isArray(inner) ? inner : [inner as LayerSpec];
  if (specs) checkSizes(specs, "skip");
  const inputs = specs ? specs[0].inputs : Number((inner as tf.LayersModel).inputs[0].shape.at(-1));
  const innerOut = specs ? specs[specs.length - 1].outputs : Number((inner as tf.LayersModel).outputs[0].shape.at(-1));
  if (combine === "add" && innerOut !== inputs) {
    throw new ArgumentError(`skip: the inner layers map ${inputs} => ${innerOut} features, but "add" needs the same size out as in; end with a layer of ${inputs} outputs, or use combine "concat"`);
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

const CHAIN_SCHEMA = defineOptions<ChainOptions, typeof DEFAULT_CHAIN_OPTIONS>({
  seed,
  init: INIT_RULE,
  name: text("a model name such as \"resnet\""),
} satisfies Rules<ChainOptions>, DEFAULT_CHAIN_OPTIONS, "{ seed: 7 }");


/** An item of a chain: a spec from {@link dense}/{@link skip}, or any tfjs layer. */
export type ChainItem = LayerSpec | tf.layers.Layer;

/**
 * `Chain(...)`: builds the items into a `tf.Sequential`, e.g.
 * `chain(dense(1, 1, "tanh"), dense(1, 1), { seed: 7 })`. Consecutive sizes are checked.
 */
export function chain(...args: ChainItem[] | [...ChainItem[], ChainOptions]): tf.Sequential {
  const last = args[args.length - 1];
  const hasOptions = last !== undefined && !isItem(last);
  const items = (hasOptions ? args.slice(0, -1) : args) as ChainItem[];
  const options = CHAIN_SCHEMA.parse(hasOptions ? last : undefined, "chain");
  items.forEach((item, i) => {
    if (!isItem(item)) fail({ fn: "chain", path: `argument ${i}` }, `argument ${i} is ${describeValue(item)}, neither a layer spec (dense, skip) nor a tfjs layer; options go last`);
  });
  const ctx: BuildContext = {
    init: options.init,
    ...(options.seed === undefined ? {} : { nextSeed: seedStream(options.seed) }),
  };
  return buildSequential(items, ctx, options.name);
}

function buildSequential(items: readonly ChainItem[], ctx: BuildContext, name?: string): tf.Sequential {
  if (items.length === 0) throw new ArgumentError("chain: give at least one layer, e.g. chain(dense(1, 1))");
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
  if (items.length === 0) throw new ArgumentError(`${where}: give at least one layer`);
  for (let i = 1; i < items.length; i++) {
    const [a, b] = [items[i - 1], items[i]];
    if (isSpec(a) && isSpec(b) && b.inputs !== a.outputs) {
      throw new ArgumentError(`${where}: layer ${i} (${b}) expects ${b.inputs} inputs but layer ${i - 1} (${a}) gives ${a.outputs}; make them match`);
    }
  }
}
