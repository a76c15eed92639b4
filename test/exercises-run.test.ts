/**
 * The untouched exercise notebooks, as a student first runs them, through the real tslab kernel:
 * every cell runs (errors allowed, as a student would go on past them), each check cell reports
 * failure — ✗ lines and an error, never a ✓ — and the kernel survives to the last cell. The
 * stubs throw at once, so the Lotka–Volterra notebook fails fast instead of training.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { runNotebook } from "../tools/notebooks";
import type { Output } from "../tools/nbformat";
import { COURSE_ROOT } from "../tools/course-root";
import { isCheckCell } from "../tools/exercises/notebook";
import { solutionNames } from "../tools/exercises/generate";
import type { Cell } from "../tools/nbformat";

const text = (outputs: Output[], name: "stdout" | "stderr") => outputs.map((o) => (o.output_type === "stream" && o.name === name ? o.text : "")).join("");

describe("the untouched exercise notebooks run and fail their checks", { concurrency: true, timeout: 180_000 }, () => {
  for (const name of solutionNames()) {
    it(name, async () => {
      const r = await runNotebook(path.join(COURSE_ROOT, "exercises", `${name}.ipynb`), { allowErrors: true, timeoutMs: 30_000 });
      // The runner stops early only when a cell times out or the kernel dies.
      assert.equal(r.cells, r.totalCells, `stopped after ${r.cells} of ${r.totalCells} cells: ${r.error}`);
      const checks = r.notebook.cells.map((c, i) => [c, r.outputs[i]] as const).filter(([c]) => isCheckCell(c as Cell));
      assert.ok(checks.length > 0);
      for (const [cell, outputs] of checks) {
        const id = (cell as Cell).metadata.nbgrader?.grade_id;
        const out = text(outputs, "stdout");
        assert.match(out, /^✗ /m, `${id}: a ✗ line`);
        assert.doesNotMatch(out, /^✓ /m, `${id}: no check passes on a stub`);
        assert.match(text(outputs, "stderr"), new RegExp(`checks of ${id} failed`), `${id}: the cell ends with an error (nbgrader scores it 0)`);
      }
    });
  }
});
