/**
 * The exercise notebooks are generated from the solutions, and the graded cells match the checks:
 * regenerate in memory and compare with what is committed, compare points cell by cell (nbgrader's
 * autograding layout: points on the check cells), validate with nbformat's own schema when it is
 * installed, and compile every notebook the way tslab does (so a stub or a cell that does not type-check shows up here).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { exercises } from "./exercises";
import { COURSE_ROOT } from "../tools/course-root";
import { generatedText, solutionNames, stubSolutions, toExercise } from "../tools/exercises/generate";
import { checkedGradeId, gradedCells, isCheckCell } from "../tools/exercises/notebook";
import { formatNotebook, readNotebook, sourceText, type Notebook } from "../tools/nbformat";
import { listFixtures } from "../tools/exercises/fixtures";
import { plan } from "../tools/exercises/generate";

const names = solutionNames();
const solution = (name: string) => readNotebook(path.join(COURSE_ROOT, "solutions", `${name}.ipynb`));
const exercise = (name: string) => readNotebook(path.join(COURSE_ROOT, "exercises", `${name}.ipynb`));

describe("exercise notebooks", () => {
  it("exist for exactly the exercises that have checks", () => {
    assert.deepEqual(names, Object.keys(exercises).sort());
    const committed = fs.readdirSync(path.join(COURSE_ROOT, "exercises")).filter((f) => f.endsWith(".ipynb")).map((f) => f.slice(0, -6)).sort();
    assert.deepEqual(committed, names, "every exercises/<name>.ipynb needs a solutions/<name>.ipynb and vice versa");
  });

  for (const name of names) {
    it(`${name}: the committed exercise is what the generator makes (npm run exercises)`, () => {
      const committed = fs.readFileSync(path.join(COURSE_ROOT, "exercises", `${name}.ipynb`), "utf8");
      assert.ok(committed === generatedText(name), `exercises/${name}.ipynb is out of date: run npm run exercises`);
    });

    it(`${name}: graded cells and checks have the same grade ids and points`, () => {
      const fromChecks = new Map<string, number>();
      for (const c of exercises[name].checks) fromChecks.set(c.gradeId, (fromChecks.get(c.gradeId) ?? 0) + c.points);
      const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => a.localeCompare(b));
      assert.deepEqual(sorted(gradedCells(solution(name))), sorted(fromChecks));
      assert.deepEqual(sorted(gradedCells(exercise(name))), sorted(fromChecks));
    });

    it(`${name}: nbgrader's autograding layout: ungraded answer cells, points on the locked check cells`, () => {
      const points = new Map<string, number>();
      for (const c of exercises[name].checks) points.set(c.gradeId, (points.get(c.gradeId) ?? 0) + c.points);
      for (const [label, nb] of [["solution", solution(name)], ["exercise", exercise(name)]] as const) {
        const checkCells = nb.cells.filter(isCheckCell);
        assert.deepEqual(checkCells.map((c) => c.metadata.nbgrader!.grade_id).sort(), [...points.keys()].sort(), `${label}: one check cell per grade id of the checks`);
        for (const cell of nb.cells) {
          const m = cell.metadata.nbgrader!;
          const where = `${label}, cell ${m.grade_id}`;
          if (isCheckCell(cell)) {
            // nbgrader's "autograder tests" cell, worth the points of the checks it runs.
            assert.deepEqual(m, { schema_version: 3, grade: true, solution: false, locked: true, grade_id: m.grade_id, points: points.get(m.grade_id) }, where);
            assert.equal(checkedGradeId(cell), m.grade_id, `${where}: runs the checks of its own grade id`);
          } else if (m.solution) {
            // nbgrader's "autograded answer" cell: graded through the test cells, so no points here.
            assert.deepEqual(m, { schema_version: 3, grade: false, solution: true, locked: false, grade_id: m.grade_id }, where);
            assert.ok(!points.has(m.grade_id), `${where}: answer cells do not share a grade id with the checks`);
          } else {
            assert.equal(m.grade, false, `${where}: only check cells are graded`);
            assert.equal(m.points, undefined, `${where}: no points`);
          }
        }
      }
    });

    it(`${name}: notebooks are clean nbformat 4 for tslab, with solutions only in answer cells`, () => {
      for (const [label, nb] of [["solution", solution(name)], ["exercise", exercise(name)]] as const) {
        assert.equal(nb.nbformat, 4);
        assert.deepEqual(nb.metadata.kernelspec, { name: "tslab", display_name: "TypeScript", language: "typescript" });
        assert.equal((nb.metadata.language_info as { name: string }).name, "typescript");
        assert.equal(nb.metadata.course?.exercise, name);
        const ids = nb.cells.map((c) => c.metadata.nbgrader?.grade_id);
        assert.ok(ids.every((id) => typeof id === "string"), `${label}: every cell carries nbgrader metadata`);
        assert.equal(new Set(ids).size, ids.length, `${label}: grade ids are unique`);
        for (const cell of nb.cells) {
          const text = sourceText(cell);
          const where = `${label}, cell ${cell.metadata.nbgrader!.grade_id}`;
          assert.deepEqual(cell.outputs ?? [], [], `${where}: committed without outputs`);
          assert.ok(!cell.execution_count, `${where}: no execution count`);
          if (cell.metadata.nbgrader!.solution) {
            assert.equal(cell.metadata.nbgrader!.locked, false, `${where}: answer cells are editable`);
            assert.ok(label === "solution" ? text.includes("BEGIN SOLUTION") : text.includes('throw new Error("exercise: implement '), `${where}: ${label === "solution" ? "has a solution region" : "has a stub"}`);
          } else {
            assert.ok(!text.includes("BEGIN SOLUTION"), `${where}: solution markers only in answer cells`);
            assert.equal(cell.metadata.nbgrader!.locked, true, `${where}: locked`);
          }
          if (label === "exercise") assert.ok(!text.includes("END SOLUTION"), `${where}: no solution left`);
          if (isCheckCell(cell)) {
            assert.match(text, /await check\.run\(/, `${where}: a check cell runs checks`);
            // tslab does not resolve earlier cells' names in the shorthand { rk4Step }: write { rk4Step: rk4Step }.
            const passed = /check\.run\("[^"]+", \{([^}]*)\}/.exec(text)?.[1] ?? "";
            for (const entry of passed.split(",")) assert.match(entry, /:/, `${where}: '${entry.trim()}' must be written as name: name`);
          }
        }
      }
    });
  }
});

/**
 * Type-checks all code cells of a notebook as one module placed in the notebook's folder, with the
 * options tslab compiles cells with (ES2022, Node10 resolution, esModuleInterop, not strict).
 */
