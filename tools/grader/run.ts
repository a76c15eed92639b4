/**
 * Grading one submitted notebook: extract its code, run it in a child process, run the exercise's
 * checks there one at a time, and turn what happened into scores.
 *
 * A check that hangs, exhausts memory, kills its process or writes to stderr fails alone: its child
 * is discarded and a fresh one (which runs the notebook code again) serves the remaining checks.
 * All of it, restarts included, shares one time budget per submission; checks still waiting when it
 * runs out fail without running.
 *
 * Submissions cannot write files (readonly-fs.ts); in case one does anyway, `gradeAll` compares the
 * files the children load before and after each submission and stops grading if any changed.
 *
 * @module
 */
import path from "node:path";
import { exercises, testId, DEFAULT_BUDGET_MS, DEFAULT_CHECK_TIMEOUT_MS, type Check, type Exercise } from "../../test/exercises";
import { COURSE_ROOT } from "../course-root";
import { readNotebook, type Notebook } from "../nbformat";
import { gradedCells } from "../exercises/notebook";
import { extractSubmission } from "./extract";
import { GradingChild, type Reply } from "./child-process";
import { changedFiles, fileList, snapshot } from "./course-files";


export interface GradeOptions {
  /** Course root whose dist/ and test/exercises the submission is graded against. */
  courseRoot?: string;
  /** V8 heap limit of the child in MB (default 1024). */
  memoryMb?: number;
  /** Upper bound on every time limit (loading the notebook, each check), in ms; tests use it to keep hangs short. */
  timeoutCapMs?: number;
  /** Wall-time budget for the whole submission in ms (default: the exercise's `budgetMs`). */
  budgetMs?: number;
}

/** The outcome of one check. */
export interface TestOutcome {
  id: string;
  gradeId: string;
  title: string;
  points: number;
  score: number;
  passed: boolean;
  message: string;
  visibility: "visible" | "hidden";
  /** Wall time of this check, including a restart of the child when one was needed. */
  seconds: number;
  /** The check did not finish (time limit, memory, the process ended). */
  aborted: boolean;
}

export interface SubmissionGrade {
  student: string;
  exercise: string;
  notebook: string;
  tests: TestOutcome[];
  score: number;
  maxScore: number;
  seconds: number;
  /** Problems that cost no points by themselves (cells that threw, skipped cells, forged messages). */
  warnings: string[];
  /** Course files found changed when this submission finished (every check then fails). */
  changedFiles?: string[];
}

/** Which exercise a notebook is: its metadata, else its file name, else its graded cells. */
export function identifyExercise(nb: Notebook, file: string): Exercise | null {
  const byMeta = nb.metadata?.course?.exercise;
  if (byMeta && exercises[byMeta]) return exercises[byMeta];
  const stem = path.basename(file, ".ipynb");
  const byName = exercises[stem] ?? Object.values(exercises).find((e) => stem.includes(e.name));
  if (byName) return byName;
  const ids = new Set(gradedCells(nb).keys());
  return Object.values(exercises).find((e) => e.checks.some((c) => ids.has(c.gradeId))) ?? null;
}

/** The first line of `s`, shortened to `n` characters, saying how much was left out. */
function clip(s: string, n = 200): string {
  const lines = s.trim().split("\n");
  const first = lines[0].length > n ? `${lines[0].slice(0, n)}…` : lines[0];
  return lines.length > 1 ? `${first} (+${lines.length - 1} more line${lines.length > 2 ? "s" : ""})` : first;
}

