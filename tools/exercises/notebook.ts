/**
 * The cell conventions of the course's exercise notebooks (the file format itself is ../nbformat.ts).
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
import { sourceText, type Cell, type Notebook } from "../nbformat";

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
