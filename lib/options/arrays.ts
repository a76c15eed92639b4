/**
 * Numeric arrays at the boundary: nested JS arrays are read once into a shape and flat values, and a
 * ragged array or a non-number is reported there, by index — not later as a NaN, a step-size
 * underflow or a tfjs shape error (tfjs pads a ragged `[[1, 2], [3]]` silently).
 *
 * @module
 */
import { describeValue } from "./describe";
import { fail, type Where } from "./schema";

/** A rectangular array of numbers: its shape and its entries in row-major order. */
export interface NumberGrid {
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

const isList = (v: unknown): v is ArrayLike<unknown> => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

/**
 * Reads a number, an array of numbers or nested arrays (typed arrays allowed) into a
 * {@link NumberGrid}. Throws naming `at.path` and the index for a ragged array, a non-number or a
 * non-finite entry; `what` names the data in the message ("the initial state must hold finite numbers").
 */
export function readNumbers(value: unknown, at: Where, what: string = at.path): NumberGrid {
  const flat = flatNumbers(value);
  if (flat) return flat;
  const shape: number[] = [];
  for (let v = value; isList(v); v = v[0]) {
    shape.push(v.length);
    if (v.length === 0) break;
  }
  if (shape.length === 0 && typeof value !== "number") {
    fail(at, `${at.path} must be a number or an array of numbers, got ${describeValue(value)}`);
  }
  const values = new Float64Array(shape.reduce((a, b) => a * b, 1));
  const index: number[] = [];
  const name = () => `${at.path}${index.map((i) => `[${i}]`).join("")}`;
  const first = (depth: number) => `${at.path}${"[0]".repeat(depth)}`;
  let offset = 0;
  const visit = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (isList(v)) fail(at, `${name()} is an array, but ${first(depth)} is a number; give every row the same shape (${at.path} is ragged)`);
      if (typeof v !== "number") {
        const hint = typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? ` (write it without quotes: ${v.trim()})` : "";
        fail(at, `${name()} is ${describeValue(v)}; ${what} must hold numbers only${hint}`);
      }
      if (!Number.isFinite(v)) fail(at, `${name()} is ${describeValue(v)}; ${what} must hold finite numbers`);
      values[offset++] = v;
      return;
    }
    if (!isList(v)) fail(at, `${name()} is ${describeValue(v)}, but ${first(depth)} is an array of ${shape[depth]}; give every row the same shape (${at.path} is ragged)`);
    if (v.length !== shape[depth]) {
      fail(at, `${name()} has ${v.length} ${v.length === 1 ? "entry" : "entries"} but ${first(depth)} has ${shape[depth]}; give every row the same length (${at.path} is ragged)`);
    }
    for (let i = 0; i < v.length; i++) {
      index.push(i);
      visit(v[i], depth + 1);
      index.pop();
    }
  };
  visit(value, 0);
  return { shape, values };
}

/** The common case without the bookkeeping of the general walk: a flat array of finite numbers. */
function flatNumbers(value: unknown): NumberGrid | undefined {
  if (!Array.isArray(value)) return undefined;
  const values = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const x = value[i];
    if (typeof x !== "number" || !Number.isFinite(x)) return undefined;
    values[i] = x;
  }
  return { shape: [value.length], values };
}

/** Checks flat values already read (a tensor's `dataSync()`): the first non-finite entry is named by its flat index. */
export function checkFinite(values: ArrayLike<number>, at: Where, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) fail(at, `${at.path} has a non-finite entry (${values[i]} at flat index ${i}); ${what} must be finite`);
  }
}

/** A shape as tfjs prints it, `[2,3]`, for messages that compare shapes. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}
