/**
 * The vocabulary shared by the exercise checks, the grader and the notebooks' check cells.
 *
 * An exercise is a list of checks. Each check belongs to one graded notebook cell (its `gradeId`,
 * nbgrader's `grade_id`) and is worth a fixed number of points: it passes or it fails, never half.
 * Visible checks also run in the student's notebook (see {@link runVisibleChecks}); hidden ones run
 * only in the grader.
 *
 * @module
 */
// tf from the course library: it picks the backend (native when available) and keeps tfjs's
// start-up banner off stderr, which notebooks and the grader count as failure.
import { tf } from "../../dist";

/** The functions a submission defines, by name (what its notebook code returned). */
export type Submission = Record<string, unknown>;

/** Per-process state shared by the checks of one exercise, e.g. a model trained once for several checks. */
export interface CheckContext {
  /** Computes `make()` once per key and process; later calls get the same promise. */
  once<T>(key: string, make: () => T | Promise<T>): Promise<T>;
  /** Stores a value for `key`, replacing any earlier one (e.g. a model the notebook already trained). */
  remember<T>(key: string, value: T): void;
}

/** One graded check. */
export interface Check<S extends Submission = Submission> {
  /** Short id, unique within the grade cell; the test's full id is `${gradeId}/${id}`. */
  id: string;
  /** The graded notebook cell (nbgrader `grade_id`) whose code this check exercises. */
  gradeId: string;
  /** What is checked, in a few words; shown in notebooks, grader tables and results.json. */
  title: string;
  points: number;
  /** `visible`: also runs in the notebook's check cells. `hidden`: grader only. */
  visibility: "visible" | "hidden";
  /** Names this check calls; a missing one fails the check before it runs. Default: the exercise's `required`. */
  uses?: readonly (keyof S & string)[];
  /**
   * Full ids of checks whose work this one reuses (e.g. a trained model). When one of them did not
   * finish in the grader (time limit, crash), this check fails without running instead of redoing it.
   */
  dependsOn?: readonly string[];
  /** Grader time limit for this check (default {@link DEFAULT_CHECK_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Throws ({@link fail} or any error from student code) when the check fails; may return a detail line. */
  run(sub: S, ctx: CheckContext): void | string | Promise<void | string>;
}

