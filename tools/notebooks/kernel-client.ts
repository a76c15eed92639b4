/**
 * A minimal Jupyter client for the project-local tslab kernel, in Node alone: it writes a
 * connection file, spawns the kernel, talks to it over ZeroMQ (Dealer sockets for shell and
 * control, a Subscriber for iopub) and shuts it down.
 *
 * tslab quirks handled here: errors arrive only as stderr text plus an `execute_reply` with status
 * "error" (no `ename`/`traceback`), and after an error tslab aborts requests that arrive within
 * 200 ms, so {@link KernelClient.execute} waits that out before it sends the next request.
 *
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { Dealer, Subscriber, type Socket } from "zeromq";
import { COURSE_ROOT } from "../course-root";
import { kernelArgv } from "../kernel";
import { decode, encode, newConnectionInfo, newMessage, type ConnectionInfo, type Message } from "./protocol";
import type { Output } from "../nbformat";
import { OutputCollector, type DisplayRegistry } from "./outputs";

export interface KernelOptions {
  /** Working directory of the kernel; tslab compiles with rootDir = cwd. */
  cwd: string;
  /** Extra environment variables (`node_modules/.bin` is always put first on PATH). */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the kernel to answer `kernel_info_request` (default 60 s). */
  startupTimeoutMs?: number;
}

/** The outcome of one `execute_request`. */
export interface ExecuteResult {
  /** "timeout": no reply in time; "died": the kernel process exited meanwhile. */
  status: "ok" | "error" | "abort" | "timeout" | "died";
  executionCount: number | null;
  outputs: Output[];
  /** All stderr text of the execution (tslab's only error report). */
  stderr: string;
  /** A one-paragraph failure description when status is not "ok". */
  error?: string;
}

/** Milliseconds tslab keeps aborting requests after an error (200) plus a margin. */
const ERROR_COOLDOWN_MS = 300;

export class KernelClient {
  private readonly session = randomUUID();
  private readonly replies = new Map<string, (m: Message) => void>();
  private readonly iopubHandlers = new Map<string, (m: Message) => void>();
  private readonly displays: DisplayRegistry = new Map();
  private exit: Promise<string>;
  private exited: string | null = null;
  private log = "";
  private lastErrorAt = 0;
  private closed = false;
  private readonly killOnExit = () => {
    this.child.kill("SIGKILL");
    fs.rmSync(this.connDir, { recursive: true, force: true });
  };

  private constructor(
    private readonly child: ChildProcess,
    private readonly conn: ConnectionInfo,
    private readonly connDir: string,
    private readonly shell: Dealer,
    private readonly control: Dealer,
    private readonly iopub: Subscriber,
  ) {
    const keep = (chunk: Buffer) => { this.log = (this.log + chunk.toString()).slice(-20_000); };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exit = new Promise((resolve) => {
      child.once("exit", (code, signal) => resolve(this.exited = `kernel process exited (${signal ? `signal ${signal}` : `code ${code}`})`));
      child.once("error", (e) => resolve(this.exited = `could not run the kernel: ${e.message}`));
    });
    process.once("exit", this.killOnExit);
    this.pump(shell, (m) => this.replies.get(String(m.parent_header.msg_id))?.(m));
    this.pump(control, (m) => this.replies.get(String(m.parent_header.msg_id))?.(m));
    this.pump(iopub, (m) => this.iopubHandlers.get(String(m.parent_header.msg_id))?.(m));
  }

