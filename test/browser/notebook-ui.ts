/**
 * `npm run test:browser [notebook.ipynb] [--timeout SECONDS]`: runs a notebook in the classic
 * Jupyter Notebook UI, as a student would, and checks what the page shows.
 *
 * It starts Debian's `jupyter notebook` on a free loopback port (notebook dir = repo root, tslab
 * kernelspec in a private JUPYTER_DATA_DIR), drives Debian's chromium with playwright-core, selects
 * the tslab kernel, runs all cells, waits until no cell shows `[*]` and the kernel is idle, then
 * requires: every code cell executed, no stderr/error output, and at least one visible plot (an
 * `svg` or `img` with nonzero size in an output area). It saves `out/browser/<name>.png` and exits
 * non-zero on failure. The server (and its kernels) is always stopped; autosave is switched off and
 * checkpoints go to a temporary folder, so the repository is left as it was.
 *
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { COURSE_ROOT } from "../../tools/course-root";
import { installKernelSpec } from "../../tools/kernel";
import { freePorts } from "../../tools/notebooks/protocol";

const JUPYTER = "/usr/bin/jupyter";
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

/** The lecture's first notebook if it exists, else the runner's passing fixture. */
function defaultNotebook(): string {
  const lecture = path.join(COURSE_ROOT, "notebooks", "01-resnet-vs-dense.ipynb");
  return fs.existsSync(lecture) ? lecture : path.join(COURSE_ROOT, "test", "fixtures", "notebooks", "pass.ipynb");
}

interface Server { url: string; token: string; proc: ChildProcess; log: () => string }

/** Starts `jupyter notebook` and resolves once its REST API answers. */
async function startServer(dataDir: string, checkpoints: string): Promise<Server> {
  const [port] = await freePorts(1);
  const token = randomBytes(16).toString("hex");
  const PATH = [path.join(COURSE_ROOT, "node_modules", ".bin"), process.env.PATH].join(path.delimiter);
  const proc = spawn(JUPYTER, ["notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0", `--NotebookApp.token=${token}`, "--allow-root", `--notebook-dir=${COURSE_ROOT}`, `--FileCheckpoints.checkpoint_dir=${checkpoints}`], {
    env: { ...process.env, PATH, JUPYTER_DATA_DIR: dataDir, JUPYTER_RUNTIME_DIR: path.join(dataDir, "runtime") },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so that its kernels can be stopped with it
  });
  let log = "";
  proc.stdout?.on("data", (d) => (log += d));
  proc.stderr?.on("data", (d) => (log += d));
  const server = { url: `http://127.0.0.1:${port}`, token, proc, log: () => log };
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    if (proc.exitCode !== null) throw new Error(`jupyter notebook exited (${proc.exitCode}):\n${log}`);
    const ok = await fetch(`${server.url}/api/status?token=${token}`).then((r) => r.ok, () => false);
    if (ok) return server;
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopServer(server);
  throw new Error(`jupyter notebook did not answer within 60 s:\n${log}`);
}

/** Deletes every kernel through the REST API, then stops the server (SIGTERM, then SIGKILL). */
async function stopServer(server: Server): Promise<void> {
  const api = (p: string, init?: RequestInit) => fetch(`${server.url}/api/${p}?token=${server.token}`, init);
  const kernels = (await api("kernels").then((r) => r.json(), () => [])) as { id: string }[];
  await Promise.all(kernels.map((k) => api(`kernels/${k.id}`, { method: "DELETE" }).catch(() => undefined)));
  const exited = new Promise((r) => server.proc.once("exit", r));
  const signal = (s: NodeJS.Signals) => { try { process.kill(-server.proc.pid!, s); } catch { /* already gone */ } };
  if (server.proc.exitCode === null) signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
  signal("SIGKILL"); // anything left in the group
}

/** Opens the notebook, makes sure the tslab kernel is running, runs all cells and waits. */
async function runAll(page: Page, url: string, timeoutMs: number): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as any).Jupyter?.notebook?._fully_loaded === true, null, { timeout: 60_000 });
  await page.evaluate(() => {
    const J = (globalThis as any).Jupyter;
    J.notebook.set_autosave_interval(0);
    if (J.notebook.kernel?.name !== "tslab") J.kernelselector.set_kernel("tslab");
  });
  await page.waitForFunction(() => {
    const nb = (globalThis as any).Jupyter.notebook;
    return nb.kernel?.name === "tslab" && nb.kernel.is_connected() && nb.kernel.info_reply?.implementation === "tslab" && !nb.kernel_busy;
  }, null, { timeout: 60_000 });
  await page.evaluate(() => {
    const nb = (globalThis as any).Jupyter.notebook;
    nb.clear_all_output();
    nb.execute_all_cells();
  });
  // Done when no prompt shows [*] and the kernel is idle, twice in a row half a second apart.
  let stable = 0;
  for (const deadline = Date.now() + timeoutMs; stable < 2; await page.waitForTimeout(500)) {
    if (Date.now() > deadline) throw new Error(`cells still running after ${timeoutMs / 1000} s`);
    const running = await page.evaluate(() => {
      const nb = (globalThis as any).Jupyter.notebook;
      return nb.kernel_busy || nb.get_cells().some((c: any) => c.cell_type === "code" && c.input_prompt_number === "*");
    });
    stable = running ? 0 : stable + 1;
  }
}

