/**
 * The one place the library gets TensorFlow.js from. Import `tf` from here, not from
 * "@tensorflow/tfjs": this module picks the backend once and keeps tfjs's start-up banner out of
 * notebook and test output.
 *
 * Which backend:
 * - `tensorflow` (native, from `@tensorflow/tfjs-node`) when that package is installed *and* its
 *   native binding loads. It is an optional dependency: it installs on a machine with internet, but
 *   its install script cannot download libtensorflow offline, and npm 11 skips unapproved install
 *   scripts. Either way the package can be present with no binding, and then `require` throws.
 * - otherwise `cpu`, the pure-JS backend. We measured the alternative, `wasm`:
 *
 *   | workload (µs per call, median)                       | cpu | wasm |
 *   |-------------------------------------------------------|-----|------|
 *   | train step, lecture's 4-layer 1→1 tanh chain, batch 8  | 220–236 | 303–347 |
 *   | RK stage combines, 7 slopes on [16, 2]                 | 68–69 | 84–90 |
 *   | 2→50→2 MLP forward + gradient, one state [1, 2]        | 65 | 89 |
 *   | the same MLP on a batch of 16 states [16, 2]           | 143–145 | 104–105 |
 *
 *   (bench/backends.ts, tinybench, two runs on a loaded 2-core Node 20 machine; means are noisier.)
 *   cpu wins everything this course runs — single trajectories and 1-unit layers, where the cost
 *   is per-kernel overhead — by 20–35 %; wasm only pays off once matmuls have some size (batch 16
 *   of the 50-unit MLP). wasm would also need an asynchronous start (`await tf.ready()`) before the
 *   first op, which notebooks and tests would have to remember, and it is only a dev dependency.
 *   Decision: cpu. Re-run the benchmark if the workloads grow.
 *
 * The banner: tfjs-backend-cpu prints "Hi, looks like you are running TensorFlow.js in Node.js …
 * install our node backend …" through `console.warn` on the backend's first tensor write (its
 * `firstUse` flag in `MathBackendCPU.write`), unless tfjs-core's `PROD` or `IS_TEST` flag is set.
 * Both flags work (tried in a child process) but are global: `PROD` silences every tfjs warning for
 * the rest of the session, and `IS_TEST` also turns on a per-kernel leak check (measured: 4.8 vs
 * 4.3 µs for an add + tanh pair, ~10 % on every op). So instead we make that first write ourselves, right
 * after activating the backend, with `console.warn` filtered for just that message and restored
 * immediately. Nothing else is hidden. (If user code wrote a tensor before importing this module,
 * the banner has already been printed; nothing can take it back.)
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

export { tf };

/** A `require`-like loader; injectable so tests can simulate an installed, broken or absent tfjs-node. */
export type ModuleLoader = (id: string) => unknown;

/** The part of the tfjs engine that selection consults (tf itself satisfies it). */
export interface BackendRegistry {
  findBackendFactory(name: string): unknown;
}

/** What {@link selectBackend} decided. */
export interface BackendSelection {
  /** tfjs backend to activate: `tensorflow` (tfjs-node, native) or `cpu` (pure JS). */
  readonly backend: "tensorflow" | "cpu";
  /** Why the native backend is not used; absent when it is. */
  readonly nativeUnavailable?: string;
}

/** Which backend is active, for printing at the top of a notebook or benchmark. */
export interface BackendInfo {
  /** tfjs's name for the active backend: `tensorflow`, `cpu`, `wasm`, … */
  readonly name: string;
  /** True for the native TensorFlow backend. */
  readonly native: boolean;
  /** One line, e.g. "tfjs 4.22.0, backend cpu (pure JS; tfjs-node is not installed)". */
  readonly description: string;
}

const NODE_PACKAGE = "@tensorflow/tfjs-node";
const BANNER = /looks like you are running TensorFlow\.js in Node\.js/;

/**
 * Decides the backend without side effects beyond `load(NODE_PACKAGE)`: native when tfjs-node loads
 * and registers its `tensorflow` backend, else `cpu` with the reason.
 */
export function selectBackend(load: ModuleLoader = require, registry: BackendRegistry = tf): BackendSelection {
  try {
    load(NODE_PACKAGE);
  } catch (e) {
    return { backend: "cpu", nativeUnavailable: explainLoadFailure(e) };
  }
  // Loading tfjs-node registers its backend with the shared engine as a side effect.
  if (registry.findBackendFactory("tensorflow") == null) {
    return { backend: "cpu", nativeUnavailable: `${NODE_PACKAGE} loaded but registered no 'tensorflow' backend (version mismatch with @tensorflow/tfjs ${tf.version.tfjs}?)` };
  }
  return { backend: "tensorflow" };
}

function explainLoadFailure(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const message = String(err?.message ?? e).split("\n")[0];
  // MODULE_NOT_FOUND also comes from a missing binding or dependency *inside* the package; only a
  // miss on the package name itself means "not installed".
  if (err?.code === "MODULE_NOT_FOUND" && message.includes(`'${NODE_PACKAGE}'`)) return `${NODE_PACKAGE} is not installed`;
  return `${NODE_PACKAGE} is installed but did not load (${message}); on a machine with internet, 'npm rebuild ${NODE_PACKAGE}' fetches its native binding`;
}

/**
 * Makes `selection.backend` the active backend and performs its first tensor write with the
 * banner filtered out. Both backends it can pick initialise synchronously, so this needs no await.
 */
export function activateBackend(selection: BackendSelection): BackendInfo {
  // Only take over if nobody chose yet: a notebook that already set a backend keeps it.
  const alreadyChosen = (tf.engine() as unknown as { backendName: string | null }).backendName;
  if (alreadyChosen == null) {
    void tf.setBackend(selection.backend);
    if (tf.getBackend() !== selection.backend) {
      throw new Error(`tfjs backend '${selection.backend}' did not initialise synchronously (active: ${tf.getBackend()})`);
    }
  }
  quietFirstWrite();
  notes = selection.nativeUnavailable;
  return backendInfo();
}

/** Writes one tensor while `console.warn` drops exactly the tfjs-node banner. */
function quietFirstWrite(): void {
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === "string" && BANNER.test(args[0])) return;
    original.apply(console, args);
  };
  try {
    tf.scalar(0).dispose();
  } finally {
    console.warn = original;
  }
}

let notes: string | undefined;

/** The active backend and a one-line description of it (read live: user code may switch). */
export function backendInfo(): BackendInfo {
  const name = tf.getBackend();
  const native = name === "tensorflow";
  const why = native ? "native TensorFlow via tfjs-node" : name === "cpu" ? `pure JS${notes ? `; ${notes}` : ""}` : "chosen by user code";
  return Object.freeze({ name, native, description: `tfjs ${tf.version.tfjs}, backend ${name} (${why})` });
}

// Native TensorFlow logs INFO lines to stderr when it loads; nbgrader scores any stderr as failure.
process.env.TF_CPP_MIN_LOG_LEVEL ??= "2";

/** The backend chosen when this module was first imported. */
export const BACKEND: BackendInfo = activateBackend(selectBackend());
