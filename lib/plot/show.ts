/**
 * `plot()`: one call that shows a figure wherever the code runs — inline in a tslab notebook, in a
 * browser window from a script — plus the pure functions behind it (SVG, plotly and Vega-Lite specs).
 *
 * @module
 */
import { inNotebook, sendDisplay, type DisplayBundle } from "../notebook";
import { resolveFigure, type Figure } from "./figure";
import { plotlyOf, vegaLiteOf } from "./specs";
import { svgOf } from "./svg";
import type { Layout, PlotlySpec, Trace, VegaLiteSpec } from "./types";

/** The MIME types of a plot's display bundle. */
export const PLOT_MIME = Object.freeze({
  plotly: "application/vnd.plotly.v1+json",
  vegaLite: "application/vnd.vegalite.v5+json",
  svg: "image/svg+xml",
  text: "text/plain",
} as const);

/** Where figures go. Tests and tools pass their own; {@link defaultPlotOutput} is the real one. */
export interface PlotOutput {
  /** True inside a notebook kernel, where {@link PlotOutput.display} works. */
  notebook(): boolean;
  /** Sends a display bundle; with `update`, it replaces the output carrying the same display_id. */
  display(bundle: DisplayBundle, update: boolean): void;
  /** Shows a figure outside a notebook. */
  browser(spec: PlotlySpec): void;
  /** Prints a line of text outside a notebook. */
  print(line: string): void;
}

/**
 * nodeplotlib starts a local server, opens a browser tab, and keeps the process alive until the tab
 * is closed — which would hang a CI job forever, so under `CI` it only says what it skipped. Loaded
 * lazily: it pulls in NestJS.
 */
function openInBrowser(spec: PlotlySpec): void {
  if (process.env.CI) {
    console.log(`plot: no browser window under CI (${spec.data.length} trace(s) not shown)`);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeplotlib = require("nodeplotlib") as { plot(data: unknown[], layout?: unknown): void };
  nodeplotlib.plot(spec.data, spec.layout);
}

/** The tslab display hook in a notebook, nodeplotlib in a script. */
export const defaultPlotOutput: PlotOutput = Object.freeze({
  notebook: inNotebook,
  display: (bundle: DisplayBundle, update: boolean) => void sendDisplay(bundle, update),
  browser: openInBrowser,
  print: (line: string) => console.log(line),
});

function summary(fig: Figure): string {
  const names = fig.traces.map((t) => t.key).join(", ");
  const points = fig.traces.reduce((n, t) => n + t.x.length, 0);
  return `<Figure${fig.title ? ` "${fig.title}"` : ""}: ${names}; ${points} points>`;
}

/**
 * The display bundle of a resolved figure. Front ends pick the richest MIME type they can render, each
 * by its own rule, so the set and the key order are chosen for each of them:
 * - VS Code sorts MIME types it has no fixed rank for (both specs) ahead of SVG, in bundle order, so
 *   plotly comes first: the same interactive plotly chart as nodeplotlib's browser window.
 * - JupyterLab 4 ranks renderers (its built-in Vega renderer beats SVG, which it also treats as unsafe
 *   in untrusted notebooks) and ignores bundle order: it draws the Vega-Lite spec, zoomable. With the
 *   jupyterlab-plotly extension installed, plotly ranks higher still and wins.
 * - Classic Notebook 6.4, GitHub and nbconvert HTML know neither spec and show the static SVG, which
 *   Vega renders from the same Vega-Lite spec, so every front end shows the same chart.
 * - `text/plain` is the conventional last resort (terminals, `jupyter console`).
 * With `interactive: false` only the SVG and the text are sent (used for the live plot's updates).
 */
export function figureBundle(fig: Figure, interactive = true): DisplayBundle {
  const data: Record<string, unknown> = {};
  if (interactive) {
    data[PLOT_MIME.plotly] = plotlyOf(fig);
    data[PLOT_MIME.vegaLite] = vegaLiteOf(fig);
  }
  data[PLOT_MIME.svg] = svgOf(fig);
  data[PLOT_MIME.text] = summary(fig);
  return { data, metadata: {} };
}

/**
 * Plots plotly-style traces. In a tslab notebook the figure appears inline (interactive where the
 * front end can, static SVG everywhere else; see {@link figureBundle}); in a script it opens in the
 * browser through nodeplotlib. Returns nothing, so a cell ending in `plot(...)` prints no value.
 *
 * @example
 * plot([{ x: epochs, y: losses, name: "train" }], { yaxis: { title: "loss", type: "log" } });
 * @throws {@link PlotError} naming the offending field, e.g. `traces[0].x` and `.y` of different lengths.
 */
export function plot(traces: readonly Trace[], layout?: Layout, output: PlotOutput = defaultPlotOutput): void {
  const fig = resolveFigure(traces, layout);
  if (output.notebook()) output.display(figureBundle(fig), false);
  else output.browser(plotlyOf(fig));
}

/** The display bundle {@link plot} would send, without sending it (for tools writing notebooks). */
export function displayBundle(traces: readonly Trace[], layout?: Layout): DisplayBundle {
  return figureBundle(resolveFigure(traces, layout));
}

/** The static SVG document of a figure, e.g. to save with `fs.writeFileSync("loss.svg", svg)`. */
export function renderSvg(traces: readonly Trace[], layout?: Layout): string {
  return svgOf(resolveFigure(traces, layout));
}

/** The plotly.js figure `{ data, layout }` as a plain JSON object. */
export function toPlotlySpec(traces: readonly Trace[], layout?: Layout): PlotlySpec {
  return plotlyOf(resolveFigure(traces, layout));
}

/** The Vega-Lite v5 spec as a plain JSON object (data inline), e.g. for the Vega editor. */
export function toVegaLiteSpec(traces: readonly Trace[], layout?: Layout): VegaLiteSpec {
  return vegaLiteOf(resolveFigure(traces, layout));
}