  /** Spawns the kernel in `opts.cwd`, connects, and resolves once it answers on shell and iopub. */
  static async start(opts: KernelOptions): Promise<KernelClient> {
    const conn = await newConnectionInfo();
    const connDir = fs.mkdtempSync(path.join(os.tmpdir(), "tslab-runner-"));
    const connFile = path.join(connDir, "connection.json");
    fs.writeFileSync(connFile, JSON.stringify(conn), { mode: 0o600 });
    const bin = path.join(COURSE_ROOT, "node_modules", ".bin");
    const PATH = [bin, opts.env?.PATH ?? process.env.PATH ?? ""].join(path.delimiter);
    const [cmd, ...args] = kernelArgv(connFile);
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env, PATH }, stdio: ["ignore", "pipe", "pipe"] });
    const url = (port: number) => `tcp://${conn.ip}:${port}`;
    const shell = new Dealer({ linger: 0 });
    const control = new Dealer({ linger: 0 });
    const iopub = new Subscriber({ linger: 0 });
    shell.connect(url(conn.shell_port));
    control.connect(url(conn.control_port));
    iopub.connect(url(conn.iopub_port));
    iopub.subscribe();
    const client = new KernelClient(child, conn, connDir, shell, control, iopub);
    try {
      await client.waitForReady(opts.startupTimeoutMs ?? 60_000);
    } catch (e) {
      await client.shutdown(0);
      throw e;
    }
    return client;
  }

  /** Process id of the kernel. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The kernel process's own stdout/stderr so far (last 20 kB), for diagnosing start failures. */
  get processLog(): string {
    return this.log;
  }

  /** Runs `code` and collects its outputs; never rejects (failures are reported in the result). */
  async execute(code: string, timeoutMs = 120_000): Promise<ExecuteResult> {
    const wait = this.lastErrorAt + ERROR_COOLDOWN_MS - Date.now();
    if (wait > 0) await sleep(wait);
    const collector = new OutputCollector(this.displays);
    const msg = newMessage("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, this.session);
    let idle!: () => void;
    const idleSeen = new Promise<void>((resolve) => { idle = resolve; });
    this.iopubHandlers.set(msg.header.msg_id, (m) => {
      if (m.header.msg_type === "status" && m.content.execution_state === "idle") idle();
      else collector.add(m);
    });
    const finished = Promise.all([this.request(this.shell, msg), idleSeen]).then(([reply]) => reply);
    const outcome = await within(Promise.race([finished, this.exit]), timeoutMs, "timeout" as const);
    // Late outputs of this cell (e.g. from un-awaited callbacks) still land in `collector.outputs`.
    const base = { outputs: collector.outputs, stderr: collector.stderr };
    if (outcome === "timeout") {
      return { ...base, status: "timeout", executionCount: null, error: `Timeout: the cell did not finish within ${timeoutMs / 1000} s${tail(collector.stderr)}` };
    }
    if (typeof outcome === "string") {
      return { ...base, status: "died", executionCount: null, error: `The kernel died: ${outcome}${tail(collector.stderr || this.log)}` };
    }
    const reply = outcome.content;
    const status = reply.status === "ok" || reply.status === "abort" ? reply.status : "error";
    const executionCount = typeof reply.execution_count === "number" ? reply.execution_count : null;
    if (status === "ok") return { ...base, status, executionCount };
    this.lastErrorAt = Date.now();
    const errOut = collector.outputs.find((o) => o.output_type === "error");
    const error = collector.stderr.trim()
      || (reply.ename ? `${reply.ename}: ${reply.evalue}` : errOut?.output_type === "error" ? `${errOut.ename}: ${errOut.evalue}` : "")
      || (status === "abort" ? "tslab aborted the request (it aborts every request for 200 ms after an error)" : `execute_reply status "${reply.status}" without any error text`);
    return { ...base, status, executionCount, error };
  }

  /**
   * Stops the kernel: `shutdown_request` on the control channel, then SIGKILL if the process has
   * not exited within `graceMs` (pass 0 for a kernel stuck in a busy loop). Closes all sockets.
   */
  async shutdown(graceMs = 2000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.exited && graceMs > 0) {
      await this.send(this.control, newMessage("shutdown_request", { restart: false }, this.session)).catch(() => undefined);
      await within(this.exit, graceMs, null);
    }
    if (!this.exited) {
      this.child.kill("SIGKILL");
      await within(this.exit, 5000, null);
    }
    process.removeListener("exit", this.killOnExit);
    for (const s of [this.shell, this.control, this.iopub]) s.close();
    fs.rmSync(this.connDir, { recursive: true, force: true });
  }

  /** Waits for a kernel_info_reply, then until iopub delivers (ZeroMQ subscriptions join late). */
  private async waitForReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const msg = newMessage("kernel_info_request", {}, this.session);
      const onIopub = new Promise<boolean>((resolve) => this.iopubHandlers.set(msg.header.msg_id, () => resolve(true)));
      const left = deadline - Date.now();
      const replied = await within(Promise.race([this.request(this.shell, msg).then(() => true), this.exit.then(() => false)]), left, false);
      if (this.exited) throw new Error(`tslab kernel failed to start: ${this.exited}${tail(this.log)}`);
      if (!replied) throw new Error(`tslab kernel did not become ready within ${timeoutMs / 1000} s${tail(this.log)}`);
      const subscribed = await within(onIopub, 500, false);
      this.iopubHandlers.delete(msg.header.msg_id);
      if (subscribed) return;
      if (Date.now() > deadline) throw new Error(`no iopub messages from the tslab kernel within ${timeoutMs / 1000} s`);
    }
  }

  private async request(sock: Dealer, msg: Message<object>): Promise<Message> {
    const reply = new Promise<Message>((resolve) => this.replies.set(msg.header.msg_id, resolve));
    await this.send(sock, msg);
    return reply.finally(() => this.replies.delete(msg.header.msg_id));
  }

  private send(sock: Dealer, msg: Message<object>): Promise<void> {
    return sock.send(encode(this.conn.key, msg));
  }

  /** Reads a socket until it is closed, handing each verified message to `handle`. */
  private async pump(sock: Socket & AsyncIterable<Buffer[]>, handle: (m: Message) => void): Promise<void> {
    try {
      for await (const frames of sock) {
        try {
          handle(decode(this.conn.key, frames));
        } catch (e) {
          this.log += `\n[runner] dropped a message: ${(e as Error).message}`;
        }
      }
    } catch (e) {
      if (!this.closed) this.log += `\n[runner] socket error: ${(e as Error).message}`;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `promise`, or `fallback` after `ms`; the timer is cleared either way so it cannot keep Node alive. */
function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve) => { timer = setTimeout(() => resolve(fallback), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function tail(text: string): string {
  const t = text.trim();
  return t ? `\n${t.slice(-4000)}` : "";
}
