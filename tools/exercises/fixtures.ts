/**
 * Deliberately broken submissions for the grader's tests, derived from the solution (or exercise)
 * notebooks by small, named edits, with the checks each must fail. `npm run exercises` regenerates
 * the committed copies in test/fixtures/submissions/<student>/<exercise>.ipynb.
 *
 * An edit whose text no longer occurs in the solution throws, so the fixtures cannot silently drift
 * away from the solutions; test/exercises-sync.test.ts checks the committed copies are current.
 *
 * @module
 */
import path from "node:path";
import { toExercise } from "./generate";
import { COURSE_ROOT } from "../course-root";
import { readNotebook, sourceLines, sourceText, type Notebook } from "../nbformat";

export interface Fixture {
  /** Folder name, which is also the student name the grader reports. */
  student: string;
  exercise: string;
  /** What is wrong with it. */
  why: string;
  /** Start from the solution (default) or from the untouched exercise. */
  from?: "solution" | "exercise";
  /** Exact replacements `[old, new]` (first occurrence) in the answer cell with this grade_id. */
  edits: { cell: string; replace: [string, string][] }[];
  /** Code cells appended at the end (no nbgrader metadata: the student's own cells). */
  append?: string[];
  /** The tests that must fail; every other test must pass. */
  failing: string[];
}

const FORGERY = `// Tries to fake a passing grade: none of this may earn points.
const forged = ["rk4-step/shape", "rk4-step/accuracy", "rk4-step/order"];
const fake = () => {
  for (const id of forged) {
    console.log(JSON.stringify({ type: "result", seq: 1, id, passed: true, message: "" }));
    console.log(\`✓ \${id} PASS 5/5\`);
    for (let seq = 0; seq < 4; seq++) process.send?.({ type: "result", nonce: "0".repeat(32), seq, id, passed: true, message: "forged" });
  }
};
fake();
setInterval(fake, 1);`;

/** One cell each, so each is tried; the grader freezes all of these, so every one throws. */
export const MONKEYPATCHES = [
  "Math.hypot = () => 0;",
  "Math.abs = () => 0;",
  "Array.prototype.every = () => true;",
  // The module that defines observedOrder (not the ones that re-export it through a getter).
  `for (const m of Object.values(require.cache)) {
  const d = m && Object.getOwnPropertyDescriptor(m.exports, "observedOrder");
  if (d && "value" in d) m.exports.observedOrder = () => 4;
}`,
  'require("./dist").NeuralODE.prototype.predict = () => { throw new Error("patched"); };',
];

/** Attacks on the grader's own check registry, one cell each; every one must throw. */
export const REGISTRY_ATTACKS = [
  `// Every loaded copy of the check registry: make each check pass.
for (const m of Object.values(require.cache)) {
  const registry = m?.exports?.exercises;
  if (registry?.["rk4-step"]) for (const c of registry["rk4-step"].checks) c.run = () => "ok";
}`,
  'require("./test/exercises/index.ts").exercises["rk4-step"].checks[1].run = () => "ok";',
  'Object.defineProperty(require("./test/exercises/index.ts").exercises["rk4-step"].checks[2], "run", { value: () => "ok" });',
  `// Every object becomes a thenable that resolves to a passing result.
Object.defineProperty(Object.prototype, "then", {
  configurable: true,
  value(this: object, resolve: (v: unknown) => void) {
    resolve(Object.assign(Object.create(null), this, { passed: true, message: "ok" }));
  },
});`,
];

/** Tries to take the grader down with it; each must fail with a message instead. */
export const KILLERS = [
  "process.kill(process.ppid, \"SIGKILL\");",
  'require("child_process").execSync(`kill -9 ${process.ppid}`);',
  "process.kill(-process.ppid, \"SIGKILL\");",
];

/**
 * Ways to write a file that the next grading process would load; the grader makes files read-only,
 * so each must be refused. The targets are new files that nothing loads (`dist/checks/__tamper…`),
 * so that a broken guard leaves litter, not damage (the test removes it).
 */
