/**
 * Aligned plain-text tables for the command-line tools (the notebook runner's summary, the grader's
 * per-submission report).
 *
 * @module
 */

/** Column alignment: pad on the right (text) or on the left (numbers). */
export type Align = "left" | "right";

/**
 * Rows padded to a common width per column and joined by two spaces; trailing blanks trimmed. The
 * last column is never padded, so one long message does not widen the table.
 */
export function formatTable(rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((r) => r.map((cell, i) => (i === columns - 1 ? cell : align[i] === "right" ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd())
    .join("\n");
}
