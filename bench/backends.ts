/**
 * Which pure-JS tfjs backend suits this course: `cpu` or `wasm` (and `tensorflow` if tfjs-node
 * loads)? Our models are tiny, so each workload is a short run of small kernels and what we measure
 * is per-kernel overhead. The result is recorded in lib/tf/backend.ts.
 *
 * Workloads (µs per call, tinybench):
 * - train: one step of the lecture's 4-layer 1→1 tanh chain on a batch of 8 (the library's step);
 * - rk-stage: the combine ops of a 7-stage RK step, u + h Σ a_ij k_j on [16, 2] tensors;
 * - mlp-grad-B: the spiral's 2→50→2 tanh MLP on u³, forward + gradient, B states [B, 2].
 */
import { Bench } from "tinybench";
import { tf, backendInfo } from "../lib/tf/backend";
import { lectureDense } from "../lib/nn/resnet";
import { makeTrainStep } from "../lib/train/step";

type Workload = { name: string; setup(): { fn: () => void; dispose(): void } };

const WORKLOADS: Workload[] = [
  {
    name: "train",
    setup() {
      const model = lectureDense(1);
      const step = makeTrainStep(model);
      const x = tf.randomUniform([8, 1], -10, 10, "float32", 1);
      return { fn: () => step.run(x, x), dispose: () => { step.dispose(); model.dispose(); x.dispose(); } };
    },
  },
  {
    name: "rk-stage",
    setup() {
      // Tsit5-like lower-triangular coefficients; the values do not matter, the op count does.
      const a = Array.from({ length: 6 }, (_, i) => Array.from({ length: i + 1 }, (_, j) => 0.1 * (j + 1)));
      const u = tf.randomNormal([16, 2], 0, 1, "float32", 2);
      const k = Array.from({ length: 7 }, (_, i) => tf.randomNormal([16, 2], 0, 1, "float32", 3 + i));
      const fn = () => {
        for (const row of a) tf.tidy(() => tf.addN([u, ...row.map((aij, j) => tf.mul(k[j], 0.01 * aij))])).dispose();
      };
      return { fn, dispose: () => { u.dispose(); k.forEach((t) => t.dispose()); } };
    },
  },
  // One state is the lecture's neural ODE (a single trajectory); 16 shows where wasm's faster matmul starts to pay.
  mlpGrad(1),
  mlpGrad(16),
];

function mlpGrad(batch: number): Workload {
  return {
    name: `mlp-grad-${batch}`,
    setup() {
      const w1 = tf.variable(tf.randomNormal([2, 50], 0, 0.5, "float32", 4));
      const b1 = tf.variable(tf.zeros([50]));
      const w2 = tf.variable(tf.randomNormal([50, 2], 0, 0.5, "float32", 5));
      const b2 = tf.variable(tf.zeros([2]));
      const u = tf.randomNormal([batch, 2], 0, 1, "float32", 6);
      const fn = () => tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(tf.pow(u, 3), w1), b1)), w2), b2))), [w1, b1, w2, b2]);
        return [value, ...Object.values(grads)];
      }).forEach((t) => t.dispose());
      return { fn, dispose: () => [w1, b1, w2, b2, u].forEach((t) => t.dispose()) };
    },
  };
}

/** Backends to compare: always cpu and wasm; tensorflow when tfjs-node is active. */
async function backends(): Promise<string[]> {
  const names = ["cpu"];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("@tensorflow/tfjs-backend-wasm");
  names.push("wasm");
  if (tf.findBackendFactory("tensorflow")) names.push("tensorflow");
  return names;
}

/** Benchmark entry point (`npm run bench -- backends [--json]`). */
export async function run(json: boolean): Promise<void> {
  const original = tf.getBackend();
  const rows: { backend: string; workload: string; p50: number; mean: number; rme: number; samples: number }[] = [];
  for (const backend of await backends()) {
    if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
    for (const w of WORKLOADS) {
      const { fn, dispose } = w.setup();
      const bench = new Bench({ time: 1500, warmupTime: 300, throws: true });
      bench.add(`${backend}/${w.name}`, fn);
      await bench.run();
      dispose();
      const r = bench.tasks[0].result;
      if (r.state !== "completed") throw new Error(`${backend}/${w.name}: ${r.state}`);
      const row = { backend, workload: w.name, p50: r.latency.p50 * 1000, mean: r.latency.mean * 1000, rme: r.latency.rme, samples: r.latency.samplesCount };
      rows.push(row);
      if (json) console.log(JSON.stringify({ bench: "backends", ...row, unit: "us" }));
    }
  }
  await tf.setBackend(original);
  if (json) return;
  console.log(`backends (${backendInfo().description}); µs per call, median (mean ± rme)`);
  const workloads = WORKLOADS.map((w) => w.name);
  const names = [...new Set(rows.map((r) => r.backend))];
  console.log(["workload".padEnd(12), ...names.map((n) => n.padStart(22))].join(""));
  for (const w of workloads) {
    const cells = names.map((b) => {
      const r = rows.find((x) => x.backend === b && x.workload === w)!;
      return `${r.p50.toFixed(1)} (${r.mean.toFixed(1)} ±${r.rme.toFixed(0)}%)`.padStart(22);
    });
    console.log([w.padEnd(12), ...cells].join(""));
  }
}
