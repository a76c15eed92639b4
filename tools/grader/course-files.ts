/**
 * Fingerprints of the files the grading children load, so the grader can tell whether a submission
 * changed them. Every child loads the checks, the library and the grader afresh from disk; a
 * submission that rewrote one of them (past readonly-fs.ts) would change how every later submission
 * is graded. The grader takes a snapshot before grading and compares after each submission.
 *
 * These folders are small (about 160 files, under 1 MB), so a comparison costs a few milliseconds.
 *
 * @module
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The folders, relative to the course root, whose files the grading children load. */
export const COURSE_DIRS = ["dist", path.join("test", "exercises"), path.join("tools", "grader")];

/** Path (relative to the course root) → sha256 of its content (of its target, for a symbolic link). */
export type Snapshot = Map<string, string>;

/** Fingerprints every file under `dirs` (absolute, or relative to `root`); a missing folder has none. */
export function snapshot(root: string, dirs: readonly string[] = COURSE_DIRS): Snapshot {
  const out: Snapshot = new Map();
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // missing (a changed file then shows up as removed)
    }
    for (const e of entries) {
      const file = path.join(dir, e.name);
      // A link is recorded by where it points: replacing a file by a link is a change too.
      if (e.isSymbolicLink()) out.set(path.relative(root, file), `link:${fs.readlinkSync(file)}`);
      else if (e.isDirectory()) walk(file);
      else out.set(path.relative(root, file), createHash("sha256").update(fs.readFileSync(file)).digest("hex"));
    }
  };
  for (const d of dirs) walk(path.resolve(root, d));
  return out;
}

/** Files added, removed or changed since `before`, sorted. */
export function changedFiles(before: Snapshot, after: Snapshot): string[] {
  const changed = [...before].filter(([f, h]) => after.get(f) !== h).map(([f]) => f);
  const added = [...after.keys()].filter((f) => !before.has(f));
  return [...changed, ...added].sort();
}

/** A list of files for a message: the first few, and how many more. */
export function fileList(files: readonly string[], n = 5): string {
  return files.length > n ? `${files.slice(0, n).join(", ")} and ${files.length - n} more` : files.join(", ");
}
