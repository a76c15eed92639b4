/**
 * `SkipConnection`: Flux's `SkipConnection(layer, connection)` as a tfjs layer. The output is
 * `combine(inner(x), x)`: with "add" it is the residual block x + f(x) of He et al. (2015), with
 * "concat" the two are joined along the last axis (a DenseNet-style skip).
 *
 * It is a real `tf.layers.Layer`, so it goes inside `tf.sequential`, counts its inner weights as its
 * own (so optimisers and `model.save` see them), and survives `model.save` / `tf.loadLayersModel`:
 * the inner model's config travels inside this layer's config and is rebuilt in `fromConfig`.
 *
 * @module
 */
import { tf } from "../tf/backend";
import { ArgumentError, describeValue } from "../options/describe";
import { checkValue } from "../options/schema";
import { oneOf } from "../options/rules";

/** The joins a skip connection knows, as a rule (skip() checks the same one). */
export const COMBINE_RULE = oneOf(["add", "concat"] as const);

/** How the inner output and the input are joined. */
export type Combine = "add" | "concat";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Parameters<tf.layers.Layer["call"]>[1];
type ConfigDict = tf.serialization.ConfigDict;

/** Constructor arguments of {@link SkipConnection}. */
export interface SkipConnectionArgs extends LayerArgs {
  /** The wrapped network f, e.g. a `tf.sequential` chain of dense layers. It must know its input shape. */
  inner: tf.LayersModel;
  /** "add" (default): f(x) + x, shapes must match. "concat": [f(x), x] along the last axis. */
  combine?: Combine;
}

/** A residual (skip) connection around an inner model: output = combine(inner(x), x). */
export class SkipConnection extends tf.layers.Layer {
  /** Serialisation name; registered below so `tf.loadLayersModel` can find the class. */
  static readonly className = "SkipConnection";
  /** The wrapped model f. */
  readonly inner: tf.LayersModel;
  /** How f(x) and x are joined. */
  readonly combine: Combine;

  constructor(args: SkipConnectionArgs) {
    const { inner, combine = "add", ...layerArgs } = args ?? ({} as SkipConnectionArgs);
    if (!(inner instanceof tf.LayersModel)) {
      throw new ArgumentError(`SkipConnection: inner must be a tf.LayersModel such as tf.sequential({ layers: [...] }) or chain(...), got ${describeValue(inner)}; wrap a single layer in tf.sequential`);
    }
    checkValue({ fn: "SkipConnection", path: "combine" }, COMBINE_RULE, combine);
    const innerInput = inner.inputs[0].shape;
    // A Sequential needs its first layer's input shape; take it from the inner model unless given.
    if (layerArgs.inputShape == null && layerArgs.batchInputShape == null) layerArgs.batchInputShape = innerInput;
    super(layerArgs);
    this.inner = inner;
    this.combine = combine;
    // Fail at construction, not at the first forward pass, when f(x) + x cannot be formed.
    this.computeOutputShape(innerInput);
  }

  // Weights live in the inner model; report them as ours so optimisers, save and summary see them.
  override get trainableWeights(): tf.LayerVariable[] {
    return this.trainable && this.inner ? this.inner.trainableWeights : [];
  }
  override set trainableWeights(weights: tf.LayerVariable[]) {
    super.trainableWeights = weights;
  }
  override get nonTrainableWeights(): tf.LayerVariable[] {
    if (!this.inner) return [];
    return this.trainable ? this.inner.nonTrainableWeights : this.inner.weights;
  }
  override set nonTrainableWeights(weights: tf.LayerVariable[]) {
    super.nonTrainableWeights = weights;
  }
  override get trainable(): boolean {
    return super.trainable;
  }
  override set trainable(trainable: boolean) {
    super.trainable = trainable;
    // The base constructor sets this before `inner` exists.
    if (this.inner) this.inner.trainable = trainable;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const x = single(inputShape);
    // The inner model fixed its shapes when it was built; only the batch size varies. (Asking the
    // inner Sequential instead fails before its first call: it wires up its graph lazily.)
    const fx: tf.Shape = [x[0], ...this.inner.outputs[0].shape.slice(1)];
    if (this.combine === "concat") {
      const last = fx.length - 1;
      return [...fx.slice(0, last), fx[last] == null || x[x.length - 1] == null ? null : fx[last]! + x[x.length - 1]!];
    }
    if (fx.length !== x.length || fx.some((d, i) => d != null && x[i] != null && d !== x[i])) {
      throw new Error(`SkipConnection "add": inner output shape [${fx}] differs from input shape [${x}]; make the inner model's last layer map back to the input size, or use combine: "concat"`);
    }
    return x;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const fx = this.inner.apply(x, kwargs) as tf.Tensor;
      return this.combine === "add" ? tf.add(fx, x) : tf.concat([fx, x], -1);
    });
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      combine: this.combine,
      inner: { className: this.inner.getClassName(), config: this.inner.getConfig() as ConfigDict },
    };
  }

  /** Rebuilds the inner model from its config (any registered class: Sequential, Model, …). */
  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: ConfigDict, customObjects?: ConfigDict): T {
    // tfjs-layers' deserializer adds the custom-object table to the config it hands us; it is not a layer argument.
    const { inner, customObjects: _table, ...rest } = config;
    const spec = inner as { className?: string; config?: ConfigDict } | null;
    const entry = spec?.className ? tf.serialization.SerializationMap.getMap().classNameMap[spec.className] : undefined;
    if (!entry) throw new Error(`SkipConnection.fromConfig: inner className ${JSON.stringify(spec?.className)} is not a registered tfjs class`);
    const [innerClass, innerFromConfig] = entry;
    // Sequential.fromConfig deletes keys from the object it is given; keep the caller's config intact.
    const rebuild = innerFromConfig as (c: typeof innerClass, conf: ConfigDict, custom?: ConfigDict) => tf.serialization.Serializable;
    const model = rebuild(innerClass, structuredClone(spec!.config ?? {}), customObjects);
    return new cls({ ...rest, inner: model });
  }

  /**
   * Called by the base `dispose()` when the last reference goes: the weights belong to the inner
   * model, so dispose that (freeing them once, not twice through our weight getters).
   */
  protected override disposeWeights(): number {
    return this.inner.dispose().numDisposedVariables;
  }
}

function single(shape: tf.Shape | tf.Shape[]): tf.Shape {
  return Array.isArray(shape[0]) ? (shape[0] as tf.Shape) : (shape as tf.Shape);
}

tf.serialization.registerClass(SkipConnection);

/** Shorthand for `new SkipConnection({ inner, combine })`, reading like Flux's `SkipConnection(layer, +)`. */
export function skipConnection(inner: tf.LayersModel, combine: Combine = "add"): SkipConnection {
  return new SkipConnection({ inner, combine });
}
