/**
 * Turns a submitted notebook into one CommonJS module the grader's child process can run.
 *
 * Like a notebook kernel, a statement that throws at top level ends its cell, and the following cells
 * still run; the error is reported with its cell number. So an unfinished or broken task costs only
 * the checks that need it.
 *
 * - code cells only; check and demo cells are skipped (see tools/exercises/notebook.ts);
 * - a cell that does not parse is skipped and reported;
 * - `import`s are hoisted to module level; `../dist…` is rewritten to this course's dist folder, so a
 *   submission can be graded from anywhere; other relative paths resolve from the notebook's folder;
 *   imports of the checks themselves are dropped;
 * - top-level `const`/`let`/`var`/`class` names are declared once, up front, and assigned where the
 *   notebook assigned them (a later cell may redeclare a name, as in a notebook);
 * - everything runs inside `async function __submission__(__report__)`, so top-level await works, and
 *   it returns the exercise's required names.
 *
 * @module
 */
import path from "node:path";
import ts from "typescript";
import { sourceText, type Notebook } from "../nbformat";
import { isCheckCell, isDemoCell } from "../exercises/notebook";

/** The exported entry point's name in the generated module. */
export const ENTRY = "__submission__";
/** The callback through which top-level errors are reported: `(cell, error) => void`. */
export const REPORT = "__report__";
/** False from the first error of a cell to the end of that cell. */
const ALIVE = "__cellAlive__";

export interface ExtractOptions {
  /** Folder of the submitted notebook (for relative imports other than `../dist`). */
  notebookDir: string;
  /** Course root; `../dist` becomes `<courseRoot>/dist`. */
  courseRoot: string;
  /** Names the module returns. */
  required: readonly string[];
}

export interface Extracted {
  /** CommonJS JavaScript exporting {@link ENTRY}. */
  js: string;
  /** Problems found while extracting (cells skipped), for the grading report. */
  warnings: string[];
  /** Code cells used / skipped as check or demo cells. */
  used: number;
  skipped: number;
}

const DIST = /^(?:\.{1,2}\/)+dist(\/.*)?$/;

/** Where an import should point when run from the grader. Null: drop it. */
function rewriteSpecifier(spec: string, o: ExtractOptions): string | null {
  const dist = DIST.exec(spec);
  const target = dist ? path.join(o.courseRoot, "dist", dist[1] ?? "") : spec.startsWith(".") ? path.resolve(o.notebookDir, spec) : spec;
  if (/[\\/]dist[\\/]checks([\\/]|$)/.test(target)) return null; // the check cells' own import
  return target;
}

/** Names bound by a declaration's name (identifier or destructuring pattern). */
function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((el) => (ts.isOmittedExpression(el) ? [] : boundNames(el.name)));
}

const guarded = (code: string, cell: number) => `if (${ALIVE}) try {\n${code}\n} catch (e) { ${ALIVE} = false; ${REPORT}(${cell}, e); }`;

/** Builds the module source for a notebook. Throws only for a notebook that is not one. */
export function extractSubmission(nb: Notebook, o: ExtractOptions): Extracted {
  const imports: string[] = [];
  const declared = new Set<string>();
  const body: string[] = [];
  const warnings: string[] = [];
  let used = 0;
  let skipped = 0;
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    if (isCheckCell(cell) || isDemoCell(cell)) return void skipped++;
    const cellNo = index + 1;
    const text = sourceText(cell);
    const syntax = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } }).diagnostics ?? [];
    if (syntax.length > 0) {
      warnings.push(`cell ${cellNo} was skipped: it does not parse (${ts.flattenDiagnosticMessageText(syntax[0].messageText, " ")})`);
      return;
    }
    used++;
    const sf = ts.createSourceFile(`cell${cellNo}.ts`, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const src = (node: ts.Node) => text.slice(node.getStart(sf), node.getEnd());
    // A declaration without `export`/`default` (meaningless inside the wrapper function).
    const decl = (node: ts.Node) => {
      const mods = ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : [];
      const last = [...mods].reverse().find((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword);
      return last ? text.slice(last.getEnd(), node.getEnd()).trim() : src(node);
    };
    body.push(`// cell ${cellNo}`, `${ALIVE} = true;`);
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st)) {
        if (st.importClause?.isTypeOnly || !ts.isStringLiteral(st.moduleSpecifier)) continue;
        const target = rewriteSpecifier(st.moduleSpecifier.text, o);
        if (target === null) continue;
        const clause = st.importClause ? `${src(st.importClause)} from ` : "";
        const line = `import ${clause}${JSON.stringify(target)};`;
        if (!imports.includes(line)) imports.push(line); // a notebook may repeat an import in a later cell
      } else if (ts.isVariableStatement(st)) {
        if (st.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) continue;
        for (const decl of st.declarationList.declarations) {
          boundNames(decl.name).forEach((n) => declared.add(n));
          if (!decl.initializer) continue;
          // `({ a, b } = …)` needs parentheses; a plain name is harmless inside them too.
          body.push(guarded(`(${src(decl.name)} = ${src(decl.initializer)});`, cellNo));
        }
      } else if (ts.isClassDeclaration(st) && st.name) {
        declared.add(st.name.text);
        body.push(guarded(`${st.name.text} = ${decl(st)};`, cellNo));
      } else if (ts.isFunctionDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st) || ts.isModuleDeclaration(st)) {
        body.push(decl(st)); // declarations: hoisted by JavaScript or erased by TypeScript
      } else if (ts.isExportDeclaration(st) || ts.isExportAssignment(st) || ts.isImportEqualsDeclaration(st)) {
        warnings.push(`cell ${cellNo}: '${src(st).slice(0, 40)}' ignored (not supported in a notebook)`);
      } else {
        body.push(guarded(src(st), cellNo));
      }
    }
  });
  const names = o.required.map((n) => `${JSON.stringify(n)}: typeof ${n} === "undefined" ? undefined : ${n}`);
  const module = [
    ...imports,
    `export async function ${ENTRY}(${REPORT}: (cell: number, error: unknown) => void) {`,
    `let ${[ALIVE, ...declared].join(", ")};`,
    ...body,
    `return { ${names.join(", ")} };`,
    `}`,
  ].join("\n");
  const out = ts.transpileModule(module, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  if (out.diagnostics?.length) warnings.push(`the combined code has a syntax problem: ${ts.flattenDiagnosticMessageText(out.diagnostics[0].messageText, " ")}`);
  return { js: out.outputText, warnings, used, skipped };
}
