/**
 * The grader's fixture submissions: notebooks under test/fixtures/submissions/<student>/<exercise>.ipynb,
 * each written as a student would write it, with what it should score.
 *
 * A fixture is the source of its own answers, never a text edit of the solution, so editing a solution
 * cannot break it. What a fixture owns:
 * - the answer cells it names in `own` (by nbgrader grade_id): their code is the fixture's;
 * - its extra cells (code cells without nbgrader metadata, as a student adds them), each placed after
 *   the graded cell it follows in the fixture.
 * Everything else (prose, setup, check cells, the answer cells it does not own) comes from the current
 * solution (`base: "solution"`) or student version (`base: "exercise"`), and `npm run exercises`
 * refreshes it. The expectations sit in the notebook's metadata, `metadata.course.fixture`:
 *
 *   { "why": "…", "base": "solution", "own": ["answer-rk4-step"], "failing": ["rk4-step/accuracy"] }
 *
 * `failing` lists the tests that must fail; every other test of the exercise must pass.
 *
 * To add one: copy the exercise (or solution) notebook into a new student folder, edit it in Jupyter,
 * add the `fixture` metadata, and run `npm run exercises`.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { COURSE_ROOT } from "../course-root";
import { readNotebook, type Cell, type Notebook } from "../nbformat";

/** What a fixture notebook says about itself (`metadata.course.fixture`). */
export interface FixtureSpec {
  /** What is wrong with it, or what it tries. */
  why: string;
  /** Which version of the exercise the cells it does not own come from. */
  base: "solution" | "exercise";
  /** grade_ids of the answer cells whose code is the fixture's own. */
  own: string[];
  /** Full ids of the tests that must fail; every other test must pass. */
  failing: string[];
}

/** A fixture on disk. */
export interface Fixture extends FixtureSpec {
  /** Folder name, which is also the student name the grader reports. */
  student: string;
  exercise: string;
  /** Absolute path of the notebook. */
  file: string;
}

export const FIXTURE_DIR = path.join(COURSE_ROOT, "test", "fixtures", "submissions");

/** The fixture spec of a notebook; throws a message naming the file when it is missing or malformed. */
export function fixtureSpec(nb: Notebook, file: string): FixtureSpec {
  const spec = (nb.metadata.course as { fixture?: Partial<FixtureSpec> } | undefined)?.fixture;
  const where = path.relative(COURSE_ROOT, file);
  if (!spec) throw new Error(`${where}: no metadata.course.fixture ({ why, base, own, failing }); see tools/exercises/fixtures.ts`);
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");
  if (typeof spec.why !== "string") throw new Error(`${where}: fixture.why must be a sentence saying what the fixture does`);
  if (spec.base !== "solution" && spec.base !== "exercise") throw new Error(`${where}: fixture.base must be "solution" or "exercise", got ${JSON.stringify(spec.base)}`);
  if (!strings(spec.own)) throw new Error(`${where}: fixture.own must list the grade_ids of the answer cells the fixture writes itself`);
  if (!strings(spec.failing)) throw new Error(`${where}: fixture.failing must list the test ids that must fail`);
  return { why: spec.why, base: spec.base, own: spec.own!, failing: spec.failing! };
}

/** Every fixture notebook under {@link FIXTURE_DIR}, sorted by student. */
export function listFixtures(dir = FIXTURE_DIR): Fixture[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).sort().flatMap((student) => {
    const folder = path.join(dir, student);
    if (!fs.statSync(folder).isDirectory()) return [];
    return fs.readdirSync(folder).filter((f) => f.endsWith(".ipynb")).sort().map((name) => {
      const file = path.join(folder, name);
      return { student, exercise: name.slice(0, -".ipynb".length), file, ...fixtureSpec(readNotebook(file), file) };
    });
  });
}

/** A code cell a student added: it has no nbgrader metadata. */
export const isExtraCell = (cell: Cell): boolean => cell.cell_type === "code" && !cell.metadata?.nbgrader;

/** The fixture's extra cells, in order. */
export const extraCells = (nb: Notebook): Cell[] => nb.cells.filter(isExtraCell);

/**
 * The fixture notebook rebuilt around `base` (the current solution or student version, as the
 * generator writes it): the answer cells in `own` and the extra cells are the fixture's, everything
 * else is the base's. Throws, naming the fixture, when an owned cell or an extra cell's anchor no
 * longer exists in the base.
 */
export function mergeFixture(fixture: Notebook, spec: FixtureSpec, base: Notebook, label: string): Notebook {
  const nb = JSON.parse(JSON.stringify(base)) as Notebook;
  const gradeId = (c: Cell) => c.metadata?.nbgrader?.grade_id;
  for (const id of spec.own) {
    const mine = fixture.cells.find((c) => gradeId(c) === id);
    const target = nb.cells.find((c) => gradeId(c) === id);
    if (!mine) throw new Error(`${label}: fixture.own names ${id}, but the fixture has no cell with that grade_id`);
    if (!target?.metadata.nbgrader?.solution) throw new Error(`${label}: fixture.own names ${id}, which is not an answer cell of the exercise any more; rename it in fixture.own`);
    target.source = mine.source;
  }
  // Extra cells go after the graded cell they follow in the fixture (null: before every cell).
  let anchor: string | null = null;
  const inserts: { anchor: string | null; cell: Cell }[] = [];
  for (const cell of fixture.cells) {
    if (isExtraCell(cell)) inserts.push({ anchor, cell: { ...cell, execution_count: null, outputs: [] } });
    else if (gradeId(cell)) anchor = gradeId(cell)!;
  }
  for (const { anchor: a, cell } of inserts.reverse()) {
    const at = a === null ? 0 : nb.cells.findIndex((c) => gradeId(c) === a) + 1;
    if (a !== null && at === 0) throw new Error(`${label}: an extra cell follows the cell ${a}, which the exercise no longer has; move the extra cell in the fixture`);
    // Several extra cells after one anchor keep their order: insert the later ones first, each right after the anchor.
    nb.cells.splice(at, 0, cell);
  }
  const { why, base: from, own, failing } = spec;
  nb.metadata = { ...nb.metadata, course: { ...(nb.metadata.course ?? {}), fixture: { why, base: from, own, failing } } };
  return nb;
}