function typeErrors(nb: Notebook, dir: string): string[] {
  const file = path.join(dir, "__notebook_check__.ts");
  const code = nb.cells.filter((c) => c.cell_type === "code").map(sourceText).join("\n;\n");
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ["node"],
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => (path.resolve(f) === file ? code : read(f));
  const exists = host.fileExists.bind(host);
  host.fileExists = (f) => path.resolve(f) === file || exists(f);
  const getSource = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang, ...rest) => (path.resolve(f) === file ? ts.createSourceFile(f, code, lang) : getSource(f, lang, ...rest));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
}

const hasNbformat = spawnSync("/usr/bin/python3", ["-c", "import nbformat"]).status === 0;

describe("nbformat's own validator", () => {
  // Skipped only where Jupyter's Python is absent (npm test needs no Python); .ci/run sets REQUIRE_NBFORMAT.
  it("accepts every solution, exercise and grader fixture", { skip: !hasNbformat && !process.env.REQUIRE_NBFORMAT && "python3 nbformat is not installed" }, () => {
    const files = [
      ...names.flatMap((n) => [path.join(COURSE_ROOT, "solutions", `${n}.ipynb`), path.join(COURSE_ROOT, "exercises", `${n}.ipynb`)]),
      ...listFixtures().map((f) => f.file),
    ];
    const script = "import sys, nbformat\nfor f in sys.argv[1:]:\n    try:\n        nbformat.validate(nbformat.read(f, as_version=4))\n    except Exception as e:\n        print(f, str(e).splitlines()[0])";
    const r = spawnSync("/usr/bin/python3", ["-c", script, ...files], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "", "nbformat rejects these notebooks");
  });
});

describe("notebooks compile as tslab compiles them", () => {
  for (const name of names) {
    it(`${name}: solution and exercise type-check against dist/ and dist/checks/`, () => {
      assert.ok(fs.existsSync(path.join(COURSE_ROOT, "dist", "checks", `${name}.d.ts`)), "compile the checks first: npx tsc -p tsconfig.checks.json");
      assert.deepEqual(typeErrors(solution(name), path.join(COURSE_ROOT, "solutions")), []);
      assert.deepEqual(typeErrors(exercise(name), path.join(COURSE_ROOT, "exercises")), []);
    });
  }
});

describe("the generator", () => {
  it("replaces each region with a stub named after its function, keeping the indentation", () => {
    const src = ["function outer(a: number): number {", "  // BEGIN SOLUTION", "  return a + 1;", "  // END SOLUTION", "}", "const inner = (b: number) => {", "    // BEGIN SOLUTION", "    return b;", "    // END SOLUTION", "};"].join("\n");
    assert.equal(
      stubSolutions(src, "test"),
      ["function outer(a: number): number {", "  // YOUR CODE HERE", '  throw new Error("exercise: implement outer");', "}", "const inner = (b: number) => {", "    // YOUR CODE HERE", '    throw new Error("exercise: implement inner");', "};"].join("\n"),
    );
  });

  it("refuses regions outside a function, unclosed or nested regions, and markers in markdown", () => {
    assert.throws(() => stubSolutions("// BEGIN SOLUTION\nconst x = 1;\n// END SOLUTION", "cell 3"), /cell 3: .*not inside a named function/);
    assert.throws(() => stubSolutions("function f() {\n  // BEGIN SOLUTION\n  return 1;\n}", "cell 4"), /never closed/);
    assert.throws(() => stubSolutions("function f() {\n  // BEGIN SOLUTION\n  // BEGIN SOLUTION\n  // END SOLUTION\n}", "cell 5"), /inside another/);
    const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", metadata: {}, source: "BEGIN SOLUTION" }] };
    assert.throws(() => toExercise(nb), /only work in code cells/);
  });

  it("clears outputs and execution counts and keeps metadata", () => {
    const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: { x: 1 }, cells: [{ cell_type: "code", metadata: { tags: ["a"] }, source: "1", execution_count: 3, outputs: [{ output_type: "stream", name: "stdout", text: "3\n" }] }] };
    const ex = toExercise(nb);
    assert.deepEqual(ex.cells[0], { cell_type: "code", metadata: { tags: ["a"] }, source: ["1"], execution_count: null, outputs: [] });
    assert.equal(nb.cells[0].execution_count, 3, "the input is not modified");
  });

  it("the committed grader fixtures are current (npm run exercises)", () => {
    const fixtures = listFixtures();
    assert.ok(fixtures.length > 0);
    const planned = new Map(plan(solutionNames(), true).map((p) => [p.file, p.text]));
    for (const f of fixtures) assert.ok(fs.readFileSync(f.file, "utf8") === planned.get(f.file), `${f.student}/${f.exercise}.ipynb is out of date`);
  });
});
