/**
 * Freezes what the checks compute with, just before the submission's code runs in the grading child.
 *
 * The checks share the process with the submission, so a submission could otherwise replace, say,
 * `Math.hypot` by `() => 0` and make every error look tiny. After this, such an assignment throws a
 * TypeError (submissions run as strict-mode modules) and the checks keep the real functions.
 *
 * This is a guard against the obvious tricks, not a sandbox: code in the same process can still reach
 * tfjs's kernel registry or the IPC channel. Suspicious submissions need a human look.
 *
 * @module
 */

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
 * Freezes the built-ins above and (shallowly) the given module exports, e.g. tfjs and the course
 * library, so their functions cannot be swapped. Idempotent.
 */
export function lockdown(moduleExports: readonly object[]): void {
  for (const o of [...intrinsics(), ...moduleExports]) Object.freeze(o);
}
