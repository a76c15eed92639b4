// Plots: the SVG's structure (not its pixels), the plotly and Vega-Lite specs, validation messages,
// and what reaches the notebook (a recording PlotOutput stands in for tslab's display hook).
import { test } from "node:test";
import assert from "node:assert/strict";
import { DOMParser, type Document, type Element } from "@xmldom/xmldom";
import type { DisplayBundle } from "../lib/notebook";
import { resolveFigure } from "../lib/plot/figure";
import { svgOf, svgOfAsync } from "../lib/plot/svg";
import { thin } from "../lib/plot/live";
import {
  PLOT_MIME, PlotError, displayBundle, liveLossPlot, plot, renderSvg, toPlotlySpec, toVegaLiteSpec,
  type PlotOutput, type PlotlySpec, type Trace,
} from "../lib/plot";

// ---- helpers -------------------------------------------------------------------------------------

function parse(svg: string): Document {
  return new DOMParser({ onError: (level, message) => { throw new Error(`${level}: ${message}`); } }).parseFromString(svg, "image/svg+xml");
}
const all = (root: Document | Element, tag: string) => Array.from(root.getElementsByTagName(tag));
const hasClass = (el: Element, c: string) => (el.getAttribute("class") ?? "").split(/\s+/).includes(c);
const groups = (root: Document | Element, c: string) => all(root, "g").filter((g) => hasClass(g, c));
const texts = (root: Element) => all(root, "text").map((t) => t.textContent ?? "");
/** Vega writes "1,000" and a real minus sign "−". */
const num = (label: string) => Number(label.replace(/,/g, "").replace("\u2212", "-"));

/** Tick labels of the axis whose ARIA label starts "X-axis" or "Y-axis". */
function axisLabels(doc: Document, axis: "X" | "Y"): number[] {
  const g = all(doc, "g").find((e) => (e.getAttribute("aria-label") ?? "").startsWith(`${axis}-axis`));
  assert.ok(g, `${axis} axis present`);
  return groups(g, "role-axis-label").flatMap(texts).map(num);
}
/** Number of vertices of each trace's line (one <path> per trace, "M x,y L x,y …"). */
function linePoints(doc: Document, i: number): number[] {
  return groups(doc, `trace${i}_line_marks`).flatMap((g) => all(g, "path")).map((p) => (p.getAttribute("d") ?? "").match(/[ML]/g)?.length ?? 0);
}
const markerCount = (doc: Document, i: number) => groups(doc, `trace${i}_markers_marks`).flatMap((g) => all(g, "path")).length;
const legendLabels = (doc: Document) => groups(doc, "role-legend-label").flatMap(texts);

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

interface Recorded { bundle: DisplayBundle; update: boolean }
function recorder(notebook: boolean) {
  const shown: Recorded[] = [];
  const browser: PlotlySpec[] = [];
  const printed: string[] = [];
  const output: PlotOutput = {
    notebook: () => notebook,
    display: (bundle, update) => void shown.push({ bundle, update }),
    browser: (spec) => void browser.push(spec),
    print: (line) => void printed.push(line),
  };
  return { output, shown, browser, printed };
}

// ---- the static SVG ------------------------------------------------------------------------------

test("the SVG is well-formed, sized as asked, with one line per trace and every point", () => {
  const x = range(50, (i) => i);
  const doc = parse(renderSvg(
    [{ x, y: x.map((v) => v * v), name: "square" }, { x, y: x.map((v) => 3 * v), name: "linear", line: { dash: "dash" } }],
    { width: 500, height: 300, title: "two curves" },
  ));
  const svg = doc.documentElement!;
  assert.equal(svg.tagName, "svg");
  assert.equal(svg.getAttribute("width"), "500");
  assert.equal(svg.getAttribute("height"), "300");
  assert.deepEqual(linePoints(doc, 0), [50]);
  assert.deepEqual(linePoints(doc, 1), [50]);
  const dashed = groups(doc, "trace1_line_marks").flatMap((g) => all(g, "path"))[0];
  const solid = groups(doc, "trace0_line_marks").flatMap((g) => all(g, "path"))[0];
  assert.match(dashed.getAttribute("stroke-dasharray") ?? "", /\d/, "dash: dashed stroke");
  assert.ok(!/[2-9]/.test(solid.getAttribute("stroke-dasharray") ?? ""), "solid: no visible gaps");
  assert.ok(groups(doc, "role-title-text").flatMap(texts).includes("two curves"));
});

