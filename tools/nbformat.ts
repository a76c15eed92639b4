/**
 * Notebook files, once for every tool: nbformat 4 types, reading with an error that names the file,
 * and writing in Jupyter's own layout (sorted keys, one-space indent), so that saving a notebook in
 * Jupyter after a tool wrote it changes nothing.
 *
 * @module
 */
import fs from "node:fs";

/** A MIME bundle: text types are strings, `application/*json` types are JSON values. */
export type MimeBundle = Record<string, unknown>;

/** One cell output, as nbformat 4 stores it. */
export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: MimeBundle; metadata: Record<string, unknown> }
  | { output_type: "execute_result"; execution_count: number | null; data: MimeBundle; metadata: Record<string, unknown> }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

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
  outputs?: Output[];
  attachments?: unknown;
}

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: { course?: { exercise?: string; [key: string]: unknown }; kernelspec?: unknown; [key: string]: unknown };
  cells: Cell[];
}

/** A cell's source as one string (nbformat also allows a list of lines). */
export const sourceText = (cell: Pick<Cell, "source">): string => (Array.isArray(cell.source) ? cell.source.join("") : cell.source ?? "");

/** Splits text into nbformat's list of lines, each keeping its "\n" except the last. */
export function sourceLines(text: string): string[] {
  return text === "" ? [] : text.split(/(?<=\n)/);
}

/** Parses notebook text; throws a message naming `label` if it is not nbformat 4 JSON. */
export function parseNotebook(text: string, label: string): Notebook {
  let nb: Notebook;
  try {
    nb = JSON.parse(text) as Notebook;
  } catch (e) {
    throw new Error(`${label}: not a readable notebook (${(e as Error).message})`);
  }
  if (nb?.nbformat !== 4 || !Array.isArray(nb.cells)) throw new Error(`${label}: not an nbformat 4 notebook`);
  return nb;
}

/** Reads a notebook; throws a message naming the file if it is not nbformat 4 JSON. */
export function readNotebook(file: string): Notebook {
  return parseNotebook(fs.readFileSync(file, "utf8"), file);
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

/** Writes `nb` in Jupyter's layout (see {@link formatNotebook}). */
export function writeNotebook(file: string, nb: Notebook): void {
  fs.writeFileSync(file, formatNotebook(nb));
}
