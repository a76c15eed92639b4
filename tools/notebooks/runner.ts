/**
 * Runs a notebook top to bottom in a fresh tslab kernel, like `jupyter nbconvert --execute`:
 * stops at the first failing cell and returns the executed notebook with its outputs.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { KernelClient } from "./kernel-client";
import { readNotebook, sourceText, writeNotebook, type Notebook, type Output } from "../nbformat";

export interface RunOptions {
  /** Per-cell timeout in milliseconds (default 120 000). */
  timeoutMs?: number;
  /** Where to write the executed notebook (folders are created); nothing is written if omitted. */
  outPath?: string;
  /** The kernel's working directory (default: the notebook's folder, as in Jupyter). */
  cwd?: string;
  /** Extra environment variables for the kernel. */
  env?: NodeJS.ProcessEnv;
  /** Go on after a failing cell, as `nbconvert --allow-errors` does (default false). */
  allowErrors?: boolean;
}

export interface NotebookResult {
  path: string;
  /** True when every code cell ran without error. */
  ok: boolean;
  /** Code cells executed, including a failing one. */
  cells: number;
  /** Code cells in the notebook. */
  totalCells: number;
  /** Wall time including kernel start and shutdown. */
  seconds: number;
  /** The first failure: tslab's stderr text, a timeout, or why the kernel did not run. */
  error?: string;
  /** Index (in `notebook.cells`) of the first failing cell. */
  failedCell?: number;
  /** Outputs per notebook cell (same indexing as `notebook.cells`; empty for markdown and unrun cells). */
  outputs: Output[][];
  /** The executed notebook (nbformat 4). */
  notebook: Notebook;
  /** Process id the kernel had (it has been stopped by the time the result is returned). */
  kernelPid?: number;
  /** Where the executed notebook was written, if it was. */
  outPath?: string;
}

/** Executes every code cell of the notebook at `file` in order. Never throws for cell failures. */
export async function runNotebook(file: string, opts: RunOptions = {}): Promise<NotebookResult> {
  const started = Date.now();
  const abs = path.resolve(file);
  const notebook = readNotebook(abs);
  const codeCells = notebook.cells.filter((c) => c.cell_type === "code");
  for (const c of codeCells) {
    c.outputs = [];
    c.execution_count = null;
  }
  const result: NotebookResult = { path: file, ok: true, cells: 0, totalCells: codeCells.length, seconds: 0, outputs: notebook.cells.map(() => []), notebook };
  const fail = (error: string, index?: number) => {
    if (!result.ok) return;
    Object.assign(result, { ok: false, error, failedCell: index });
  };
  let kernel: KernelClient | undefined;
  let stuck = false;
  try {
    kernel = await KernelClient.start({ cwd: opts.cwd ?? path.dirname(abs), env: opts.env });
    result.kernelPid = kernel.pid;
    for (const [index, cell] of notebook.cells.entries()) {
      if (cell.cell_type !== "code" || sourceText(cell).trim() === "") continue;
      const r = await kernel.execute(sourceText(cell), opts.timeoutMs ?? 120_000);
      result.cells++;
      cell.outputs = r.outputs;
      cell.execution_count = r.executionCount;
      result.outputs[index] = r.outputs;
      if (r.status === "ok") continue;
      fail(`cell ${index + 1}: ${r.error}`, index);
      stuck = r.status === "timeout" || r.status === "died";
      if (stuck || !opts.allowErrors) break;
    }
  } catch (e) {
    fail((e as Error).message);
  } finally {
    await kernel?.shutdown(stuck ? 0 : 2000);
  }
  notebook.metadata.kernelspec ??= { name: "tslab", display_name: "TypeScript", language: "typescript" };
  if (opts.outPath) {
    fs.mkdirSync(path.dirname(opts.outPath), { recursive: true });
    writeNotebook(opts.outPath, notebook);
    result.outPath = opts.outPath;
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
}
