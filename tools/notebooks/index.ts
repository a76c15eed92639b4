/**
 * Programmatic API of the notebook runner, for tests and the grader.
 *
 * @example
 * import { runNotebook } from "../tools/notebooks";
 * const r = await runNotebook("notebooks/01-resnet-vs-dense.ipynb", { timeoutMs: 60_000 });
 * if (!r.ok) console.error(`failed at cell ${r.failedCell! + 1}: ${r.error}`);
 *
 * @module
 */
export { runNotebook, type RunOptions, type NotebookResult } from "./runner";
export { KernelClient, type ExecuteResult, type KernelOptions } from "./kernel-client";
export { defaultNotebooks, outputPath, resultsTable } from "./run";