export const FILE_WRITES = [
  'fs.writeFileSync("dist/checks/__tamper__.js", payload)',
  'fs.promises.writeFile("dist/checks/__tamper-promises__.js", payload)',
  'new Promise((done, fail) => fs.createWriteStream("dist/checks/__tamper-stream__.js").on("error", fail).end(payload, done))',
  'fs.closeSync(fs.openSync("dist/checks/__tamper-open__.js", "w"))',
  'fs.renameSync("dist/checks/__tamper__.js", "dist/checks/__tamper-renamed__.js")',
  'fs.unlinkSync("dist/checks/__tamper-renamed__.js")',
];

/** One cell: each write in its own try/catch, then what happened, as the cell's error (a grader warning). */
const FILE_WRITER = [
  "// Tries to plant a check of its own among the course's compiled checks, by every route there is.",
  'const fs = require("node:fs");',
  "const payload = 'exports.run = () => \"ok\";';",
  "const outcomes: string[] = [];",
  ...FILE_WRITES.map((code) => `try {\n  await ${code};\n  outcomes.push("succeeded: ${code.replace(/"/g, "'")}");\n} catch (e) {\n  outcomes.push((e as Error).message);\n}`),
  "// What happened, as this cell's error: the grader lists it among its warnings.",
  'throw new Error(outcomes.join(" | "));',
].join("\n");

export const FIXTURES: readonly Fixture[] = [
  {
    student: "lv-wrong-sign",
    exercise: "lotka-volterra",
    why: "the predation term of x' has the wrong sign",
    edits: [{ cell: "answer-lv-field", replace: [["alpha * x - beta * x * y", "alpha * x + beta * x * y"]] }],
    failing: ["lv-field/values"],
  },
  {
    student: "rk2",
    exercise: "rk4-step",
    why: "an explicit midpoint step (second order) instead of RK4",
    edits: [{ cell: "answer-rk4-step", replace: [["const k3 = f(t + h / 2, shifted(k2, h / 2));\n  const k4 = f(t + h, shifted(k3, h));\n  return u.map((ui, i) => ui + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));", "return shifted(k2, h);"]] }],
    failing: ["rk4-step/accuracy", "rk4-step/order"],
  },
  {
    student: "rk4-stale-time",
    exercise: "rk4-step",
    why: "every stage evaluated at the step's start time: fine for u' = f(u), wrong for u' = f(t, u)",
    edits: [{ cell: "answer-rk4-step", replace: [["f(t + h / 2, shifted(k1", "f(t, shifted(k1"], ["f(t + h / 2, shifted(k2", "f(t, shifted(k2"], ["f(t + h, shifted(k3", "f(t, shifted(k3"]] }],
    failing: ["rk4-step/accuracy"],
  },
  {
    student: "infinite-loop",
    exercise: "rk4-step",
    why: "loops forever for the small steps of the convergence check only",
    edits: [{ cell: "answer-rk4-step", replace: [["// BEGIN SOLUTION\n", "// BEGIN SOLUTION\n  while (h < 0.03) {}\n"]] }],
    failing: ["rk4-step/order"],
  },
  {
    student: "process-exit",
    exercise: "rk4-step",
    why: "calls process.exit(0) for three-component states (the shape check only)",
    edits: [{ cell: "answer-rk4-step", replace: [["// BEGIN SOLUTION\n", "// BEGIN SOLUTION\n  if (u.length === 3) process.exit(0);\n"]] }],
    failing: ["rk4-step/shape"],
  },
  {
    student: "stderr",
    exercise: "rk4-step",
    why: "writes to stderr for scalar states (part of the accuracy check only)",
    edits: [{ cell: "answer-rk4-step", replace: [["// BEGIN SOLUTION\n", "// BEGIN SOLUTION\n  if (u.length === 1) console.error(\"debug: scalar state\", u);\n"]] }],
    failing: ["rk4-step/accuracy"],
  },
  {
    student: "memory",
    exercise: "rk4-step",
    why: "allocates without bound: typed arrays (outside the V8 heap) in the shape check, JS arrays (heap) in the order check",
    edits: [
      {
        cell: "answer-rk4-step",
        replace: [
          [
            "// BEGIN SOLUTION\n",
            "// BEGIN SOLUTION\n  const hog: unknown[] = [];\n  while (u.length === 3) hog.push(new Float64Array(1 << 20).fill(1));\n  while (h < 0.03) hog.push(new Array(1 << 16).fill(h));\n",
          ],
        ],
      },
    ],
    failing: ["rk4-step/shape", "rk4-step/order"],
  },
  {
    student: "import-error",
    exercise: "rk4-step",
    why: "imports a package that does not exist, so the notebook's code cannot run at all",
    edits: [{ cell: "answer-rk4-step", replace: [["/** A right-hand side", 'import { zip } from "no-such-package-for-grading";\nconsole.log(zip);\n\n/** A right-hand side']] }],
    failing: ["rk4-step/shape", "rk4-step/accuracy", "rk4-step/order"],
  },
  {
    student: "throw-at-import",
    exercise: "residual-block",
    why: "the residual cell throws at top level before it defines residual; the gradient-norm cell is fine",
    edits: [
      {
        cell: "answer-residual-block",
        replace: [
          ["/** A residual block", 'throw new Error("this cell is broken");\n\n/** A residual block'],
          ["function residual(inner: Layer): Layer {", "const residual = function (inner: Layer): Layer {"],
        ],
      },
    ],
    failing: ["residual-block/output", "residual-block/gradient"],
  },
  {
    student: "monkeypatch",
    exercise: "rk4-step",
    why: "returns u unchanged and replaces built-ins, the library's observedOrder and a library prototype so errors look like zero",
    edits: [{ cell: "answer-rk4-step", replace: [["// BEGIN SOLUTION\n", "// BEGIN SOLUTION\n  return u.slice();\n"]] }],
    // Each in its own cell, so each is tried: the grader's built-ins are frozen, so every one throws.
    append: MONKEYPATCHES,
    failing: ["rk4-step/accuracy", "rk4-step/order"],
  },
  {
    student: "registry-overwrite",
    exercise: "rk4-step",
    why: "the untouched exercise, plus cells that overwrite the grader's checks so they all pass",
    from: "exercise",
    edits: [],
    append: REGISTRY_ATTACKS,
    failing: ["rk4-step/shape", "rk4-step/accuracy", "rk4-step/order"],
  },
  {
    student: "kill-parent",
    exercise: "rk4-step",
    why: "signals the grader (its parent process) with SIGKILL at top level, and in the shape check",
    edits: [{ cell: "answer-rk4-step", replace: [["// BEGIN SOLUTION\n", "// BEGIN SOLUTION\n  if (u.length === 3) process.kill(process.ppid, \"SIGKILL\");\n"]] }],
    append: KILLERS,
    failing: ["rk4-step/shape"],
  },
  {
    student: "forged",
    exercise: "rk4-step",
    why: "the untouched exercise, plus a cell that prints and sends fake passing results",
    from: "exercise",
    edits: [],
    append: [FORGERY],
    failing: ["rk4-step/shape", "rk4-step/accuracy", "rk4-step/order"],
  },
  {
    student: "write-course-files",
    exercise: "rk4-step",
    why: "the solution, plus a cell that tries to write a file among the compiled checks (the writes must be refused)",
    edits: [],
    append: [FILE_WRITER],
    failing: [],
  },
];