test("markers are drawn iff the mode includes them; without a mode, below 20 points only", () => {
  const y = [3, 1, 2, 5];
  const doc = parse(renderSvg([
    { y, mode: "lines" }, { y, mode: "markers" }, { y, mode: "lines+markers" }, { y }, { y: range(25, (i) => i) },
  ]));
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => markerCount(doc, i)), [0, 4, 4, 4, 0]);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => linePoints(doc, i).length), [1, 0, 1, 1, 1]);
});

test("the legend lists exactly the named traces, and is absent when none is named", () => {
  const y = [1, 2, 3];
  assert.deepEqual(legendLabels(parse(renderSvg([{ y, name: "train" }, { y }, { y, name: "test", mode: "markers" }]))), ["train", "test"]);
  assert.deepEqual(legendLabels(parse(renderSvg([{ y }, { y }]))), []);
  assert.deepEqual(legendLabels(parse(renderSvg([{ y, name: "a" }], { showlegend: false }))), []);
});

test("linear tick labels are evenly spaced and just cover the data", () => {
  const x = range(30, (i) => 3 + i * 0.9); // 3 … 29.1
  const doc = parse(renderSvg([{ x, y: x.map((v) => -40 + v * v) }])); // -31 … 806.81
  for (const [axis, lo, hi] of [["X", 3, 29.1], ["Y", -31, 806.81]] as const) {
    const ticks = axisLabels(doc, axis);
    assert.ok(ticks.length >= 3 && ticks.every(Number.isFinite), `${axis}: ${ticks}`);
    const step = ticks[1] - ticks[0];
    ticks.forEach((t, i) => i > 0 && assert.ok(Math.abs(t - ticks[i - 1] - step) < 1e-9, `${axis} even: ${ticks}`));
    assert.ok(ticks[0] <= lo + step && ticks.at(-1)! >= hi - step, `${axis} covers the data: ${ticks}`);
    assert.ok(ticks[0] > lo - 2 * step && ticks.at(-1)! < hi + 2 * step, `${axis} no wasted range: ${ticks}`);
  }
});

test("a log axis over many decades has ticks at consecutive powers of ten around the data", () => {
  const h = [0.2, 0.1, 0.05, 0.02, 0.01, 0.005];
  const doc = parse(renderSvg([{ x: h, y: h.map((v) => v ** 4) }], { xaxis: { type: "log" }, yaxis: { type: "log" } }));
  const y = axisLabels(doc, "Y"); // data 6.25e-10 … 1.6e-3
  const exps = y.map(Math.log10);
  assert.ok(exps.every((e) => Math.abs(e - Math.round(e)) < 1e-9), `powers of ten: ${y}`);
  assert.ok(y[0] <= 6.25e-10 && y.at(-1)! >= 1.6e-3 && y.at(-1)! <= 1.6e-2, `around the data: ${y}`);
  const gaps = new Set(exps.slice(1).map((e, i) => Math.round(e - exps[i])));
  assert.equal(gaps.size, 1, `evenly stepped: ${y}`);
  // a short log range gets a tight 1-2-5 axis instead of a mostly empty decade
  assert.deepEqual(axisLabels(doc, "X"), [0.005, 0.01, 0.02, 0.05, 0.1, 0.2]);
  // a constant series sits inside its range, not on an edge
  const flat = axisLabels(parse(renderSvg([{ y: [2, 2, 2] }], { yaxis: { type: "log" } })), "Y");
  assert.ok(flat[0] < 2 && flat.at(-1)! > 2, `${flat}`);
});

