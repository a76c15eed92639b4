/**
 * The autograder's command line.
 *
 *   npm run grade -- <notebook or folder>… [--out DIR] [--jobs N] [--memory MB] [--timeout-cap S] [--budget S]
 *
 * - a folder of notebooks is one student (named after the folder); a folder of folders is a class;
 * - a notebook given directly belongs to the student named by its file stem, or by its folder when
 *   the stem is just the exercise's name (`alice/rk4-step.ipynb` is alice's);
 * - the exercise comes from the notebook's metadata, its file name, or its graded cells.
 *
 * Writes `<out>/<student>/<exercise>/results.json` (Gradescope format) as soon as that submission is
 * graded, and `<out>/summary.csv` (default out/grades) after each one, so a grader that is stopped
 * midway keeps what it finished; prints a table per submission and `N passed, N failed`, and exits with 1 if
 * any check failed (2 for a usage error). If a submission changed the course's own files (see
 * run.ts), grading stops there: it says which files, and exits with 3.
 *
 * @module
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { exercises } from "../../test/exercises";
import { readNotebook } from "../nbformat";
import { fileList } from "./course-files";
import { gradescopeResults, submissionTable, summaryCsv } from "./report";
import { gradeAll, identifyExercise, type SubmissionFile, type SubmissionGrade } from "./run";

const USAGE = "usage: npm run grade -- <notebook.ipynb | folder>… [--out DIR] [--jobs N] [--memory MB] [--timeout-cap SECONDS] [--budget SECONDS]";

interface Args {
  paths: string[];
  out: string;
  jobs: number;
  memoryMb: number;
  timeoutCapMs?: number;
  budgetMs?: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { paths: [], out: path.join("out", "grades"), jobs: Math.max(1, os.availableParallelism() - 1), memoryMb: 1024 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const positive = (v: string) => {
      const n = Number(v);
      if (!(n > 0)) throw new Error(`${a} must be a positive number, got ${v}`);
      return n;
    };
    if (a === "--out") args.out = value();
    else if (a === "--jobs") args.jobs = Math.floor(positive(value()));
    else if (a === "--memory") args.memoryMb = Math.floor(positive(value()));
    else if (a === "--timeout-cap") args.timeoutCapMs = positive(value()) * 1000;
    else if (a === "--budget") args.budgetMs = positive(value()) * 1000;
    else if (a === "--help" || a === "-h") throw new Error(USAGE);
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}\n${USAGE}`);
    else args.paths.push(a);
  }
  if (args.paths.length === 0) throw new Error(USAGE);
  return args;
}

const isNotebook = (f: string) => f.endsWith(".ipynb") && !f.includes(".ipynb_checkpoints");
const listNotebooks = (dir: string) => fs.readdirSync(dir).filter(isNotebook).sort().map((f) => path.join(dir, f));

/** Expands the command line into (student, notebook) pairs; unknown notebooks are reported and left out. */
export function collectSubmissions(paths: readonly string[], log: (s: string) => void = console.log): SubmissionFile[] {
  const found: SubmissionFile[] = [];
  const add = (file: string, student: string) => {
    let exercise: string | undefined;
    try {
      exercise = identifyExercise(readNotebook(file), file)?.name;
    } catch (e) {
      return log(`skipped ${file}: ${(e as Error).message}`);
    }
    if (!exercise) return log(`skipped ${file}: not one of the exercises (${Object.keys(exercises).join(", ")})`);
    if (found.some((s) => s.student === student && identifyExercise(readNotebook(s.file), s.file)?.name === exercise)) {
      return log(`skipped ${file}: ${student} already has a ${exercise} notebook`);
    }
    found.push({ student, file });
  };
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new Error(`${p}: no such file or folder`);
    if (fs.statSync(p).isDirectory()) {
      const name = path.basename(path.resolve(p));
      listNotebooks(p).forEach((f) => add(f, name));
      for (const sub of fs.readdirSync(p).sort()) {
        const dir = path.join(p, sub);
        if (!sub.startsWith(".") && fs.statSync(dir).isDirectory()) listNotebooks(dir).forEach((f) => add(f, sub));
      }
    } else {
      const stem = path.basename(p, ".ipynb");
      const named = Object.keys(exercises).some((e) => stem.includes(e));
      add(p, named ? path.basename(path.dirname(path.resolve(p))) : stem);
    }
  }
  return found;
}

/** Folder-safe version of a student or exercise name. */
const safe = (s: string) => s.replace(/[^\w.@-]+/g, "_");

async function main(argv: string[]): Promise<number> {
  let args: Args;
  let files: SubmissionFile[];
  try {
    args = parseArgs(argv);
    files = collectSubmissions(args.paths);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (files.length === 0) {
    console.error("no exercise notebooks found");
    return 2;
  }
  const grades: SubmissionGrade[] = [];
  let failedToGrade = 0;
  fs.mkdirSync(args.out, { recursive: true });
  // Written as each submission finishes, and never allowed to stop the others.
  const save = (g: SubmissionGrade) => {
    try {
      const dir = path.join(args.out, safe(g.student), safe(g.exercise));
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "results.json"), JSON.stringify(gradescopeResults(g), null, 2) + "\n");
      fs.writeFileSync(path.join(args.out, "summary.csv"), summaryCsv(grades));
    } catch (e) {
      console.error(`${g.student}: could not write the results: ${(e as Error).message}`);
    }
  };
  await gradeAll(files, {
    jobs: args.jobs,
    memoryMb: args.memoryMb,
    timeoutCapMs: args.timeoutCapMs,
    budgetMs: args.budgetMs,
    onDone: (g, f) => {
      if (g instanceof Error) {
        failedToGrade++;
        return console.log(`${f.student}: ${f.file}: could not grade: ${g.message}`);
      }
      grades.push(g);
      console.log(`${submissionTable(g)}\n`);
      save(g);
    },
  });
  // The same rows in the order of the command line, whatever order the jobs finished in.
  const order = new Map(files.map((f, i) => [f.file, i]));
  grades.sort((a, b) => (order.get(a.notebook) ?? 0) - (order.get(b.notebook) ?? 0));
  fs.writeFileSync(path.join(args.out, "summary.csv"), summaryCsv(grades));
  const tests = grades.flatMap((g) => g.tests);
  const passed = tests.filter((t) => t.passed).length;
  console.log(`results in ${path.join(args.out, "<student>/<exercise>/results.json")}, class summary in ${path.join(args.out, "summary.csv")}`);
  console.log(`${passed} passed, ${tests.length - passed} failed`);
  const changed = grades.find((g) => g.changedFiles)?.changedFiles;
  if (changed) {
    // Those not started were not reported through onDone.
    const ungraded = files.length - grades.length - failedToGrade;
    console.error(`grading stopped: course files changed during grading: ${fileList(changed, 20)}`);
    console.error(`${ungraded} submission(s) were not graded; restore those files (git checkout, npm run build) and grade again`);
    return 3;
  }
  return tests.length - passed > 0 || failedToGrade > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
