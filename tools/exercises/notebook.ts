/**
 * Notebook files as the exercise tools see them: nbformat 4 types, reading and writing in Jupyter's
 * own layout (so saving in Jupyter does not rewrite the whole file), and the cell conventions of the
 * course's exercise notebooks.
 *
 * Cell conventions (nbgrader's autograding layout):
 * - **answer cell**: `metadata.nbgrader` has `solution: true, grade: false` and no points; the answer
 *   lies between `// BEGIN SOLUTION` and `// END SOLUTION` lines. Its grade_id starts with `answer-`.
 * - **check cell** (tag `check`): nbgrader's "autograder tests" cell, `grade: true, solution: false,
 *   locked: true` with `points`. It calls `check.run("<its grade_id>", …)`, which runs the visible
 *   checks of that grade id and throws if any fails (nbgrader scores a test cell by whether it
 *   raises). The points are those of the checks with that `gradeId` in test/exercises, hidden ones
 *   included; the grader runs those checks itself and skips this cell.
 * - **demo cell** (tag `demo`): calls the student's functions to show results (training, plots).
 *   Locked; the grader skips it because the checks call the same functions with their own inputs.
 * - everything else (setup, prose) is locked and read-only.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";

/** The course root (two levels above this file). */
export const COURSE_ROOT = path.resolve(__dirname, "..", "..");

/** nbgrader's per-cell metadata (schema version 3). */
export interface NbgraderMeta {
  schema_version: 3;
  grade: boolean;
  solution: boolean;
  locked: boolean;
  grade_id: string;
  points?: number;
}

export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  source: string | string[];
  metadata: { nbgrader?: NbgraderMeta; tags?: string[]; [key: string]: unknown };
  execution_count?: number | null;
  outputs?: unknown[];
}

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: { course?: { exercise?: string }; [key: string]: unknown };
  cells: Cell[];
}

/** The kernel every course notebook runs on. */
export const KERNELSPEC = Object.freeze({ name: "tslab", display_name: "TypeScript", language: "typescript" });

/** A cell's source as one string (nbformat also allows a list of lines). */
export const sourceText = (cell: Cell): string => (Array.isArray(cell.source) ? cell.source.join("") : cell.source ?? "");

/** Splits text into nbformat's list of lines, each keeping its "\n" except the last. */
export function sourceLines(text: string): string[] {
  return text === "" ? [] : text.split(/(?<=\n)/);
}

export const hasTag = (cell: Cell, tag: string): boolean => Array.isArray(cell.metadata?.tags) && cell.metadata.tags.includes(tag);
export const isCheckCell = (cell: Cell): boolean => cell.cell_type === "code" && hasTag(cell, "check");
export const isDemoCell = (cell: Cell): boolean => cell.cell_type === "code" && hasTag(cell, "demo");

/** The grade id a check cell runs the checks of (the first argument of its `check.run`), or null. */
export function checkedGradeId(cell: Cell): string | null {
  return /\bcheck\.run\(\s*"([^"]+)"/.exec(sourceText(cell))?.[1] ?? null;
}

/** Graded cells (nbgrader test cells) and their points, by grade_id. */
export function gradedCells(nb: Notebook): Map<string, number> {
  const out = new Map<string, number>();
  for (const cell of nb.cells) {
    const m = cell.metadata?.nbgrader;
    if (m?.grade) out.set(m.grade_id, m.points ?? 0);
  }
  return out;
}

/** Reads a notebook; throws a message naming the file if it is not nbformat 4 JSON. */
export function readNotebook(file: string): Notebook {
  let nb: Notebook;
  try {
    nb = JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
  } catch (e) {
    throw new Error(`${file}: not a readable notebook (${(e as Error).message})`);
  }
  if (nb?.nbformat !== 4 || !Array.isArray(nb.cells)) throw new Error(`${file}: not an nbformat 4 notebook`);
  return nb;
}

/** Recursively sorts object keys, as Jupyter does when it saves (json.dumps(sort_keys=True)). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** The file text Jupyter itself would write: sorted keys, one-space indent, final newline. */
export function formatNotebook(nb: Notebook): string {
  return JSON.stringify(sortKeys(nb), null, 1) + "\n";
}

export function writeNotebook(file: string, nb: Notebook): void {
  fs.writeFileSync(file, formatNotebook(nb));
}
