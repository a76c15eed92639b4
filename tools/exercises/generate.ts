/**
 * Generates the student notebooks `exercises/<name>.ipynb` from the solution notebooks
 * `solutions/<name>.ipynb`, which are the single source of truth.
 *
 *   npm run exercises              # rewrite every exercises/<name>.ipynb
 *   npm run exercises -- --check   # only report notebooks that are out of date (exit 1 if any)
 *
 * It also clears outputs left in a solution notebook after running it in Jupyter (notebooks are
 * committed without outputs), sets the nbgrader metadata of answer and check cells in both (the
 * points come from the checks in test/exercises), and refreshes the grader's fixture submissions
 * around the current exercises (tools/exercises/fixtures.ts). Everything is computed before anything
 * is written, so a run that fails writes nothing.
 *
 * Each `// BEGIN SOLUTION` … `// END SOLUTION` region (nbgrader's markers, matched as substrings) is
 * replaced by a stub that still compiles and fails clearly when called:
 *
 *   // YOUR CODE HERE
 *   throw new Error("exercise: implement rk4Step");
 *
 * The function name comes from the function that encloses the region, so a region must sit inside a
 * named function (declaration, or arrow/function expression assigned to a name). Outputs and
 * execution counts are cleared; metadata (nbgrader, tags) is kept.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { COURSE_ROOT } from "../course-root";
import { formatNotebook, parseNotebook, readNotebook, sourceLines, sourceText, type Cell, type Notebook } from "../nbformat";
import { checkedGradeId, isCheckCell } from "./notebook";
import { exercises } from "../../test/exercises";
import { listFixtures, mergeFixture } from "./fixtures";


export const BEGIN = "BEGIN SOLUTION";
export const END = "END SOLUTION";

/** Name of the innermost named function whose body contains `pos`, or null. */
function enclosingFunctionName(sf: ts.SourceFile, pos: number): string | null {
  let found: string | null = null;
  const visit = (node: ts.Node): void => {
    if (pos < node.getStart(sf) || pos >= node.getEnd()) return;
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const name = functionName(node);
      if (name) found = name;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function functionName(node: ts.SignatureDeclaration): string | null {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node)) && node.name) return node.name.getText();
  // `const rk4Step = (…) => …` or `{ rk4Step: function (…) … }`
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name) return parent.name.getText();
  return null;
}

/**
 * Replaces every solution region of one code cell's source by a stub. `where` names the cell in
 * error messages. Returns the source unchanged when it has no region.
 */
export function stubSolutions(source: string, where: string): string {
  if (!source.includes(BEGIN) && !source.includes(END)) return source;
  const sf = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const lines = source.split("\n");
  const out: string[] = [];
  let offset = 0;
  let open: { name: string; indent: string } | null = null;
  for (const line of lines) {
    const at = offset;
    offset += line.length + 1;
    if (line.includes(BEGIN)) {
      if (open) throw new Error(`${where}: '${BEGIN}' inside another solution region`);
      const name = enclosingFunctionName(sf, at + line.indexOf(BEGIN));
      if (!name) throw new Error(`${where}: the solution region at line ${out.length + 1} is not inside a named function; the stub needs one to throw from`);
      open = { name, indent: /^\s*/.exec(line)![0] };
      continue;
    }
    if (line.includes(END)) {
      if (!open) throw new Error(`${where}: '${END}' without a '${BEGIN}' before it`);
      out.push(`${open.indent}// YOUR CODE HERE`, `${open.indent}throw new Error("exercise: implement ${open.name}");`);
      open = null;
      continue;
    }
    if (!open) out.push(line);
  }
  if (open) throw new Error(`${where}: '${BEGIN}' in ${open.name} is never closed by '${END}'`);
  return out.join("\n");
}

/** Code cells without outputs or execution counts (modifies and returns `nb`). */
export function clearOutputs(nb: Notebook): Notebook {
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    cell.outputs = [];
    cell.execution_count = null;
  }
  return nb;
}

/** Points per grade id, from the checks in test/exercises (the source of the points). */
export function pointsByGradeId(name: string): Map<string, number> {
  const exercise = exercises[name];
  if (!exercise) throw new Error(`no checks for exercise ${name} in test/exercises`);
  const points = new Map<string, number>();
  for (const c of exercise.checks) points.set(c.gradeId, (points.get(c.gradeId) ?? 0) + c.points);
  return points;
}

/**
 * Sets nbgrader's autograding metadata (see notebook.ts): answer cells become ungraded solution
 * cells, check cells locked test cells carrying the points of the checks they run. Throws when a
 * check cell runs an unknown grade id, or is not named after the grade id it runs.
 */
