/**
 * The library's contract with its callers: one options schema, one set of rules, one message style.
 *
 * @module
 */
export { ArgumentError, describeValue } from "./describe";
export { defineOptions, checkValue, nested, nearMisses, fail, type Rule, type Rules, type Resolved, type OptionsSchema, type Where } from "./schema";
export * as rules from "./rules";
export { readNumbers, checkFinite, formatShape, type NumberGrid } from "./arrays";