/** An exercise: its notebook name (`solutions/<name>.ipynb`) and its checks. */
export interface Exercise<S extends Submission = Submission> {
  name: string;
  title: string;
  /** Names the notebook must define, handed to the checks. */
  required: readonly (keyof S & string)[];
  checks: readonly Check<S>[];
  /** Grader time limit for running the notebook's own code before the checks (default 30 s). */
  loadTimeoutMs?: number;
  /**
   * Grader time limit for the whole submission: loading, every check, and the restarts after a
   * check that was stopped (default {@link DEFAULT_BUDGET_MS}). Checks still waiting when it runs
   * out fail without running.
   */
  budgetMs?: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 20_000;
export const DEFAULT_BUDGET_MS = 60_000;

/** A failed expectation (as opposed to an error thrown by the student's code). */
export class CheckFailure extends Error {
  override name = "CheckFailure";
}

/** Fails the current check with a message addressed to the student. */
export function fail(message: string): never {
  throw new CheckFailure(message);
}

/** Full test id, e.g. `rk4-step/accuracy`. */
export const testId = (check: Pick<Check, "gradeId" | "id">): string => `${check.gradeId}/${check.id}`;

/** Why a check cannot run: the names it needs that are not functions. */
export function missingNames<S extends Submission>(exercise: Exercise<S>, check: Check<S>, sub: Partial<S>): string[] {
  return (check.uses ?? exercise.required).filter((name) => typeof sub[name] !== "function");
}

/** One-line description of anything thrown, for students: the first line of the message, not a stack. */
export function describeError(e: unknown): string {
  const firstLine = (s: string) => s.split("\n")[0];
  if (e instanceof CheckFailure) return e.message;
  if (e instanceof Error) return `${e.name === "Error" ? "error" : e.name}: ${firstLine(e.message)}`;
  return `threw ${typeof e === "string" ? JSON.stringify(firstLine(e)) : String(e)}`;
}

/** A {@link CheckContext} backed by a map (one per process). */
export function newContext(): CheckContext {
  const cache = new Map<string, Promise<unknown>>();
  return {
    once<T>(key: string, make: () => T | Promise<T>): Promise<T> {
      if (!cache.has(key)) cache.set(key, Promise.resolve().then(make));
      return cache.get(key) as Promise<T>;
    },
    remember<T>(key: string, value: T): void {
      cache.set(key, Promise.resolve(value));
    },
  };
}

/** The context of the notebook's check cells: one per kernel, so check cells can share work. */
export const notebookContext: CheckContext = newContext();

const objectIds = new WeakMap<object, number>();
let lastId = 0;
/**
 * A number that identifies an object (e.g. a student's function) for this process. Cache keys built
 * from it change when the student redefines the function, so a check never reuses stale work.
 */
export function identity(o: object): number {
  if (!objectIds.has(o)) objectIds.set(o, ++lastId);
  return objectIds.get(o)!;
}

/** Result of one check. */
export interface CheckResult {
  id: string;
  passed: boolean;
  message: string;
}

/** Runs one check against a submission; never throws. */
export async function runCheck<S extends Submission>(exercise: Exercise<S>, check: Check<S>, sub: Partial<S>, ctx: CheckContext): Promise<CheckResult> {
  const id = testId(check);
  const missing = missingNames(exercise, check, sub);
  if (missing.length > 0) {
    return { id, passed: false, message: `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not defined as a function (did the cell that defines it run?)` };
  }
  try {
    // Every name the check uses was just found to be a function.
    const detail = await check.run(sub as S, ctx);
    return { id, passed: true, message: detail ?? "" };
  } catch (e) {
    return { id, passed: false, message: describeError(e) };
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The notebook side: runs the visible checks of one graded cell and prints a ✓/✗ line per check.
 * It never throws, so an unfinished exercise (whose stub throws) does not stop the notebook.
 * `ctx` lets a notebook hand over work already done (e.g. a model it trained), see each exercise.
 */
export async function runVisibleChecks<S extends Submission>(exercise: Exercise<S>, gradeId: string, sub: Partial<S>, ctx: CheckContext = notebookContext): Promise<{ passed: number; failed: number }> {
  const all = exercise.checks.filter((c) => c.gradeId === gradeId);
  if (all.length === 0) {
    console.log(`✗ no checks are called '${gradeId}'; known: ${[...new Set(exercise.checks.map((c) => c.gradeId))].join(", ")}`);
    return { passed: 0, failed: 1 };
  }
  let passed = 0;
  let failed = 0;
  for (const check of all.filter((c) => c.visibility === "visible")) {
    const r = await runCheck(exercise, check, sub, ctx);
    if (r.passed) passed++;
    else failed++;
    const pts = plural(check.points, "pt");
    console.log(`${r.passed ? "✓" : "✗"} ${check.title} (${pts})${r.message ? ` — ${r.message}` : ""}`);
  }
  const hidden = all.filter((c) => c.visibility === "hidden");
  if (hidden.length > 0) {
    console.log(`  + ${plural(hidden.length, "hidden check")} (${plural(hidden.reduce((s, c) => s + c.points, 0), "pt")}) that only the grader runs`);
  }
  return { passed, failed };
}

/**
 * A notebook check cell: runs the visible checks of `gradeId` (see {@link runVisibleChecks}), then
 * throws if any failed. The check cells are nbgrader's autograder test cells, which score by whether
 * the cell raises; the ✓/✗ lines above the error say what went wrong.
 */
export async function checkCell<S extends Submission>(exercise: Exercise<S>, gradeId: string, sub: Partial<S>, ctx: CheckContext = notebookContext): Promise<void> {
  const { passed, failed } = await runVisibleChecks(exercise, gradeId, sub, ctx);
  if (failed > 0) {
    const e = new CheckFailure(`${failed} of ${passed + failed} checks of ${gradeId} failed (see the ✗ lines above)`);
    e.stack = `${e.name}: ${e.message}`; // the harness's stack trace would only distract
    throw e;
  }
}

/** Root-mean-square difference of two equally shaped lists of numbers or of states. */
export function rmsDiff(a: readonly (number | readonly number[])[], b: readonly (number | readonly number[])[]): number {
  const fa = a.flat() as number[];
  const fb = b.flat() as number[];
  if (fa.length !== fb.length) fail(`expected ${fb.length} numbers, got ${fa.length}`);
  let s = 0;
  for (let i = 0; i < fa.length; i++) s += (fa[i] - fb[i]) ** 2;
  return Math.sqrt(s / fa.length);
}

/** Fails unless `value` is an array (or typed array) of `length` finite numbers; returns it as an array. */
export function finiteVector(value: unknown, length: number, what: string): number[] {
  const ok = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (!ok) fail(`${what} should be an array of ${length} numbers, got ${describeValue(value)}`);
  const arr = Array.from(value as ArrayLike<unknown>);
  if (arr.length !== length) fail(`${what} should have ${length} components, got ${arr.length}`);
  arr.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x)) fail(`${what}[${i}] should be a finite number, got ${describeValue(x)}`);
  });
  return arr as number[];
}

/** Short, safe description of any value for messages. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined || typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v instanceof tf.Tensor) return `a tensor of shape [${v.shape}]`;
  if (typeof v === "function") return "a function";
  return `a ${(v as object).constructor?.name ?? "object"}`;
}

/** Formats a number for messages: 3 significant digits, exponent form when very small or large. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : Number(x.toPrecision(3)).toString();
}