/** Grades one notebook for one student. Never throws for anything inside the notebook. */
export async function gradeNotebook(file: string, student: string, options: GradeOptions = {}): Promise<SubmissionGrade> {
  const started = Date.now();
  const courseRoot = options.courseRoot ?? COURSE_ROOT;
  const memoryMb = options.memoryMb ?? 1024;
  const abs = path.resolve(file);
  const nb = readNotebook(abs);
  const exercise = identifyExercise(nb, abs);
  if (!exercise) throw new Error(`${file}: not one of the exercises (${Object.keys(exercises).join(", ")})`);
  const warnings: string[] = [];
  const tests: TestOutcome[] = [];
  const budgetMs = options.budgetMs ?? exercise.budgetMs ?? DEFAULT_BUDGET_MS;
  const deadline = started + budgetMs;
  const outOfBudget = `the submission's time budget of ${budgetMs / 1000} s ran out`;
  // A request's limit: its own, capped, and never past the deadline. `budget`: the deadline is the nearer.
  const limit = (ms: number) => {
    const own = Math.min(ms, options.timeoutCapMs ?? Infinity);
    const left = deadline - Date.now();
    return { ms: Math.max(0, Math.min(own, left)), budget: left < own };
  };
  const record = (check: Check, passed: boolean, message: string, t0: number, aborted = false) =>
    tests.push({ id: testId(check), gradeId: check.gradeId, title: check.title, points: check.points, score: passed ? check.points : 0, passed, message, visibility: check.visibility, seconds: (Date.now() - t0) / 1000, aborted });

  let loadError: string | null = null;
  let js = "";
  try {
    const extracted = extractSubmission(nb, { notebookDir: path.dirname(abs), courseRoot, required: exercise.required });
    js = extracted.js;
    warnings.push(...extracted.warnings);
  } catch (e) {
    loadError = `could not read the notebook's code: ${(e as Error).message}`;
  }

  let child: GradingChild | null = null;
  let seq = 0;
  let loads = 0;
  let ignored = 0;
  const discard = () => {
    ignored += child?.ignored ?? 0;
    child?.kill();
    child = null;
  };
  const aborted = new Set<string>();
  for (const check of exercise.checks) {
    const t0 = Date.now();
    if (loadError) {
      record(check, false, loadError, t0);
      continue;
    }
    if (Date.now() >= deadline) {
      record(check, false, `not run: ${outOfBudget}`, t0, true);
      aborted.add(testId(check));
      continue;
    }
    const blocker = check.dependsOn?.find((d) => aborted.has(d));
    if (blocker) {
      record(check, false, `not run: it needs the result of ${blocker}, which did not finish`, t0, true);
      aborted.add(testId(check));
      continue;
    }
    if (!child?.alive) {
      child = new GradingChild({ courseRoot, memoryMb });
      const lim = limit(exercise.loadTimeoutMs ?? 30_000);
      const r = await child.load({ exercise: exercise.name, js, filename: abs, courseRoot }, lim.ms);
      loads++;
      if (r.kind === "timeout" && lim.budget) {
        discard();
        record(check, false, `not run: ${outOfBudget} while the notebook's code was loading`, t0, true);
        aborted.add(testId(check));
        continue;
      }
      if (r.kind !== "reply" || r.msg.type !== "loaded" || !r.msg.ok) {
        loadError = `the notebook's code did not run: ${describeFailure(r, "loading")}`;
        discard();
        record(check, false, loadError, t0);
        continue;
      }
      if (loads === 1) {
        warnings.push(...r.msg.warnings);
        if (r.stderr.trim()) warnings.push(`stderr while running the notebook code: ${clip(r.stderr)}`);
      }
    }
    seq++;
    const lim = limit(check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS);
    const r = await child.run(testId(check), seq, lim.ms);
    if (r.kind === "timeout" && lim.budget) {
      record(check, false, `${outOfBudget} during this check; it was stopped`, t0, true);
      aborted.add(testId(check));
      discard();
    } else if (r.kind === "reply" && r.msg.type === "result") {
      const stderr = r.stderr.trim();
      if (stderr) record(check, false, `wrote to stderr during the check (stderr counts as failure): ${clip(stderr)}`, t0);
      else record(check, r.msg.passed, r.msg.message, t0);
    } else {
      record(check, false, describeFailure(r, "this check"), t0, true);
      aborted.add(testId(check));
      discard();
    }
  }
  discard();
  if (ignored > 0) warnings.push(`${ignored} message(s) from the submission's process were not from the grader and were ignored`);
  const score = tests.reduce((s, t) => s + t.score, 0);
  const maxScore = exercise.checks.reduce((s, c) => s + c.points, 0);
  return { student, exercise: exercise.name, notebook: file, tests, score, maxScore, seconds: (Date.now() - started) / 1000, warnings };
}

