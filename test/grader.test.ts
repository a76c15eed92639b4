/**
 * The grader's guarantees: solutions get full marks, untouched exercises get nothing, and each
 * deliberately broken submission (test/fixtures/submissions, see tools/exercises/fixtures.ts) loses
 * exactly the checks it breaks — whether it computes wrongly, hangs, exits, writes to stderr, exhausts
 * memory, fails to load, forges results, rewrites the checks or the library, signals the grader or
 * writes the course's files — without taking the grader down, and within one time budget per
 * submission; and if course files change anyway, grading stops.
 *
 * The Lotka–Volterra grading (a real training run) happens once, for the solution and the wrong-sign
 * fixture side by side; the isolation cases use the small exercises.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import { exercises } from "./exercises";
import { extraCells, listFixtures } from "../tools/exercises/fixtures";
import { readNotebook } from "../tools/nbformat";

const FIXTURES = listFixtures();
const fixturePath = (f: { file: string }) => f.file;
/** How many cells a fixture added of its own (each one attack). */
const attacks = (student: string) => extraCells(readNotebook(FIXTURES.find((f) => f.student === student)!.file)).length;
/** The number of file writes the write-course-files fixture tries. */
const FILE_WRITE_COUNT = 6;
import type { Notebook } from "../tools/nbformat";
import { extractSubmission } from "../tools/grader/extract";
import { COURSE_ROOT } from "../tools/course-root";
import { gradeAll, gradeNotebook, type SubmissionGrade } from "../tools/grader/run";
import { gradescopeResults } from "../tools/grader/report";
import { changedFiles, snapshot } from "../tools/grader/course-files";

/** Short limits keep the hanging cases quick; loading a small notebook takes well under a second. */
const FAST = { memoryMb: 256, timeoutCapMs: 4_000 };
const SOLUTIONS = path.join(COURSE_ROOT, "solutions");
const EXERCISES = path.join(COURSE_ROOT, "exercises");

const failing = (g: SubmissionGrade) => g.tests.filter((t) => !t.passed).map((t) => t.id);
const maxOf = (name: string) => exercises[name].checks.reduce((s, c) => s + c.points, 0);
const pointsOf = (name: string, ids: string[]) => exercises[name].checks.filter((c) => ids.includes(`${c.gradeId}/${c.id}`)).reduce((s, c) => s + c.points, 0);

describe("extracting a notebook's code", () => {
  const code = (...cells: string[]): Notebook => ({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map((source, i) => ({ cell_type: "code", metadata: i === 3 ? { tags: ["check"] } : {}, source })),
  });
  const load = async (nb: Notebook, required: string[]) => {
    const { js, warnings } = extractSubmission(nb, { notebookDir: "/somewhere/else", courseRoot: COURSE_ROOT, required });
    const mod = { exports: {} as Record<string, (r: (c: number, e: unknown) => void) => Promise<Record<string, unknown>>> };
    vm.compileFunction(js, ["exports", "require", "module"])(mod.exports, require, mod);
    const errors: string[] = [];
    const names = await mod.exports.__submission__((cell, e) => errors.push(`${cell}: ${(e as Error).message}`));
    return { names, errors, warnings, js };
  };

  it("runs cells like a kernel: a throw ends its cell, later cells run, names can be redeclared, await works", async () => {
    const { names, errors } = await load(
      code(
        "const a = 1;\nthrow new Error('boom');\nconst lost = 2;",
        "let b = await Promise.resolve(a + 1);\nfunction twice(x: number): number { return 2 * x; }",
        "const b = twice(b);", // a later cell may declare the same name again
        "throw new Error('a check cell is never run');",
        "class Box { constructor(readonly v: number) {} }\nconst { v } = new Box(b);",
      ),
      ["a", "b", "lost", "twice", "v"],
    );
    assert.deepEqual(errors, ["1: boom"]);
    assert.equal(names.a, 1);
    assert.equal(names.lost, undefined, "statements after the throw in that cell did not run");
    assert.equal(names.b, 4);
    assert.equal(typeof names.twice, "function");
    assert.equal(names.v, 4);
  });

  it("hoists imports, points ../dist at the course, drops the checks' import and skips unparsable cells", async () => {
    const { names, warnings, js } = await load(
      code('import { linspace } from "../dist";\nimport * as check from "../dist/checks/rk4-step";\nconst xs = linspace(0, 1, 3);', "const broken = ;", "export function f() { return 1; }"),
      ["xs", "f", "check"],
    );
    assert.deepEqual(names.xs, [0, 0.5, 1]);
    assert.equal(names.check, undefined);
    assert.equal(typeof names.f, "function");
    assert.ok(js.includes(JSON.stringify(path.join(COURSE_ROOT, "dist"))), "../dist points at the course's dist folder");
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /cell 2 was skipped: it does not parse/);
  });
});