test("the synchronous renderer gives what vega's async view.toSVG() gives", async () => {
  const fig = resolveFigure([{ y: [1, 10, 100], name: "a" }, { y: [5, 3, 1], mode: "markers", name: "b" }], { yaxis: { type: "log" }, title: "t" });
  assert.equal(svgOf(fig), await svgOfAsync(fig));
});

test("typical figures render without Vega warnings", () => {
  const x = range(1000, (i) => i + 1);
  const fig = resolveFigure(
    [{ x, y: x.map((e) => 100 / e), name: "train" }, { x, y: x.map((e) => 120 / e), name: "test", mode: "lines+markers", line: { dash: "dot" } }],
    { title: "Loss", xaxis: { title: "epoch" }, yaxis: { title: "loss", type: "log" } },
  );
  const warnings: string[] = [];
  svgOf(fig, warnings); // first call loads vega
  const svg = svgOf(fig, warnings);
  assert.deepEqual(warnings, []);
  assert.match(svg, /<path/);
});

test("clip-path ids differ between figures (one HTML page may inline several SVGs)", () => {
  const ids = (svg: string) => [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  const a = ids(renderSvg([{ y: [1, 2] }]));
  const b = ids(renderSvg([{ y: [2, 1] }]));
  assert.ok(a.length > 0 && !a.some((id) => b.includes(id)), `${a} vs ${b}`);
  assert.deepEqual(ids(renderSvg([{ y: [1, 2] }])), a, "the same figure gets the same ids (stable notebook diffs)");
});

// ---- the specs -----------------------------------------------------------------------------------

test("the plotly spec is plain JSON with the data, plotly's field names and {text} titles", () => {
  const traces: Trace[] = [{ x: new Float32Array([1, 2, 3]), y: [0.1, 0.2, 0.30000001], name: "a", line: { dash: "dot" } }, { y: [4, 5, 6] }];
  const spec = toPlotlySpec(traces, { title: "T", yaxis: { title: "loss", type: "log" } });
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
  assert.deepEqual(spec.data[0].x, [1, 2, 3]);
  assert.ok(Array.isArray(spec.data[0].x), "typed arrays become plain arrays");
  assert.deepEqual(spec.data[1].x, [0, 1, 2], "x defaults to indices");
  assert.deepEqual(toPlotlySpec([{ y: new Float32Array([0.1, 1e-7]) }]).data[0].y, [0.1, 1e-7], "float32 noise (0.10000000149…) dropped");
  assert.equal(spec.data[0].mode, "lines+markers");
  assert.deepEqual(spec.data[0].line, { color: "#1f77b4", width: 2, dash: "dot" });
  assert.deepEqual([spec.data[0].showlegend, spec.data[1].showlegend], [true, false]);
  assert.deepEqual(spec.layout.title, { text: "T" });
  assert.deepEqual((spec.layout.yaxis as Record<string, unknown>).title, { text: "loss" });
  assert.equal((spec.layout.yaxis as Record<string, unknown>).type, "log");
});

test("the Vega-Lite spec is plain v5 JSON with the data inline and a log scale where asked", () => {
  const spec = toVegaLiteSpec([{ x: [1, 2], y: [10, 1000], name: "a" }], { yaxis: { type: "log" }, width: 300, height: 200 });
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
  assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.deepEqual(spec.datasets, { trace0: [{ x: 1, y: 10 }, { x: 2, y: 1000 }] });
  const enc = spec.encoding as { x: { scale: { type?: string } }; y: { scale: { type?: string; domain?: number[] } } };
  assert.equal(enc.y.scale.type, "log");
  assert.deepEqual(enc.y.scale.domain, [10, 1000]);
  assert.equal(enc.x.scale.type, undefined);
  assert.deepEqual([spec.width, spec.height], [300, 200]);
});

test("invalid input fails with a message naming the field and the fix", () => {
  const bad: Array<[unknown, unknown, RegExp]> = [
    [[{ x: [1, 2], y: [1, 2] }, { x: [1, 2, 3], y: [1, 2] }], undefined, /traces\[1\]\.x has 3 values but traces\[1\]\.y has 2; give x and y the same length/],
    [[{ y: [1, NaN, 3] }], undefined, /traces\[0\]\.y\[1\] is NaN; remove non-finite/],
    [[{ y: [1, 0, 3] }], { yaxis: { type: "log" } }, /traces\[0\]\.y\[1\] is 0, which a log y axis cannot show.*layout\.yaxis\.type = "linear"/],
    [[{ x: [-1, 1], y: [1, 2] }], { xaxis: { type: "log" } }, /traces\[0\]\.x\[0\] is -1.*log x axis/],
    [[{ y: [1], marker: { sise: 3 } }], undefined, /traces\[0\]\.marker\.sise is not a marker option; did you mean "size"\? Known options: size, color/],
    [[{ y: [1], mode: "line" }], undefined, /traces\[0\]\.mode must be "lines", "markers" or "lines\+markers", got the string "line"/],
    [[{ y: [1], line: { dash: "dashed" } }], undefined, /traces\[0\]\.line\.dash must be "solid", .*, got the string "dashed"/],
    [[{ y: [1] }], { yaxis: { type: "logarithmic" } }, /layout\.yaxis\.type must be "linear" or "log", got the string "logarithmic"/],
    [[{ y: [1] }], { width: -5 }, /layout\.width must be a number from 100 to 4000/],
    [{ y: [1] }, undefined, /traces must be a non-empty array.*plot\(\[trace\]\)/],
    [[{ y: [] }], undefined, /traces\[0\]\.y is empty/],
    [[{ y: "123" }], undefined, /traces\[0\]\.y must be an array of numbers/],
  ];
  for (const [traces, layout, message] of bad) {
    assert.throws(() => toPlotlySpec(traces as Trace[], layout as never), (e: Error) => e instanceof PlotError && message.test(e.message), String(message));
  }
});

// ---- showing -------------------------------------------------------------------------------------

test("in a notebook, plot sends one display_data with plotly, Vega-Lite, SVG and text, in that order", () => {
  const rec = recorder(true);
  plot([{ x: [1, 2, 3], y: [3, 1, 2], name: "a" }], { title: "T" }, rec.output);
  assert.equal(rec.shown.length, 1);
  assert.equal(rec.browser.length, 0);
  const { bundle, update } = rec.shown[0];
  assert.equal(update, false);
  assert.deepEqual(Object.keys(bundle.data), [PLOT_MIME.plotly, PLOT_MIME.vegaLite, PLOT_MIME.svg, PLOT_MIME.text]);
  const plotly = bundle.data[PLOT_MIME.plotly] as PlotlySpec;
  assert.equal(typeof plotly, "object", "a JSON object, not a string");
  assert.deepEqual(plotly.data[0].y, [3, 1, 2]);
  assert.equal(typeof bundle.data[PLOT_MIME.vegaLite], "object");
  assert.ok(parse(bundle.data[PLOT_MIME.svg] as string));
  assert.deepEqual(displayBundle([{ x: [1, 2, 3], y: [3, 1, 2], name: "a" }], { title: "T" }).data, bundle.data);
});

test("outside a notebook, plot hands the plotly figure to the browser and sends no display", () => {
  const rec = recorder(false);
  plot([{ y: [1, 2] }], { xaxis: { title: "t" } }, rec.output);
  assert.equal(rec.shown.length, 0);
  assert.equal(rec.browser.length, 1);
  assert.deepEqual(rec.browser[0].data[0].y, [1, 2]);
});

// ---- the live loss plot --------------------------------------------------------------------------

function train(reporter: ReturnType<typeof liveLossPlot>, epochs: number, loss = (e: number) => 100 / e) {
  reporter.start(epochs);
  for (let epoch = 1; epoch <= epochs; epoch++) reporter.update({ epoch, epochs, loss: loss(epoch), extra: { nfe: 10 * epoch } });
  reporter.stop();
}

test("the live plot updates one display in place, every N epochs, and ends with the interactive plot", () => {
  const rec = recorder(true);
  train(liveLossPlot({ everyEpochs: 10, minIntervalMs: 0, output: rec.output }), 35);
  assert.equal(rec.shown.length, 5, "epochs 1, 11, 21, 31, then stop()");
  const ids = new Set(rec.shown.map((s) => s.bundle.transient?.display_id));
  assert.equal(ids.size, 1);
  assert.ok([...ids][0]);
  assert.deepEqual(rec.shown.map((s) => s.update), [false, true, true, true, true]);
  for (const s of rec.shown.slice(0, -1)) assert.deepEqual(Object.keys(s.bundle.data), [PLOT_MIME.svg, PLOT_MIME.text]);
  const final = rec.shown.at(-1)!.bundle;
  assert.deepEqual(Object.keys(final.data), [PLOT_MIME.plotly, PLOT_MIME.vegaLite, PLOT_MIME.svg, PLOT_MIME.text]);
  const doc = parse(final.data[PLOT_MIME.svg] as string);
  assert.deepEqual(linePoints(doc, 0), [35]);
  assert.ok(axisLabels(doc, "Y").every((t) => Number.isInteger(Math.log10(t)) || [2, 5].includes(t / 10 ** Math.floor(Math.log10(t)))), "log y");
  const subtitle = texts(doc.documentElement!).join(" ");
  assert.match(subtitle, /epoch 35\/35 · loss 2\.857 · nfe 350/);
  const third = parse(rec.shown[2].bundle.data[PLOT_MIME.svg] as string);
  assert.deepEqual(linePoints(third, 0), [21], "an update shows the history so far");
});

test("the live plot is throttled in time too, and a second plot gets its own display", () => {
  const rec = recorder(true);
  train(liveLossPlot({ minIntervalMs: 1e9, everyEpochs: undefined, output: rec.output }), 200);
  assert.equal(rec.shown.length, 2, "first epoch and stop()");
  train(liveLossPlot({ minIntervalMs: 1e9, output: rec.output }), 3);
  assert.notEqual(rec.shown[0].bundle.transient?.display_id, rec.shown[2].bundle.transient?.display_id);
  assert.equal(rec.shown[2].update, false);
});

test("losses a log axis cannot show are left out and counted, not fatal", () => {
  const rec = recorder(true);
  train(liveLossPlot({ minIntervalMs: 1e9, output: rec.output }), 30, (e) => (e % 10 === 0 ? NaN : e === 5 ? 0 : 1 / e));
  const doc = parse(rec.shown.at(-1)!.bundle.data[PLOT_MIME.svg] as string);
  assert.deepEqual(linePoints(doc, 0), [26]);
  assert.match(texts(doc.documentElement!).join(" "), /loss NaN · nfe 300 · 4 loss value\(s\) not plotted/);
});

test("outside a notebook the live plot draws nothing and prints one summary line", () => {
  const rec = recorder(false);
  train(liveLossPlot({ output: rec.output }), 40, (e) => (e === 30 ? 0.01 : 100 / e));
  assert.equal(rec.shown.length, 0);
  assert.equal(rec.browser.length, 0);
  assert.deepEqual(rec.printed, ["loss 100 → 2.5 (best 0.01 at epoch 30) over 40 epochs"]);
});

test("thinning a long history keeps its ends, its extremes and about maxPoints points", () => {
  const x = range(10_000, (i) => i + 1);
  const y = x.map((e) => 1 / e + (e === 5_000 ? 5 : 0) + (e === 7_777 ? -1 : 0));
  const [tx, ty] = thin(x, y, 1000);
  assert.ok(tx.length <= 1002 && tx.length >= 900, `${tx.length} points`);
  assert.deepEqual([tx[0], tx.at(-1)], [1, 10_000]);
  assert.ok(tx.includes(5_000) && tx.includes(7_777), "spikes survive");
  assert.ok(tx.every((v, i) => i === 0 || v > tx[i - 1]), "still in epoch order");
  assert.deepEqual(ty, tx.map((e) => y[e - 1]));
});