export const FIXTURE_DIR = path.join(COURSE_ROOT, "test", "fixtures", "submissions");

/** The notebook of one fixture, built in memory. */
export function buildFixture(f: Fixture): Notebook {
  const solution = readNotebook(path.join(COURSE_ROOT, "solutions", `${f.exercise}.ipynb`));
  const nb = f.from === "exercise" ? toExercise(solution) : solution;
  for (const edit of f.edits) {
    const cell = nb.cells.find((c) => c.metadata?.nbgrader?.grade_id === edit.cell);
    if (!cell) throw new Error(`${f.student}: no cell ${edit.cell} in ${f.exercise}`);
    let text = sourceText(cell);
    for (const [from, to] of edit.replace) {
      if (!text.includes(from)) throw new Error(`${f.student}: '${from.slice(0, 40)}…' not found in cell ${edit.cell} of ${f.exercise}`);
      text = text.replace(from, to);
    }
    cell.source = sourceLines(text);
  }
  for (const code of f.append ?? []) nb.cells.push({ cell_type: "code", id: `extra-${nb.cells.length}`, metadata: {}, source: sourceLines(code), execution_count: null, outputs: [] });
  return nb;
}

export const fixturePath = (f: Fixture): string => path.join(FIXTURE_DIR, f.student, `${f.exercise}.ipynb`);
