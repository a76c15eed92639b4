/**
 * The rules options are made of. Each is one meaning, used everywhere it applies: `positiveNumber`
 * rejects 0, NaN and ±Infinity in `solve`, `fit` and `trainNeuralODE` alike.
 *
 * @module
 */
import type { Rule, Where } from "./schema";

/** A rule from a description and a test (plus optional advice for particular wrong values). */
export function rule<T>(expects: string, test: (value: unknown) => value is T, extra: Pick<Rule<T>, "hint" | "inner"> = {}): Rule<T> {
  return Object.freeze({ expects, test, ...extra });
}

/** The same rule, marked as an option without a default (the type {@link Rules} demands it where the interface does). */
export function required<T>(r: Rule<T>): Rule<T> & { readonly required: true } {
  return Object.freeze({ ...r, required: true as const });
}

/** A string that holds a number, such as "1e-3", is the commonest wrong value from a form or a file. */
function unquoted(value: unknown): string | undefined {
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(Number(value))) return undefined;
  return `write it without quotes: ${value.trim()}`;
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** A finite number > 0. */
export function positiveNumber(example: string): Rule<number> {
  return rule(`a positive number such as ${example}`, (v): v is number => finite(v) && v > 0, { hint: unquoted });
}

/** A finite number ≥ 0. */
export function nonNegativeNumber(example: string): Rule<number> {
  return rule(`a number ≥ 0 such as ${example}`, (v): v is number => finite(v) && v >= 0, { hint: unquoted });
}

/** An integer ≥ 1. */
export function positiveInteger(example: string): Rule<number> {
  return rule(`a positive integer such as ${example}`, (v): v is number => Number.isInteger(v) && (v as number) > 0, { hint: unquoted });
}

/** A finite number in [min, max] (either end may be open with `openMax`). */
export function numberIn(min: number, max: number, { openMax = false, example = "" } = {}): Rule<number> {
  const range = openMax ? `in [${min}, ${max})` : `from ${min} to ${max}`;
  return rule(`a number ${range}${example ? ` such as ${example}` : ""}`, (v): v is number => finite(v) && v >= min && (openMax ? v < max : v <= max), { hint: unquoted });
}

/** `true` or `false`. */
export const boolean: Rule<boolean> = rule("true or false", (v): v is boolean => typeof v === "boolean", {
  hint: (v) => (v === "true" || v === "false" ? `write it without quotes: ${v}` : undefined),
});

/** A non-empty string. */
export function text(what: string): Rule<string> {
  return rule(what, (v): v is string => typeof v === "string" && v.trim() !== "");
}

/** One of a few strings: `"I" or "PI"`. */
export function oneOf<const T extends readonly string[]>(values: T): Rule<T[number]> {
  const shown = values.map((v) => `"${v}"`);
  const expects = shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1]}`;
  return rule(expects, (v): v is T[number] => typeof v === "string" && values.includes(v), {
    hint: (v) => {
      const same = typeof v === "string" ? values.find((x) => x.toLowerCase() === v.toLowerCase()) : undefined;
      return same === undefined ? undefined : `names are case-sensitive: "${same}"`;
    },
  });
}

/**
 * A function; `signature` shows its shape, e.g. `"(info) => boolean"`. Typed as any function so that
 * one rule serves callbacks of different parameter types (a function's parameters cannot be checked
 * before it is called).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function func(signature: string): Rule<(...args: any[]) => any> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return rule(`a function ${signature}`, (v): v is (...args: any[]) => any => typeof v === "function");
}

/** An instance of `ctor`, described as `expects` (e.g. "a tfjs optimizer such as tf.train.adam(1e-3)"). */
export function instanceOf<T>(ctor: abstract new (...args: never[]) => T, expects: string): Rule<T> {
  return rule(expects, (v): v is T => v instanceof ctor);
}

/** A value either rule accepts. */
export function either<A, B>(a: Rule<A>, b: Rule<B>): Rule<A | B> {
  return rule(`${a.expects}, or ${b.expects}`, (v): v is A | B => a.test(v) || b.test(v), {
    hint: (v) => a.hint?.(v) ?? b.hint?.(v),
    inner: (v: A | B, at: Where) => (a.test(v) ? a.inner?.(v, at) : b.inner?.(v as B, at)),
  });
}

/** An integer seed in [0, 2^32), as the seeded generators take. */
export const seed: Rule<number> = rule("an integer in [0, 2^32) such as 42", (v): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff, { hint: unquoted });

/**
 * A number[] or a typed array, typed as the option declares it (`ArrayLike<number>`, or
 * `readonly number[]` where readers only index it and take its length). The entries are checked
 * where their meaning is known.
 */
export function numberArray<T extends ArrayLike<number> = readonly number[]>(expects: string): Rule<T> {
  return rule(expects, (v): v is T => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)));
}
