/**
 * `npm run notebooks [--timeout SECONDS] [--out DIR] [paths…]`: executes notebooks in the
 * project-local tslab kernel (no Python needed), writes the executed copies to
 * `out/notebooks/<relative path>`, prints a summary table and exits 1 if any notebook failed.
 * Without paths it runs every `notebooks/*.ipynb` and `solutions/*.ipynb`.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { COURSE_ROOT } from "../course-root";
import { formatTable } from "../text-table";
import { runNotebook, type NotebookResult } from "./runner";

/** The default notebook set: `notebooks/*.ipynb` then `solutions/*.ipynb` under `root`. */
export function defaultNotebooks(root = COURSE_ROOT): string[] {
  return ["notebooks", "solutions"].flatMap((dir) => {
    const full = path.join(root, dir);
    if (!fs.existsSync(full)) return [];
    return fs.readdirSync(full).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(full, f));
  });
}

/** `out/notebooks/<path relative to root>`; notebooks outside `root` keep only their file name. */
export function outputPath(notebook: string, outDir: string, root = COURSE_ROOT): string {
  const rel = path.relative(root, path.resolve(notebook));
  return path.join(outDir, rel.startsWith("..") || path.isAbsolute(rel) ? path.basename(notebook) : rel);
}

/** The path relative to `root`, or as given when it lies outside. */
function displayPath(file: string, root: string): string {
  const rel = path.relative(root, path.resolve(file));
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/** The runner's summary: notebook, cells run, seconds, status. */
export function resultsTable(results: NotebookResult[], root = COURSE_ROOT): string {
  return formatTable([["notebook", "cells", "seconds", "status"], ...results.map((r) => [
    displayPath(r.path, root),
    `${r.cells}/${r.totalCells}`,
    r.seconds.toFixed(1),
    r.ok ? "ok" : r.failedCell === undefined ? "FAILED" : `FAILED at cell ${r.failedCell + 1}`,
  ])]);
}

function parseArgs(argv: string[]): { timeoutMs: number; outDir: string; paths: string[] } {
  let timeoutMs = 120_000;
  let outDir = path.join(COURSE_ROOT, "out", "notebooks");
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    if (flag === "--timeout") timeoutMs = Number(value()) * 1000;
    else if (flag === "--out") outDir = path.resolve(value());
    else if (flag === "--help" || flag === "-h") {
      console.log("usage: npm run notebooks -- [--timeout SECONDS] [--out DIR] [notebook.ipynb …]");
      process.exit(0);
    } else paths.push(argv[i]);
  }
  if (!(timeoutMs > 0)) throw new Error("--timeout needs a positive number of seconds");
  return { timeoutMs, outDir, paths };
}

async function main(): Promise<number> {
  const { timeoutMs, outDir, paths } = parseArgs(process.argv.slice(2));
  const notebooks = paths.length ? paths : defaultNotebooks();
  if (notebooks.length === 0) {
    console.log("No notebooks found (notebooks/*.ipynb, solutions/*.ipynb).");
    return 0;
  }
  const results: NotebookResult[] = [];
  for (const nb of notebooks) {
    process.stdout.write(`running ${nb} … `);
    const r = await runNotebook(nb, { timeoutMs, outPath: outputPath(nb, outDir) }).catch((e: Error): NotebookResult =>
      ({ path: nb, ok: false, cells: 0, totalCells: 0, seconds: 0, error: e.message, outputs: [], notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] } }));
    results.push(r);
    console.log(r.ok ? `ok (${r.seconds.toFixed(1)} s)` : `FAILED\n${indent(r.error ?? "")}`);
  }
  console.log(`\n${resultsTable(results)}\n\nExecuted notebooks are in ${path.relative(process.cwd(), outDir) || "."}/`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

function indent(text: string): string {
  return text.split("\n").map((l) => `    ${l}`).join("\n");
}

if (require.main === module) {
  // Turn Ctrl-C into a normal exit so that every kernel's "exit" hook kills it (no orphans).
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));
  main().then((code) => process.exit(code), (e: Error) => {
    console.error(e.message);
    process.exit(2);
  });
}
