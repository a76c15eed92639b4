/**
 * One options schema for the whole library. A schema holds one {@link Rule} per option; its type,
 * {@link Rules}, is derived from the options interface, so the compiler rejects a schema that misses
 * an option, invents one, puts a number rule on a string option, or forgets that an option is
 * required. The known-key list, the defaults and the messages all come from that one object.
 *
 * Every message has the same four parts: the function, the option, the value with its type, and the
 * fix — `solve: options.rtol must be a positive number such as 1e-6, got the string "1e-3"; write
 * it without quotes: 1e-3`.
 *
 * @module
 */
import { ArgumentError, describeValue } from "./describe";

/** A check for one value: what a valid value is (the message's "must be …") and the test. */
export interface Rule<T> {
  /** Completes "must be …", fix included where one fits: `"a positive number such as 1e-6"`. */
  readonly expects: string;
  /** True when `value` (never `undefined`: that means "use the default") is acceptable. */
  readonly test: (value: unknown) => value is T;
  /** Advice for one particular wrong value, appended to the message (e.g. "write it without quotes"). */
  readonly hint?: (value: unknown) => string | undefined;
  /** Checks inside a value that passed `test` (nested options, array entries); throws with `at`'s path. */
  readonly inner?: (value: T, at: Where) => void;
  /** The option has no default and must be given. */
  readonly required?: boolean;
}

/** Where a value sits, for messages: `{ fn: "solve", path: "options.rtol" }`. */
export interface Where {
  /** The function the user called, e.g. `"solve"` or `"NeuralODE.predict"`. */
  readonly fn: string;
  /** The argument or option, e.g. `"u0"`, `"options.rtol"`, `"traces[0].line"`. */
  readonly path: string;
  /** The error class to throw; default {@link ArgumentError}. */
  readonly error?: new (message: string) => Error;
}

/**
 * One rule per option of `O`, checked by the compiler: every key of the interface, no other key, a
 * rule whose type fits the option's, and `required` exactly on the options the interface requires.
 */
export type Rules<O> = {
  readonly [K in keyof O]-?: {} extends Pick<O, K> ? Rule<NonNullable<O[K]>> : Rule<NonNullable<O[K]>> & { readonly required: true };
};

/** Options after {@link OptionsSchema.parse}: validated, defaults filled in, frozen. */
export type Resolved<O, D> = Readonly<Omit<O, keyof D> & { [K in keyof D & keyof O]-?: Exclude<O[K], undefined> }>;

/** An options schema: the rules, the frozen defaults, and an example for "must be an object such as …". */
export interface OptionsSchema<O, D> {
  readonly rules: Rules<O>;
  readonly defaults: D;
  /** Every option name, in the schema's order (the "known options" of a message). */
  readonly known: readonly string[];
  /**
   * Checks `options` (undefined means all defaults) and merges it over the defaults; an option given
   * as `undefined` takes its default. Throws, naming `fn`, for a non-object, an unknown key (with a
   * "did you mean" for near misses), a missing required option, or a value its rule rejects.
   */
  parse(options: unknown, at: string | Where): Resolved<O, D>;
}

/**
 * Builds a schema. Give the options interface explicitly so the compiler checks the rules:
 * `defineOptions<SolveOptions, typeof DEFAULT_SOLVE_OPTIONS>(SOLVE_RULES, DEFAULT_SOLVE_OPTIONS, "{ rtol: 1e-6 }")`.
 * `owner` names the options in the unknown-key message ("is not a marker option"); default: the function.
 */
export function defineOptions<O extends object, D extends Partial<O> = Record<never, never>>(
  rules: Rules<O>, defaults: D = {} as D, example = "{}", owner?: string,
): OptionsSchema<O, D> {
  const known = Object.freeze(Object.keys(rules));
  const entries = Object.entries(rules) as [string, Rule<unknown>][];
  Object.freeze(defaults);
  return Object.freeze({
    rules, defaults, known,
    parse(options: unknown, at: string | Where): Resolved<O, D> {
      const where = typeof at === "string" ? { fn: at, path: "options" } : at;
      if (options === undefined) options = {};
      if (typeof options !== "object" || options === null || Array.isArray(options) || !isPlain(options)) {
        fail(where, `${where.path} must be an object such as ${example}, got ${describeValue(options)}`);
      }
      const given = options as Record<string, unknown>;
      for (const key of Object.keys(given)) {
        if (!Object.prototype.hasOwnProperty.call(rules, key)) {
          const near = nearMisses(key, known);
          const guess = near.length > 0 ? `did you mean ${near.map((k) => `"${k}"`).join(" or ")}? Known` : "known";
          fail(where, `${where.path}.${key} is not a ${owner ?? where.fn} option; ${guess} options: ${known.join(", ")}`);
        }
      }
      const out: Record<string, unknown> = { ...defaults };
      for (const [key, rule] of entries) {
        const value = given[key];
        if (value === undefined) {
          if (rule.required) fail(where, `${where.path}.${key} is required: give ${rule.expects}`);
          continue;
        }
        // The path is built only when needed: parse runs on every solve.
        if (!rule.test(value) || rule.inner) checkValue({ ...where, path: `${where.path}.${key}` }, rule, value);
        out[key] = value;
      }
      return Object.freeze(out) as Resolved<O, D>;
    },
  });
}

/**
 * A rule for an options object inside options (plotly's `line: { dash, color }`): the inner keys
 * are checked by `schema`, and messages carry the full path (`traces[0].line.dash`).
 */
export function nested<O, D>(schema: OptionsSchema<O, D>, expects: string): Rule<O> {
  return {
    expects,
    test: (v): v is O => typeof v === "object" && v !== null && !Array.isArray(v),
    inner: (v, at) => void schema.parse(v, at),
  };
}

/**
 * Checks one value (a positional argument, or one option) against a rule and returns it typed.
 * `at` is the function name plus the argument's name: `checkValue({ fn: "solve", path: "tspan" }, rule, tspan)`.
 */
export function checkValue<T>(at: Where, rule: Rule<T>, value: unknown): T {
  if (!rule.test(value)) {
    const hint = rule.hint?.(value);
    fail(at, `${at.path} must be ${rule.expects}, got ${describeValue(value)}${hint ? `; ${hint}` : ""}`);
  }
  rule.inner?.(value, at);
  return value;
}

/** Throws `fn: message` with the error class of `at` (default {@link ArgumentError}). */
export function fail(at: Where, message: string): never {
  throw new (at.error ?? ArgumentError)(`${at.fn}: ${message}`);
}

/** Plain objects only: a class instance (a tensor, a model) passed as options is a mistake, not options. */
function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/**
 * Known keys close to `key`: equal ignoring case, `_` and `-`, or within a small edit distance
 * (one typo per four letters, at least one), e.g. `sensitivty` → `sensitivity`, `batchsize` → `batchSize`.
 */
export function nearMisses(key: string, known: readonly string[]): string[] {
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, "");
  const k = norm(key);
  const limit = Math.max(1, Math.floor(k.length / 4));
  const scored = known.map((name) => ({ name, d: editDistance(k, norm(name)) })).filter((s) => s.d <= limit);
  const best = Math.min(...scored.map((s) => s.d));
  return scored.filter((s) => s.d === best).map((s) => s.name);
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