export function applyGradingMetadata(nb: Notebook, points: ReadonlyMap<string, number>, label = "notebook"): Notebook {
  const seen = new Set<string>();
  nb.cells.forEach((cell, i) => {
    const m = cell.metadata?.nbgrader;
    if (!m) return;
    if (isCheckCell(cell)) {
      const id = checkedGradeId(cell);
      if (!id || !points.has(id)) throw new Error(`${label}, cell ${i + 1}: a check cell must call check.run("<grade id>", …) with one of ${[...points.keys()].join(", ")}`);
      if (m.grade_id !== id) throw new Error(`${label}, cell ${i + 1}: the check cell running "${id}" has grade_id "${m.grade_id}"; name it "${id}"`);
      seen.add(id);
      cell.metadata.nbgrader = { schema_version: 3, grade: true, solution: false, locked: true, grade_id: id, points: points.get(id) };
    } else if (m.solution) {
      cell.metadata.nbgrader = { schema_version: 3, grade: false, solution: true, locked: false, grade_id: m.grade_id };
    } else if (m.grade) {
      throw new Error(`${label}, cell ${i + 1}: only check cells are graded (grade_id ${m.grade_id})`);
    }
  });
  const missing = [...points.keys()].filter((id) => !seen.has(id));
  if (missing.length > 0) throw new Error(`${label}: no check cell runs ${missing.join(", ")}`);
  return nb;
}

/** The student version of a solution notebook. */
export function toExercise(solution: Notebook, label = "notebook"): Notebook {
  const nb = JSON.parse(JSON.stringify(solution)) as Notebook;
  nb.cells.forEach((cell: Cell, i) => {
    const where = `${label}, cell ${i + 1}`;
    if (cell.cell_type !== "code") {
      if (sourceText(cell).includes(BEGIN)) throw new Error(`${where}: solution markers only work in code cells`);
      return;
    }
    cell.source = sourceLines(stubSolutions(sourceText(cell), where));
  });
  return clearOutputs(nb);
}

/** Names of the exercises that have a solution notebook, sorted. */
export function solutionNames(root = COURSE_ROOT): string[] {
  const dir = path.join(root, "solutions");
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).map((f) => f.slice(0, -6)).sort() : [];
}

/** The exercise notebook text for `name`, generated in memory. */
export function generatedText(name: string, root = COURSE_ROOT): string {
  const label = `solutions/${name}.ipynb`;
  return formatNotebook(applyGradingMetadata(toExercise(readNotebook(path.join(root, "solutions", `${name}.ipynb`)), label), pointsByGradeId(name), label));
}

/** The solution notebook as it should be committed: no outputs, grading metadata from the checks. */
export function cleanSolutionText(name: string, root = COURSE_ROOT): string {
  const label = `solutions/${name}.ipynb`;
  return formatNotebook(applyGradingMetadata(clearOutputs(readNotebook(path.join(root, "solutions", `${name}.ipynb`))), pointsByGradeId(name), label));
}

/** A file the generator would write: where, and its full text. */
interface Planned {
  file: string;
  text: string;
  /** What the change means, for the log line. */
  what: string;
}

/**
 * Everything `npm run exercises` would write, computed in memory first: a solution, exercise or
 * fixture that cannot be generated throws before anything is written, so a failed run leaves every
 * file as it was.
 */
export function plan(names: readonly string[], withFixtures: boolean, root = COURSE_ROOT): Planned[] {
  const out: Planned[] = [];
  for (const name of names) {
    out.push({ file: path.join(root, "solutions", `${name}.ipynb`), text: cleanSolutionText(name, root), what: "outputs cleared and grading metadata set" });
    out.push({ file: path.join(root, "exercises", `${name}.ipynb`), text: generatedText(name, root), what: "generated from its solution" });
  }
  if (withFixtures) {
    for (const f of listFixtures()) {
      const label = path.relative(root, f.file);
      const base = parseNotebook(f.base === "solution" ? cleanSolutionText(f.exercise, root) : generatedText(f.exercise, root), label);
      out.push({ file: f.file, text: formatNotebook(mergeFixture(readNotebook(f.file), f, base, label)), what: `refreshed from the current ${f.base}` });
    }
  }
  return out;
}

function main(argv: string[]): number {
  const check = argv.includes("--check");
  const wanted = argv.filter((a) => !a.startsWith("--"));
  const names = wanted.length > 0 ? wanted : solutionNames();
  let planned: Planned[];
  try {
    planned = plan(names, wanted.length === 0);
  } catch (e) {
    console.error(`npm run exercises: ${(e as Error).message}\nNothing was written.`);
    return 2;
  }
  const stale = planned.filter((p) => !fs.existsSync(p.file) || fs.readFileSync(p.file, "utf8") !== p.text);
  for (const p of stale) {
    const rel = path.relative(COURSE_ROOT, p.file);
    if (check) console.log(`${rel} is out of date (${p.what}); run npm run exercises`);
    else {
      fs.mkdirSync(path.dirname(p.file), { recursive: true });
      fs.writeFileSync(p.file, p.text);
      console.log(`wrote ${rel}: ${p.what}`);
    }
  }
  if (stale.length === 0) console.log(`${names.length} exercise notebook(s) and the grader fixtures are up to date`);
  return check && stale.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