describe("grading", () => {
  let solutions: SubmissionGrade[];
  before(async () => {
    // The only Lotka–Volterra gradings: the solution and the wrong-sign fixture, two at a time.
    const lv = FIXTURES.find((f) => f.exercise === "lotka-volterra")!;
    const files = [...Object.keys(exercises).map((e) => ({ student: "solutions", file: path.join(SOLUTIONS, `${e}.ipynb`) })), { student: lv.student, file: fixturePath(lv) }];
    solutions = (await gradeAll(files, { jobs: 2, memoryMb: 1024 })).map((g) => {
      if (g instanceof Error) throw g;
      return g;
    });
  });

  it("the solutions score full marks on every exercise", () => {
    for (const g of solutions.filter((s) => s.student === "solutions")) {
      assert.deepEqual(failing(g), [], `${g.exercise}: ${g.tests.map((t) => t.message).join("; ")}`);
      assert.equal(g.score, maxOf(g.exercise));
      assert.deepEqual(g.warnings, []);
    }
    assert.deepEqual(solutions.filter((s) => s.student === "solutions").map((g) => g.exercise).sort(), Object.keys(exercises).sort());
  });

  it("a wrong sign in the Lotka–Volterra field costs exactly the field's points, and training is deterministic", () => {
    const wrong = solutions.find((g) => g.student === "lv-wrong-sign")!;
    assert.deepEqual(failing(wrong), ["lv-field/values"]);
    assert.equal(wrong.score, maxOf("lotka-volterra") - pointsOf("lotka-volterra", ["lv-field/values"]));
    // Same training code, same seed: the same numbers to the last printed digit, in separate processes.
    const right = solutions.find((g) => g.student === "solutions" && g.exercise === "lotka-volterra")!;
    for (const id of ["lv-model/training", "lv-fit/window", "lv-fit/extrapolation"]) {
      assert.equal(wrong.tests.find((t) => t.id === id)!.message, right.tests.find((t) => t.id === id)!.message, id);
    }
  });

  it("the untouched exercises score 0 on every check", async () => {
    const graded = await gradeAll(Object.keys(exercises).map((e) => ({ student: "exercises", file: path.join(EXERCISES, `${e}.ipynb`) })), { ...FAST, jobs: 2 });
    for (const g of graded) {
      assert.ok(!(g instanceof Error));
      assert.equal(g.score, 0, g.exercise);
      assert.ok(g.tests.every((t) => !t.passed && /exercise: implement/.test(t.message)), g.tests.map((t) => t.message).join("; "));
    }
  });

  // kill-parent would take this test process down with it if it got through: see the command line tests.
  for (const f of FIXTURES.filter((x) => x.exercise !== "lotka-volterra" && x.student !== "kill-parent")) {
    it(`${f.student}: ${f.why} — fails exactly ${f.failing.join(", ") || "nothing"}`, async () => {
      const before = snapshot(COURSE_ROOT);
      const g = await gradeNotebook(fixturePath(f), f.student, FAST);
      // No submission may change what later ones are graded with; write-course-files tries hard.
      const litter = fs.readdirSync(path.join(COURSE_ROOT, "dist", "checks")).filter((n) => n.startsWith("__tamper"));
      litter.forEach((n) => fs.rmSync(path.join(COURSE_ROOT, "dist", "checks", n))); // its only targets: new files
      assert.deepEqual(litter, [], "files a submission wrote");
      assert.deepEqual(changedFiles(before, snapshot(COURSE_ROOT)), [], "course files changed");
      assert.deepEqual(failing(g).sort(), [...f.failing].sort(), g.tests.map((t) => `${t.id}: ${t.message}`).join("\n"));
      assert.equal(g.score, maxOf(f.exercise) - pointsOf(f.exercise, f.failing));
      const messages = g.tests.filter((t) => !t.passed).map((t) => t.message).join("\n");
      const expected: Record<string, RegExp> = {
        "infinite-loop": /no result within \d+ s during this check/,
        "process-exit": /exited with code 0 .*process\.exit/,
        stderr: /wrote to stderr during the check/,
        memory: /memory/,
        "import-error": /did not run: .*Cannot find module 'no-such-package-for-grading'/,
        "throw-at-import": /residual is not defined/,
      };
      if (expected[f.student]) assert.match(messages, expected[f.student]);
      const refused = g.warnings.filter((w) => /threw at top level: TypeError: Cannot (assign to read only property|redefine property)/.test(w)).length;
      if (f.student === "monkeypatch") assert.equal(refused, attacks("monkeypatch"), g.warnings.join("; "));
      if (f.student === "registry-overwrite") {
        // Exactly what the untouched stub gets: nothing, for the stub's own reason.
        assert.equal(refused, attacks("registry-overwrite"), g.warnings.join("; "));
        assert.equal(g.score, 0);
        assert.ok(g.tests.every((t) => /exercise: implement rk4Step/.test(t.message)), messages);
      }
      if (f.student === "write-course-files") {
        const report = g.warnings.find((w) => /cell \d+ threw at top level/.test(w)) ?? "";
        assert.equal(report.match(/is not available while grading \(files are read-only\)/g)?.length, FILE_WRITE_COUNT, report);
        assert.doesNotMatch(report, /succeeded/);
      }
      if (f.student === "forged") assert.ok(g.warnings.some((w) => /not from the grader and were ignored/.test(w)), g.warnings.join("; "));
    });
  }

  it("a notebook that hangs while loading fails every check with a clear message", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-hang-"));
    const nb = JSON.parse(fs.readFileSync(path.join(SOLUTIONS, "rk4-step.ipynb"), "utf8")) as Notebook;
    nb.cells.push({ cell_type: "code", metadata: {}, source: "while (true) {}" });
    fs.writeFileSync(path.join(dir, "rk4-step.ipynb"), JSON.stringify(nb));
    const g = await gradeNotebook(path.join(dir, "rk4-step.ipynb"), "hang", { ...FAST, timeoutCapMs: 3_000 });
    assert.equal(g.score, 0);
    assert.ok(g.tests.every((t) => /did not run: no result within 3 s during loading/.test(t.message)), g.tests[0].message);
  });

  it("a submission gets one time budget: once it is spent, the remaining checks fail without running", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-budget-"));
    const nb = JSON.parse(fs.readFileSync(path.join(SOLUTIONS, "rk4-step.ipynb"), "utf8")) as Notebook;
    const answer = nb.cells.find((c) => c.metadata.nbgrader?.grade_id === "answer-rk4-step")!;
    answer.source = (Array.isArray(answer.source) ? answer.source.join("") : answer.source).replace("// BEGIN SOLUTION\n", "// BEGIN SOLUTION\n  while (true) {}\n");
    fs.writeFileSync(path.join(dir, "rk4-step.ipynb"), JSON.stringify(nb));
    // Every check hangs: without the budget this takes three 20 s limits and two restarts.
    const budgetMs = 5_000;
    const g = await gradeNotebook(path.join(dir, "rk4-step.ipynb"), "budget", { memoryMb: 256, timeoutCapMs: 20_000, budgetMs });
    // A hang guard only (three 20 s limits would take over 60 s); the messages below show the budget at work.
    assert.ok(g.seconds < 45, `took ${g.seconds} s`);
    assert.equal(g.score, 0);
    assert.match(g.tests[0].message, /time budget of 5 s ran out during this check; it was stopped/);
    for (const t of g.tests.slice(1)) assert.match(t.message, /^not run: the submission's time budget of 5 s ran out$/);
  });
});

