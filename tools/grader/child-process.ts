/**
 * The parent's handle on one grading child process: start it, send a request, and wait for the
 * authenticated reply — or for a time limit, a memory limit or the child's death, whichever comes
 * first. Never throws for anything the submission does.
 *
 * @module
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { barrierLine, type ChildMessage, type InitMessage } from "./protocol";

/** How a request ended. `stderr`: what the child wrote there while it was being served. */
export type Reply =
  | { kind: "reply"; msg: ChildMessage; stderr: string }
  | { kind: "timeout" | "memory" | "died"; detail: string; stderr: string };

export interface ChildOptions {
  courseRoot: string;
  /** V8 heap limit (--max-old-space-size) in MB. */
  memoryMb: number;
}

const CHILD = path.join(__dirname, "child.ts");
/** Typed arrays and tfjs buffers live outside the V8 heap; the resident-size watchdog covers them. */
const RSS_HEADROOM_MB = 512;
const WATCH_MS = 100;
/** Stderr kept per request: enough to show the student what was written, bounded against floods. */
const STDERR_HEAD = 4096;
const STDERR_TAIL = 1024;

/** Children still running, killed if the grader itself exits first. */
const live = new Set<GradingChild>();
process.once("exit", () => live.forEach((c) => c.kill()));

/** Resident memory of a process in MB (Linux /proc; null elsewhere or when it is gone). */
function residentMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** One child process that runs one submission's notebook code and then its checks on request. */
export class GradingChild {
  private readonly proc: ChildProcess;
  private readonly nonce = randomBytes(16).toString("hex");
  private readonly barrier = randomBytes(16).toString("hex");
  private errText = "";
  private exit: string | null = null;
  private settle: ((r: Reply) => void) | null = null;
  private pending: { seq: number; id?: string; msg?: ChildMessage; barrierSeen: boolean; stderr?: string } | null = null;
  /** Messages that failed authentication (forgery attempts or stray sends), for the report. */
  ignored = 0;

  constructor(private readonly o: ChildOptions) {
    const tsx = require.resolve("tsx/cjs", { paths: [o.courseRoot] });
    this.proc = fork(CHILD, [], {
      cwd: o.courseRoot,
      execArgv: [`--max-old-space-size=${o.memoryMb}`, "--require", tsx],
      // The submission's stdout is not read at all: nothing printed there can count as a result.
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      // Native TensorFlow (when installed) logs to stderr at start-up; stderr fails a check.
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2", NODE_OPTIONS: "" },
      // Its own process group, so that killing it also kills any process the submission started.
      detached: process.platform !== "win32",
    });
    live.add(this);
    this.proc.stderr!.setEncoding("utf8").on("data", (s: string) => {
      this.errText += s;
      // A flood of stderr must not fill the grader's memory; the barrier is always near the end.
      if (this.errText.length > STDERR_HEAD + STDERR_TAIL + 65536) {
        this.errText = `${this.errText.slice(0, STDERR_HEAD)}\n[… stderr shortened …]\n${this.errText.slice(-STDERR_TAIL)}`;
      }
      this.checkDone();
    });
    this.proc.on("message", (m) => this.onMessage(m as ChildMessage));
    // "close", not "exit": by then stderr is fully read (an out-of-memory report is on stderr).
    this.proc.on("close", (code, signal) => {
      live.delete(this);
      this.exit = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.finish(this.deathReply());
    });
    // Closing the IPC channel (process.disconnect) leaves the child unable to answer: treat it as dead.
    this.proc.on("disconnect", () => {
      if (this.exit === null) this.kill();
    });
    this.proc.on("error", () => this.kill());
  }

  /** Sends the submission and waits until its notebook code has run. */
  load(init: Omit<InitMessage, "type" | "nonce" | "barrier">, timeoutMs: number): Promise<Reply> {
    return this.request({ type: "init", nonce: this.nonce, barrier: this.barrier, ...init }, 0, undefined, timeoutMs);
  }

  /** Asks for check `id` and waits for its result. */
  run(id: string, seq: number, timeoutMs: number): Promise<Reply> {
    return this.request({ type: "run", seq, id }, seq, id, timeoutMs);
  }

  get alive(): boolean {
    return this.exit === null;
  }

  kill(): void {
    if (this.exit !== null || this.proc.pid === undefined) return;
    try {
      process.kill(-this.proc.pid, "SIGKILL"); // the whole process group
    } catch {
      this.proc.kill("SIGKILL");
    }
  }

  private request(msg: object, seq: number, id: string | undefined, timeoutMs: number): Promise<Reply> {
    return new Promise<Reply>((resolve) => {
      if (this.exit !== null) return resolve(this.deathReply());
      this.pending = { seq, id, barrierSeen: false };
      const timer = setTimeout(() => this.abort("timeout", `no result within ${timeoutMs / 1000} s`), timeoutMs);
      const limitMb = this.o.memoryMb + RSS_HEADROOM_MB;
      const watch = setInterval(() => {
        const mb = residentMb(this.proc.pid!);
        if (mb !== null && mb > limitMb) this.abort("memory", `used ${Math.round(mb)} MB of memory (limit ${limitMb} MB)`);
      }, WATCH_MS);
      this.settle = (r) => {
        clearTimeout(timer);
        clearInterval(watch);
        this.settle = null;
        this.pending = null;
        resolve(r);
      };
      try {
        this.proc.send(msg, (err) => err && this.kill());
      } catch {
        this.kill(); // the channel is already closed; "close" will settle this request
      }
    });
  }

  private onMessage(m: ChildMessage): void {
    const p = this.pending;
    const expected = p && m && m.nonce === this.nonce && m.seq === p.seq && (p.id === undefined ? m.type === "loaded" : m.type === "result" && m.id === p.id);
    if (!expected || p.msg) {
      this.ignored++;
      return;
    }
    p.msg = m;
    this.checkDone();
  }

  /** A reply is complete once both the message and its stderr barrier have arrived. */
  private checkDone(): void {
    const p = this.pending;
    if (!p) return;
    const line = barrierLine(this.barrier, p.seq);
    const at = this.errText.indexOf(line);
    if (!p.barrierSeen && at >= 0) {
      p.barrierSeen = true;
      // Everything before the barrier belongs to this request; keep the rest for the next one.
      p.stderr = this.errText.slice(0, at);
      this.errText = this.errText.slice(at + line.length);
    }
    if (p.msg && p.barrierSeen) this.finish({ kind: "reply", msg: p.msg, stderr: p.stderr ?? "" });
  }

  private abort(kind: "timeout" | "memory", detail: string): void {
    this.kill();
    this.finish({ kind, detail, stderr: this.drain() });
  }

  private deathReply(): Reply {
    const stderr = this.drain();
    const oom = /heap out of memory|Reached heap limit|allocation failed/i.test(stderr);
    return oom
      ? { kind: "memory", detail: `ran out of memory (heap limit ${this.o.memoryMb} MB)`, stderr }
      : { kind: "died", detail: `the grading process ${this.exit ?? "stopped"}`, stderr };
  }

  /** Takes all stderr text not yet attributed to a request. */
  private drain(): string {
    const text = this.errText;
    this.errText = "";
    return text;
  }

  private finish(r: Reply): void {
    this.settle?.(r);
  }
}
