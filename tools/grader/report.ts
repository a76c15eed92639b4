/**
 * What the grader writes: a table per submission for the terminal, a Gradescope `results.json` per
 * submission, and a CSV summary for the class.
 *
 * @module
 */
import { formatTable } from "../text-table";
import type { SubmissionGrade } from "./run";

/** Gradescope's names for who sees a test: ours "hidden" means "after the due date". */
const GRADESCOPE_VISIBILITY = { visible: "visible", hidden: "after_due_date" } as const;

/** The Gradescope autograder result (https://gradescope-autograders.readthedocs.io, "Output format"). */
export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  visibility: string;
  stdout_visibility: string;
  tests: { name: string; number: string; score: number; max_score: number; status: "passed" | "failed"; output: string; visibility: string }[];
}

export function gradescopeResults(g: SubmissionGrade): GradescopeResults {
  const lines = [`${g.exercise}: ${g.score} / ${g.maxScore}`, ...g.warnings.map((w) => `note: ${w}`)];
  return {
    score: g.score,
    // Gradescope expects whole seconds.
    execution_time: Math.ceil(g.seconds),
    output: lines.join("\n"),
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: g.tests.map((t, i) => ({
      name: `${t.gradeId}: ${t.title}`,
      number: `${i + 1}`,
      score: t.score,
      max_score: t.points,
      status: t.passed ? "passed" : "failed",
      output: t.message,
      visibility: GRADESCOPE_VISIBILITY[t.visibility],
    })),
  };
}

/** A submission's report for the terminal: a title line, then test, points, status and message per check. */
export function submissionTable(g: SubmissionGrade): string {
  const rows = [["test", "points", "status", "message"], ...g.tests.map((t) => [t.id, `${t.score}/${t.points}`, t.passed ? "pass" : "FAIL", t.message])];
  const table = formatTable(rows, ["left", "right", "left"]);
  return [
    `${g.student} / ${g.exercise}: ${g.score}/${g.maxScore} points (${g.seconds.toFixed(1)} s)`,
    ...table.split("\n").map((line) => `  ${line}`),
    ...g.warnings.map((w) => `  note: ${w}`),
  ].join("\n");
}

const csvField = (s: string | number) => (/[",\n]/.test(String(s)) ? `"${String(s).replace(/"/g, '""')}"` : String(s));

/** CSV with one row per submission: student, exercise, score, max, seconds. */
export function summaryCsv(grades: readonly SubmissionGrade[]): string {
  const rows = grades.map((g) => [g.student, g.exercise, g.score, g.maxScore, g.seconds.toFixed(1)]);
  return [["student", "exercise", "score", "max", "seconds"], ...rows].map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}