describe("course files that change during grading", () => {
  it("are found by their hashes: changed, removed and added files", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "course-files-"));
    fs.mkdirSync(path.join(dir, "dist", "checks"), { recursive: true });
    fs.writeFileSync(path.join(dir, "dist", "checks", "a.js"), "1");
    fs.writeFileSync(path.join(dir, "dist", "b.js"), "2");
    const before = snapshot(dir, ["dist", "missing"]);
    assert.equal(before.size, 2);
    assert.deepEqual(changedFiles(before, snapshot(dir, ["dist", "missing"])), []);
    fs.writeFileSync(path.join(dir, "dist", "checks", "a.js"), "3");
    fs.rmSync(path.join(dir, "dist", "b.js"));
    fs.writeFileSync(path.join(dir, "dist", "checks", "c.js"), "");
    const rel = (...p: string[]) => path.join("dist", ...p);
    assert.deepEqual(changedFiles(before, snapshot(dir, ["dist", "missing"])), [rel("b.js"), rel("checks", "a.js"), rel("checks", "c.js")].sort());
  });

  it("stop the grading: the next submission fails every check, naming the file, and the rest are not graded", async () => {
    // Stands in for a submission that got past the read-only file system: the file changes between two.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "course-watch-"));
    const watched = path.join(dir, "checks.js");
    fs.writeFileSync(watched, "exports.run = check;");
    const file = path.join(SOLUTIONS, "rk4-step.ipynb");
    const onDone = (g: SubmissionGrade | Error) => !(g instanceof Error) && g.student === "first" && fs.writeFileSync(watched, 'exports.run = () => "ok";');
    const [first, second, third] = await gradeAll(["first", "second", "third"].map((student) => ({ student, file })), { ...FAST, watch: [dir], onDone });
    assert.ok(!(first instanceof Error) && !(second instanceof Error));
    assert.equal(first.score, maxOf("rk4-step"));
    assert.equal(first.changedFiles, undefined);
    assert.equal(second.score, 0);
    assert.deepEqual(second.changedFiles, [path.relative(COURSE_ROOT, watched)]);
    for (const t of second.tests) assert.match(t.message, /^the submission changed course files: .*checks\.js; grading stopped$/);
    assert.ok(third instanceof Error);
    assert.match(third.message, /not graded: grading stopped because course files changed \(.*checks\.js\)/);
  });
});

