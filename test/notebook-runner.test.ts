/**
 * The notebook runner against the real tslab kernel: fixture notebooks that pass, fail to
 * type-check, throw at run time, and hang. The notebooks run concurrently (each starts its own
 * kernel, about 1.5 s), so the file takes about as long as its slowest test.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { KernelClient, runNotebook, outputPath } from "../tools/notebooks";
import type { Output } from "../tools/nbformat";
import { OutputCollector } from "../tools/notebooks/outputs";
import { decode, encode, newMessage, type Message } from "../tools/notebooks/protocol";

const FIXTURES = path.join(__dirname, "fixtures", "notebooks");
const fixture = (name: string) => path.join(FIXTURES, name);

const hasNbformat = spawnSync("/usr/bin/python3", ["-c", "import nbformat"]).status === 0;

const streamText = (outputs: Output[], name = "stdout") =>
  outputs.map((o) => (o.output_type === "stream" && o.name === name ? o.text : "")).join("");

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("notebook runner", { concurrency: true, timeout: 180_000 }, () => {
  it("runs a passing notebook: prints, top-level await, dist/ import, SVG and updated displays", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "nb-out-"));
    const outPath = path.join(outDir, "pass.ipynb");
    const r = await runNotebook(fixture("pass.ipynb"), { timeoutMs: 60_000, outPath });
    assert.equal(r.error, undefined);
    assert.equal(r.ok, true);
    assert.equal(r.cells, 5);
    assert.equal(r.totalCells, 5);
    const code = r.notebook.cells.filter((c) => c.cell_type === "code");
    assert.deepEqual(code.map((c) => c.execution_count), [1, 2, 3, 4, 5]);
    const [hello, awaited, plot, displays, last] = code.map((c) => c.outputs ?? []);
    assert.equal(streamText(hello), "hello from tslab\n");
    assert.equal(streamText(awaited), "awaited 42\n");
    // The library's solver: u(2π) = cos(2π) = 1 for u'' = -u, u(0) = 1.
    const u = Number(/u\(2π\) = (\S+)/.exec(streamText(plot))?.[1]);
    assert.ok(Math.abs(u - 1) < 1e-3, `u(2π) = ${u}`);
    const svg = plot.find((o) => o.output_type === "display_data");
    assert.ok(svg?.output_type === "display_data" && String(svg.data["image/svg+xml"]).includes("<polyline"));
    // One output with two MIME types, then the live display showing only its last update.
    assert.deepEqual(displays.map((o) => (o.output_type === "display_data" ? o.data : o)), [
      { "text/html": "<b>rich</b> output", "text/plain": "rich output" },
      { "text/plain": "epoch 1 (final)" },
    ]);
    assert.equal(streamText(last), "84\n");
    assert.equal(streamText(code.flatMap((c) => c.outputs ?? []), "stderr"), "");
    // The executed notebook on disk has the same outputs and stays nbformat 4.
    const written = JSON.parse(fs.readFileSync(outPath, "utf8"));
    assert.equal(written.nbformat, 4);
    assert.deepEqual(written.cells, JSON.parse(JSON.stringify(r.notebook.cells)));
    if (hasNbformat) {
      // Jupyter's own validator (Debian's python3-nbformat) accepts it.
      execFileSync("/usr/bin/python3", ["-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", outPath], { stdio: "pipe" });
    }
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it("reports a type error with tslab's message and the failing cell", async () => {
    const r = await runNotebook(fixture("type-error.ipynb"), { timeoutMs: 60_000 });
    assert.equal(r.ok, false);
    assert.equal(r.failedCell, 1);
    assert.match(r.error ?? "", /cell 2: .*Type 'number' is not assignable to type 'string'/);
    assert.equal(streamText(r.outputs[0]), "before the type error\n");
  });

  it("stops at a runtime error in cell 2 of 3 and keeps the stderr text", async () => {
    const r = await runNotebook(fixture("runtime-error.ipynb"), { timeoutMs: 60_000 });
    assert.equal(r.ok, false);
    assert.equal(r.cells, 2);
    assert.equal(r.failedCell, 1);
    assert.match(r.error ?? "", /Error: boom in cell two/);
    assert.match(streamText(r.outputs[1], "stderr"), /boom in cell two/);
    const third = r.notebook.cells[2];
    assert.deepEqual(third.outputs, []);
    assert.equal(third.execution_count, null);
  });

  it("fails a hanging cell after the timeout and kills the kernel", async () => {
    const started = Date.now();
    const r = await runNotebook(fixture("hang.ipynb"), { timeoutMs: 5000 });
    assert.equal(r.ok, false);
    assert.equal(r.failedCell, 1);
    assert.match(r.error ?? "", /Timeout: the cell did not finish within 5 s/);
    assert.equal(r.cells, 2);
    // Generous: kernel start alone takes 10 s on a loaded 2-core machine; a hung shutdown never ends.
    assert.ok(Date.now() - started < 120_000, "the stuck kernel was not killed promptly");
    assert.ok(r.kernelPid && !isAlive(r.kernelPid), "the stuck kernel is still running");
  });

  it("KernelClient: waits out tslab's post-error abort window, updates displays across cells, shuts down", async () => {
    const k = await KernelClient.start({ cwd: FIXTURES });
    try {
      const show = await k.execute(`import * as tslab from "tslab"; const d = tslab.newDisplay(); d.html("<i>first</i>");`);
      assert.equal(show.status, "ok");
      const bad = await k.execute(`throw new Error("oops")`);
      assert.equal(bad.status, "error");
      assert.match(bad.error ?? "", /oops/);
      const next = await k.execute(`d.html("<i>second</i>"); console.log("still alive")`);
      assert.equal(next.status, "ok", next.error);
      assert.equal(streamText(next.outputs), "still alive\n");
      assert.deepEqual(show.outputs, [{ output_type: "display_data", data: { "text/html": "<i>second</i>" }, metadata: {} }]);
    } finally {
      await k.shutdown();
    }
    assert.ok(k.pid && !isAlive(k.pid), "kernel process still running after shutdown");
  });
});

describe("outputPath", () => {
  it("mirrors the path relative to the repository under the output folder", () => {
    const root = path.resolve(__dirname, "..");
    assert.equal(outputPath(path.join(root, "notebooks", "a.ipynb"), "/o", root), path.join("/o", "notebooks", "a.ipynb"));
    assert.equal(outputPath("/elsewhere/b.ipynb", "/o", root), path.join("/o", "b.ipynb"));
  });
});

describe("wire protocol and output collection (no kernel)", () => {
  const msg = (type: string, content: object) => ({ ...newMessage(type, content, "s"), buffers: [] }) as Message;

  it("signs with HMAC-SHA256 and rejects tampered messages", () => {
    const frames = encode("secret", newMessage("execute_request", { code: "1" }, "session")).map((f) => Buffer.from(f));
    assert.equal(frames[0].toString(), "<IDS|MSG>");
    const decoded = decode("secret", [Buffer.from("routing-id"), ...frames]);
    assert.equal(decoded.header.msg_type, "execute_request");
    assert.deepEqual(decoded.content, { code: "1" });
    assert.throws(() => decode("other key", frames), /invalid HMAC/);
    const tampered = [...frames];
    tampered[5] = Buffer.from(JSON.stringify({ code: "2" }));
    assert.throws(() => decode("secret", tampered), /invalid HMAC/);
  });

  it("merges streams, keeps MIME bundles, honours clear_output and updates displays by id", () => {
    const displays = new Map();
    const a = new OutputCollector(displays);
    a.add(msg("stream", { name: "stdout", text: "a" }));
    a.add(msg("stream", { name: "stdout", text: "b\n" }));
    a.add(msg("display_data", { data: { "image/svg+xml": "<svg/>", "text/plain": "plot" }, metadata: {}, transient: { display_id: "d1" } }));
    a.add(msg("stream", { name: "stderr", text: "warn\n" }));
    const b = new OutputCollector(displays);
    b.add(msg("execute_result", { execution_count: 7, data: { "text/plain": "42" }, metadata: {} }));
    b.add(msg("update_display_data", { data: { "text/plain": "updated" }, metadata: {}, transient: { display_id: "d1" } }));
    b.add(msg("error", { ename: "TypeError", evalue: "x is undefined", traceback: ["tb"] }));
    assert.deepEqual(a.outputs, [
      { output_type: "stream", name: "stdout", text: "ab\n" },
      { output_type: "display_data", data: { "text/plain": "updated" }, metadata: {} },
      { output_type: "stream", name: "stderr", text: "warn\n" },
    ]);
    assert.equal(a.stderr, "warn\n");
    assert.deepEqual(b.outputs, [
      { output_type: "execute_result", execution_count: 7, data: { "text/plain": "42" }, metadata: {} },
      { output_type: "error", ename: "TypeError", evalue: "x is undefined", traceback: ["tb"] },
    ]);
    const c = new OutputCollector(displays);
    c.add(msg("stream", { name: "stdout", text: "old" }));
    c.add(msg("clear_output", { wait: true }));
    assert.equal(c.outputs.length, 1);
    c.add(msg("stream", { name: "stdout", text: "new" }));
    assert.deepEqual(c.outputs, [{ output_type: "stream", name: "stdout", text: "new" }]);
  });
});
