/**
 * How a message shows the value it rejects: always with its type, because the commonest wrong
 * value looks right when printed bare (`1e-3` for the string `"1e-3"`, `[0, 1]` for `[0, "1"]`).
 *
 * @module
 */

/** Thrown for an argument or option that a library function cannot accept; the message says which, what it got, and the fix. */
export class ArgumentError extends Error {
  override name = "ArgumentError";
}

/**
 * The value with its type, for "got …" in a message: `the string "1e-3"`, `the number 3`,
 * `[0, "1"] (a number and a string)`, `a tf.Tensor of shape [2,3]`, `an object { rtol: 1e-6 }`.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return `the string ${quote(value)}`;
    case "number":
      return `the number ${String(value)}`;
    case "boolean":
      return `the boolean ${value}`;
    case "bigint":
      return `the bigint ${value}n (use a plain number)`;
    case "undefined":
      return "undefined";
    case "symbol":
      return `the symbol ${String(value)}`;
    case "function":
      return value.name ? `the function ${value.name}` : "a function";
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length === 0 ? "an empty array []" : `${preview(value, 0)} (${kinds(value)})`;
  if (ArrayBuffer.isView(value)) return `${article(value.constructor.name)} of length ${(value as unknown as ArrayLike<number>).length}`;
  const shape = tensorShape(value as object);
  if (shape) return `a tf.Tensor of shape [${shape}]`;
  const name = constructorName(value as object);
  return name === undefined ? `an object ${preview(value, 0)}` : article(name);
}

/** `a Float32Array`, `an Optimizer`. */
function article(name: string): string {
  return `${/^[AEIOU]/i.test(name) ? "an" : "a"} ${name}`;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** undefined for plain objects (literal or Object.create(null)), else the class name. */
function constructorName(value: object): string | undefined {
  const proto = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return undefined;
  return (proto.constructor as { name?: string } | undefined)?.name || "object";
}

function tensorShape(value: object): readonly number[] | undefined {
  const v = value as { shape?: unknown; dtype?: unknown; dataSync?: unknown };
  return Array.isArray(v.shape) && typeof v.dtype === "string" && typeof v.dataSync === "function" ? v.shape : undefined;
}

/** A short rendering that keeps the types visible: strings quoted, nested arrays cut at depth 2. */
function preview(value: unknown, depth: number): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "function") return "function";
  if (typeof value !== "object" || value === null) return String(value);
  if (depth >= 2) return Array.isArray(value) ? "[…]" : "{…}";
  if (Array.isArray(value)) {
    const shown = value.slice(0, 6).map((v) => preview(v, depth + 1));
    return `[${shown.join(", ")}${value.length > 6 ? ", …" : ""}]`;
  }
  if (tensorShape(value)) return `Tensor[${tensorShape(value)}]`;
  const name = constructorName(value);
  if (name !== undefined) return name;
  const keys = Object.keys(value);
  const shown = keys.slice(0, 4).map((k) => `${k}: ${preview((value as Record<string, unknown>)[k], depth + 1)}`);
  return keys.length === 0 ? "{}" : `{ ${shown.join(", ")}${keys.length > 4 ? ", …" : ""} }`;
}

/** "a number and a string", "3 numbers", "2 numbers and an array". */
function kinds(values: readonly unknown[]): string {
  const counts = new Map<string, number>();
  for (const v of values) {
    const kind = v === null ? "null" : v === undefined ? "missing value" : Array.isArray(v) ? "array" : typeof v === "object" ? "object" : typeof v;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const parts = [...counts].map(([kind, n]) => (n === 1 ? article(kind) : `${n} ${kind}s`));
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}