/** Runs grade.ts and collects how it ended. */
function gradeCli(args: string[]): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return new Promise((resolve) => {
    const child: ReturnType<typeof execFile> = execFile(process.execPath, ["--import", "tsx", path.join(COURSE_ROOT, "tools", "grader", "grade.ts"), ...args], { cwd: COURSE_ROOT }, (_err, stdout) => resolve({ code: child.exitCode, signal: child.signalCode, stdout }));
  });
}

describe("the command line", () => {
  it("survives a submission that tries to kill it, and writes every student's results", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "grades-kill-"));
    const killer = FIXTURES.find((f) => f.student === "kill-parent")!;
    const rk2 = FIXTURES.find((f) => f.student === "rk2")!;
    const { code, signal, stdout } = await gradeCli([path.dirname(fixturePath(killer)), path.dirname(fixturePath(rk2)), path.join(SOLUTIONS, "rk4-step.ipynb"), "--out", out, "--jobs", "2"]);
    assert.equal(signal, null, `the grader was killed by ${signal}:\n${stdout}`);
    assert.equal(code, 1, stdout);
    // kill-parent loses the shape check (its rk4Step signals there) and nothing else.
    assert.match(stdout, /kill-parent \/ rk4-step: 4\/5 points/);
    assert.match(stdout, /rk4-step\/shape\s+0\/1\s+FAIL\s+error: process\.kill is not available while grading/);
    assert.match(stdout, /\n6 passed, 3 failed\n/);
    for (const [student, score] of [["kill-parent", 4], ["rk2", 1], ["solutions", 5]] as const) {
      const results = JSON.parse(fs.readFileSync(path.join(out, student, "rk4-step", "results.json"), "utf8")) as ReturnType<typeof gradescopeResults>;
      assert.equal(results.score, score, student);
    }
    const notes = /kill-parent[\s\S]*?\n\n/.exec(stdout)![0];
    assert.equal(notes.match(/threw at top level: error: (process\.kill|child_process\.execSync) is not available/g)?.length, attacks("kill-parent"), notes);
    assert.equal(fs.readFileSync(path.join(out, "summary.csv"), "utf8").trim().split("\n").length, 4);
  });

  it("prints tables and a total, exits 1 on failures, and writes results.json and summary.csv", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "grades-"));
    const rk2 = FIXTURES.find((f) => f.student === "rk2")!;
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, ["--import", "tsx", path.join(COURSE_ROOT, "tools", "grader", "grade.ts"), path.dirname(fixturePath(rk2)), path.join(SOLUTIONS, "rk4-step.ipynb"), "--out", out, "--jobs", "2"], { cwd: COURSE_ROOT }, (err, stdout) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout }),
      );
    });
    assert.equal(code, 1, stdout);
    assert.match(stdout, /rk2 \/ rk4-step: 1\/5 points/);
    assert.match(stdout, /solutions \/ rk4-step: 5\/5 points/);
    assert.match(stdout, /rk4-step\/order\s+0\/2\s+FAIL\s+observed order 2\.06/);
    assert.match(stdout, /\n4 passed, 2 failed\n/);
    const results = JSON.parse(fs.readFileSync(path.join(out, "rk2", "rk4-step", "results.json"), "utf8")) as ReturnType<typeof gradescopeResults>;
    assert.equal(results.score, 1);
    assert.ok(Number.isInteger(results.execution_time));
    assert.equal(typeof results.output, "string");
    assert.equal(results.visibility, "visible");
    assert.deepEqual(results.tests.map((t) => [t.score, t.max_score, t.visibility]), [[1, 1, "visible"], [0, 2, "visible"], [0, 2, "after_due_date"]]);
    assert.ok(results.tests.every((t) => typeof t.name === "string" && typeof t.output === "string"));
    const csv = fs.readFileSync(path.join(out, "summary.csv"), "utf8").trim().split("\n");
    assert.equal(csv[0], "student,exercise,score,max,seconds");
    assert.deepEqual(csv.slice(1).map((l) => l.split(",").slice(0, 4).join(",")).sort(), ["rk2,rk4-step,1,5", "solutions,rk4-step,5,5"]);
  });
});