/** What the page shows after the run. */
async function inspect(page: Page) {
  return page.evaluate(() => {
    const cells = (globalThis as any).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code" && c.get_text().trim() !== "");
    const document = (globalThis as any).document;
    const visible = (e: any) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
    return {
      codeCells: cells.length,
      unexecuted: cells.map((c: any, i: number) => (typeof c.input_prompt_number === "number" ? -1 : i + 1)).filter((i: number) => i > 0),
      errors: [...document.querySelectorAll(".output_area .output_stderr, .output_area .output_error")].map((e: any) => String(e.textContent ?? "").trim().slice(0, 2000)),
      plots: [...document.querySelectorAll(".output_area svg, .output_area img")].filter(visible).length as number,
    };
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const t = args.indexOf("--timeout");
  const timeoutMs = t >= 0 ? Number(args.splice(t, 2)[1]) * 1000 : 600_000;
  const notebook = path.resolve(args[0] ?? defaultNotebook());
  const rel = path.relative(COURSE_ROOT, notebook);
  if (rel.startsWith("..")) throw new Error(`${notebook} is not inside the repository (${COURSE_ROOT})`);
  const shot = path.join(COURSE_ROOT, "out", "browser", `${path.basename(notebook, ".ipynb")}.png`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nb-ui-"));
  installKernelSpec(path.join(tmp, "jupyter"));
  console.log(`browser test: ${rel}`);
  const started = Date.now();
  const server = await startServer(path.join(tmp, "jupyter"), path.join(tmp, "checkpoints"));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      try { process.kill(-server.proc.pid!, "SIGKILL"); } catch { /* gone */ }
      process.exit(130);
    });
  }
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(path.join(tmp, "chromium"), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1200, height: 900 } });
    const page = context.pages()[0] ?? (await context.newPage());
    // tsx (esbuild, keepNames) wraps named functions in __name(); page callbacks need it defined.
    await page.addInitScript("globalThis.__name = (f) => f;");
    page.on("pageerror", (e) => console.log(`  page error: ${e.message}`));
    const url = `${server.url}/notebooks/${rel.split(path.sep).map(encodeURIComponent).join("/")}?token=${server.token}`;
    let failure = "";
    try {
      await runAll(page, url, timeoutMs);
    } catch (e) {
      failure = (e as Error).message;
    }
    const seen = await inspect(page);
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    // The notebook scrolls inside #site, not the page: grow the viewport to show all of it.
    const height = await page.evaluate(() => {
      const doc = (globalThis as any).document;
      return (doc.querySelector("#header")?.offsetHeight ?? 0) + (doc.querySelector("#notebook")?.scrollHeight ?? 0);
    });
    await page.setViewportSize({ width: 1200, height: Math.min(Math.max(900, height + 40), 20_000) });
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot, fullPage: true });
    const problems = [
      failure,
      seen.unexecuted.length ? `code cells not executed (numbered among the ${seen.codeCells} code cells): ${seen.unexecuted.join(", ")}` : "",
      ...seen.errors.map((e) => `error output:\n${e}`),
      seen.plots === 0 ? "no visible plot (svg or img) in any output area" : "",
    ].filter(Boolean);
    console.log(`  ${seen.codeCells} code cells, ${seen.plots} plot(s), ${((Date.now() - started) / 1000).toFixed(1)} s; screenshot ${path.relative(process.cwd(), shot)}`);
    for (const p of problems) console.log(`  FAIL: ${p.replace(/\n/g, "\n    ")}`);
    console.log(`browser: ${problems.length ? 0 : 1} passed, ${problems.length ? 1 : 0} failed`);
    return problems.length ? 1 : 0;
  } finally {
    await context?.close().catch(() => undefined);
    await stopServer(server);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (e: Error) => {
  console.error(`browser test failed: ${e.stack ?? e.message}`);
  process.exit(1);
});
