/**
 * Freezes what the checks compute with, just before the submission's code runs in the grading child.
 *
 * The checks share the process with the submission, so a submission could otherwise replace, say,
 * `Math.hypot` by `() => 0`, a check's `run` by `() => "ok"`, or `NeuralODE.prototype.predict`, and
 * make every error look tiny. After this, such an assignment throws a TypeError (submissions run as
 * strict-mode modules) and the checks keep the real functions:
 *
 * - the built-ins the checks rely on;
 * - every loaded module of the course library (dist/), of the checks (test/exercises/) and of the
 *   grader itself, deeply: exports, exported objects, functions, classes and their prototypes;
 * - tfjs's namespace and its Tensor and Variable prototypes (tfjs itself stays mutable inside).
 *
 * This is a guard against the obvious tricks, not a sandbox: code in the same process can still reach
 * tfjs's kernel registry (files are made read-only separately, by readonly-fs.ts). Suspicious
 * submissions need a human look.
 *
 * @module
 */
import path from "node:path";

/**
 * Built-in objects whose properties the checks rely on. Left out on purpose: `Object.prototype` and
 * the typed-array prototypes. Freezing those trips V8's fast-path guards and made the Lotka–Volterra
 * grading 3.5× slower (17 s instead of 5 s, measured); the checks only call their methods on values
 * they made themselves.
 */
function intrinsics(): object[] {
  const typedArray = Object.getPrototypeOf(Float64Array) as object;
  const withPrototype = [Function, Array, Number, String, Boolean, Symbol, Promise, Map, Set, WeakMap, WeakSet, Date, RegExp, BigInt];
  const plain = [Object, ArrayBuffer, typedArray, Float64Array, Float32Array, Int32Array, Uint8Array];
  return [Math, JSON, Reflect, Atomics, ...plain, ...withPrototype.flatMap((c) => [c, c.prototype as object])];
}

/**
 * Freezes `root` and everything reachable from it through own properties (getters are frozen, not
 * called), except objects for which `stop` is true. Prototype chains are not followed: a class's own
 * `prototype` is frozen, its parent only if it is reachable by itself.
 */
export function deepFreeze(root: unknown, stop: (v: object) => boolean, seen = new Set<unknown>()): void {
  const todo = [root];
  while (todo.length > 0) {
    const v = todo.pop();
    if ((typeof v !== "object" && typeof v !== "function") || v === null || seen.has(v) || stop(v)) continue;
    // Buffers cannot be frozen, and a tensor's data is tfjs's business.
    if (ArrayBuffer.isView(v)) continue;
    seen.add(v);
    Object.freeze(v);
    for (const d of Object.values(Object.getOwnPropertyDescriptors(v))) todo.push(d.value, d.get, d.set);
  }
}

/** Loaded modules whose file lies in one of `dirs`. */
function loadedModules(dirs: readonly string[]): NodeModule[] {
  const inside = (f: string) => dirs.some((d) => f.startsWith(d + path.sep));
  return Object.values(require.cache).filter((m): m is NodeModule => !!m && inside(m.filename));
}

type TfLike = { Tensor: { prototype: object } & (abstract new (...a: never[]) => object); Variable: { prototype: object } };

export interface LockdownOptions {
  courseRoot: string;
  /** tfjs's namespace as the course library exports it (`dist`'s `tf`), and as `@tensorflow/tfjs`. */
  tf: readonly TfLike[];
}

/** Freezes the built-ins, the course's modules and tfjs's public surface (see the module comment). */
export function lockdown({ courseRoot, tf }: LockdownOptions): void {
  for (const o of intrinsics()) Object.freeze(o);
  // An inherited `then` would make every object a check returns look like a promise, and let the
  // submission decide what it resolves to. Pinning it to undefined keeps results plain data.
  if (!Object.prototype.hasOwnProperty.call(Object.prototype, "then")) {
    Object.defineProperty(Object.prototype, "then", { value: undefined, writable: false, configurable: false, enumerable: false });
  }
  for (const ns of tf) [ns, ns.Tensor.prototype, ns.Variable.prototype].forEach((o) => Object.freeze(o));
  // tfjs keeps mutable state behind its namespace (the engine, backends): freeze its surface only.
  const stop = (v: object) => tf.some((ns) => v === ns || v instanceof ns.Tensor);
  const ours = ["dist", path.join("test", "exercises"), path.join("tools", "grader")].map((d) => path.join(courseRoot, d));
  for (const m of loadedModules(ours)) {
    // Compiled modules export through getters (`exports.x` reads the module's own binding); what
    // they return is what the checks use, so freeze that too.
    const exports = m.exports as Record<string, unknown>;
    for (const key of Object.keys(exports)) deepFreeze(exports[key], stop);
    deepFreeze(exports, stop);
  }
}