/** A failed request in words, e.g. "no result within 5 s (an endless loop?); the check was stopped". */
function describeFailure(r: Reply, during: string): string {
  switch (r.kind) {
    case "reply":
      return r.msg.type === "loaded" ? (r.msg.error ?? "unknown error") : r.msg.message;
    case "timeout":
      return `${r.detail} during ${during} (an endless loop, or too slow?); it was stopped`;
    case "memory":
      return `${r.detail} during ${during}; it was stopped`;
    case "died": {
      const why = r.detail.includes("code 0") ? " (did the code call process.exit?)" : r.stderr.trim() ? `: ${clip(r.stderr)}` : "";
      return `${r.detail} during ${during}${why}`;
    }
  }
}

/** One notebook to grade, and whose it is. */
export interface SubmissionFile {
  student: string;
  file: string;
}

export interface GradeAllOptions extends GradeOptions {
  /** Submissions graded at the same time (default 1). */
  jobs?: number;
  /** Called as each submission is graded (not for those left ungraded after course files changed). */
  onDone?: (g: SubmissionGrade | Error, f: SubmissionFile) => void;
  /** Folders (absolute, or relative to the course root) whose files must not change (default: what the children load). */
  watch?: readonly string[];
}

/** `g` with every check failed by `message`, and the changed files noted. */
function spoiled(g: SubmissionGrade, message: string, files: string[]): SubmissionGrade {
  return { ...g, score: 0, changedFiles: files, tests: g.tests.map((t) => ({ ...t, passed: false, score: 0, message })) };
}

/**
 * Grades many notebooks, `jobs` at a time; results in the input order. If the course's files change
 * (see the module comment), the submission that just finished and any finishing after it fail every
 * check, and those not started yet are not graded (an Error each).
 */
export async function gradeAll(files: readonly SubmissionFile[], options: GradeAllOptions = {}): Promise<(SubmissionGrade | Error)[]> {
  const results: (SubmissionGrade | Error)[] = new Array(files.length);
  const root = options.courseRoot ?? COURSE_ROOT;
  const before = snapshot(root, options.watch);
  let changed: string[] | null = null;
  const alongside = (options.jobs ?? 1) > 1 ? " (or one graded alongside it)" : "";
  let next = 0;
  const worker = async () => {
    while (next < files.length && !changed) {
      const i = next++;
      try {
        results[i] = await gradeNotebook(files[i].file, files[i].student, options);
      } catch (e) {
        results[i] = e as Error;
      }
      // Later children would load the changed files: this submission's grade, and theirs, mean nothing.
      const wasChanged = changed !== null;
      if (!changed) {
        const now = changedFiles(before, snapshot(root, options.watch));
        if (now.length > 0) changed = now;
      }
      const g = results[i];
      if (changed && !(g instanceof Error)) {
        const list = fileList(changed);
        results[i] = spoiled(g, wasChanged ? `course files changed while this submission was graded: ${list}; grading stopped` : `the submission${alongside} changed course files: ${list}; grading stopped`, changed);
      }
      try {
        options.onDone?.(results[i], files[i]);
      } catch (e) {
        // A failing report for one submission must not stop the grading of the others.
        console.error(`${files[i].student}: reporting failed: ${(e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs ?? 1, files.length)) }, worker));
  for (let i = 0; i < files.length; i++) results[i] ??= new Error(`not graded: grading stopped because course files changed (${fileList(changed ?? [])})`);
  return results;
}
