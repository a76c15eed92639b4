/**
 * The course's root folder (the one holding package.json, dist/ and node_modules/), for every tool,
 * test and benchmark that needs a path inside the course.
 *
 * @module
 */
import path from "node:path";

/** Absolute path of the course root: this file lives in `<root>/tools/`. */
export const COURSE_ROOT = path.resolve(__dirname, "..");
