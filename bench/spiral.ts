/**
 * Neural-ODE training speed on the lecture's spiral: `npm run bench -- spiral [--json]`.
 * Setup as in the lecture: 16 samples on [0, 1.5]; u.^3 → Dense(2→50, tanh) → Dense(50→2);
 * loss = sum of squared errors; Adam(0.1); 25 epochs; tsit5 and dopri5 at rtol 1e-7, atol 1e-9;
 * both sensitivities. Targets (2-core machine): backprop ≤ 35 ms/epoch, adjoint ≤ 100 ms/epoch.
 * The table adds two rows for the generic tfjs-op path (5 epochs) for comparison; `--json` prints
 * only the lecture's configuration, one object per line with exactly the keys the issue names.
 */
import { Bench } from "tinybench";
import { spiralData } from "../lib/datasets";
import { denseField } from "../lib/node/dense-field";
import { NeuralODE, type Sensitivity } from "../lib/node/neural-ode";
import { trainNeuralODE, type TrainNodeResult } from "../lib/node/train-node";
import { tf } from "../lib/tf/backend";

export async function run(json: boolean): Promise<void> {
  const data = spiralData();
  const configs: { method: "tsit5" | "dopri5"; sensitivity: Sensitivity; fastPath: boolean; epochs: number }[] = [];
  for (const method of ["tsit5", "dopri5"] as const) {
    for (const sensitivity of ["backprop", "adjoint"] as const) configs.push({ method, sensitivity, fastPath: true, epochs: 25 });
  }
  if (!json) for (const sensitivity of ["backprop", "adjoint"] as const) configs.push({ method: "tsit5", sensitivity, fastPath: false, epochs: 5 });

  const rows = [];
  for (const c of configs) {
    // Each timed run trains a freshly initialised model (seed 0, Glorot uniform), so every sample does the same work.
    let last: TrainNodeResult | undefined;
    const train = async () => {
      const field = denseField({ sizes: [2, 50, 2], inputPower: 3, seed: 0 });
      const node = new NeuralODE(field, { tspan: data.tspan, saveat: data.t, method: c.method, rtol: 1e-7, atol: 1e-9, sensitivity: c.sensitivity, fastPath: c.fastPath });
      last = await trainNeuralODE(node, data.u0, data.u, { epochs: c.epochs, learningRate: 0.1 });
      field.dispose();
    };
    const bench = new Bench({ iterations: c.fastPath ? 10 : 2, time: 0, warmup: c.fastPath, warmupIterations: 2 });
    bench.add("train", train);
    await bench.run();
    const task = bench.tasks[0];
    const ms = task.result && "latency" in task.result ? task.result.latency.p50 : NaN;
    rows.push({
      bench: "spiral",
      method: c.method,
      sensitivity: c.sensitivity,
      epochs: c.epochs,
      msPerEpoch: Number((ms / c.epochs).toFixed(2)),
      nfePerEpoch: Math.round(last!.nfePerEpoch.forward + last!.nfePerEpoch.backward),
      lossFirst: Number(last!.lossHistory[0].toFixed(2)),
      lossLast: Number(last!.lossHistory[last!.lossHistory.length - 1].toFixed(2)),
      backend: tf.getBackend(),
    });
  }
  if (json) rows.forEach((r) => console.log(JSON.stringify(r)));
  else {
    console.log("Neural ODE on the lecture's spiral: Adam(0.1), SSE loss, rtol 1e-7 / atol 1e-9, fresh seed-0 init per run; time = median run / epochs");
    console.table(rows.map(({ bench: _b, ...r }, i) => ({ path: configs[i].fastPath ? "float64" : "tensor", ...r })));
  }
}
