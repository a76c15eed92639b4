/**
 * The two interactive forms of a resolved figure: a plotly.js figure (VS Code, nodeplotlib) and a
 * Vega-Lite v5 spec (JupyterLab's built-in renderer, and the source of the static SVG).
 *
 * @module
 */
import type { Dash } from "./types";
import type { Figure, FigureAxis, FigureTrace } from "./figure";
import type { PlotlySpec, VegaLiteSpec } from "./types";

/** The plotly.js figure. Titles use the `{ text }` form: plotly.js 3 dropped plain-string titles. */
export function plotlyOf(fig: Figure): PlotlySpec {
  const axis = (a: FigureAxis) => ({
    type: a.log ? "log" : "linear",
    ...(a.title === undefined ? {} : { title: { text: a.title } }),
    // Same whole decades as the SVG, so the three renderings start from the same view.
    ...(a.domain ? { range: a.domain.map(Math.log10), exponentformat: "power" } : {}),
  });
  const title = [fig.title, fig.subtitle && `<sup>${fig.subtitle}</sup>`].filter(Boolean).join("<br>");
  return {
    data: fig.traces.map((t) => ({
      type: "scatter",
      mode: t.mode,
      x: t.x,
      y: t.y,
      name: t.key,
      showlegend: t.name !== undefined,
      line: { color: t.color, width: t.lineWidth, dash: t.dash },
      marker: { color: t.markerColor, size: t.markerSize },
    })),
    layout: {
      ...(title ? { title: { text: title } } : {}),
      width: fig.width,
      height: fig.height,
      showlegend: fig.legend,
      xaxis: axis(fig.x),
      yaxis: axis(fig.y),
    },
  };
}

/** plotly's dash names as SVG dash arrays, scaled with the stroke so thick lines stay readable. */
export function dashArray(dash: Dash, width: number): number[] | undefined {
  const u = Math.max(1, width);
  const pattern: Record<Dash, number[] | undefined> = {
    solid: undefined,
    dot: [1, 2],
    dash: [4, 3],
    longdash: [8, 3],
    dashdot: [4, 2, 1, 2],
    longdashdot: [8, 2, 1, 2],
  };
  return pattern[dash]?.map((k) => k * u);
}

// Plain decimals near 1, exponent notation far from it: "0.01", "1000", "1e-6".
const LOG_LABEL = "datum.value >= 1e-3 && datum.value < 1e4 ? format(datum.value, '~g') : format(datum.value, '.0e')";

function encodingOf(a: FigureAxis, field: "x" | "y") {
  return {
    field,
    type: "quantitative",
    title: a.title ?? null,
    scale: a.log ? { type: "log", domain: a.domain, nice: false } : { zero: false, nice: true },
    ...(a.log ? { axis: { values: a.ticks, labelExpr: LOG_LABEL } } : {}),
  };
}

/** Marker-only traces are coloured by their markers, all others by their lines. */
const legendColour = (t: FigureTrace) => (t.mode === "markers" ? t.markerColor : t.color);

/**
 * The Vega-Lite spec: one named dataset and one or two layers (line, markers) per trace. Each trace's
 * style goes through scales keyed by the trace (colour, dash, legend symbol) rather than fixed mark
 * properties, because only encoded channels reach the legend; identical legend settings make Vega-Lite
 * merge them into one legend listing exactly the named traces.
 */
export function vegaLiteOf(fig: Figure): VegaLiteSpec {
  const domain = fig.traces.map((t) => t.key);
  const legend = fig.legend
    ? { title: null, values: fig.traces.filter((t) => t.name !== undefined).map((t) => t.key), symbolType: "stroke", symbolStrokeWidth: 2, labelLimit: 280 }
    : null;
  const channel = (range: unknown[]) => ({ type: "nominal", scale: { domain, range }, legend });
  const color = channel(fig.traces.map(legendColour));
  const strokeDash = channel(fig.traces.map((t) => dashArray(t.dash, t.lineWidth) ?? [1, 0]));
  // Only needed so that marker-only traces show a dot, not a line, in the legend.
  const shape = channel(fig.traces.map((t) => (t.mode === "markers" ? "circle" : "stroke")));
  const layer = fig.traces.flatMap((t, i) => {
    const data = { name: `trace${i}` };
    const layers: Array<Record<string, unknown>> = [];
    if (t.mode !== "markers") {
      layers.push({
        name: `trace${i}_line`,
        data,
        mark: { type: "line", strokeWidth: t.lineWidth, clip: true, aria: false },
        encoding: { color: { ...color, datum: t.key }, strokeDash: { ...strokeDash, datum: t.key } },
      });
    }
    if (t.mode !== "lines") {
      const sameColour = t.markerColor === legendColour(t);
      layers.push({
        name: `trace${i}_markers`,
        data,
        // plotly's marker size is a diameter; vega's is an area. Unclipped: a data point on the edge
        // of the range (common on the tight log ranges) stays a whole dot. No ARIA label per point:
        // it doubled the SVG's size; the axes and legend keep theirs.
        mark: { type: "point", shape: "circle", filled: true, opacity: 1, size: t.markerSize ** 2, aria: false, ...(sameColour ? {} : { color: t.markerColor }) },
        encoding: {
          ...(sameColour ? { color: { ...color, datum: t.key } } : {}),
          ...(t.mode === "markers" ? { shape: { ...shape, datum: t.key } } : {}),
          tooltip: [{ field: "x", type: "quantitative" }, { field: "y", type: "quantitative" }],
        },
      });
    }
    return layers;
  });
  // Zoom and pan with the mouse in JupyterLab; a selection must live in a unit layer, so the first.
  layer[0] = { ...layer[0], params: [{ name: "zoom", select: "interval", bind: "scales" }] };
  const title = fig.title ?? fig.subtitle;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    width: fig.width,
    height: fig.height,
    autosize: { type: "fit", contains: "padding" },
    background: "white",
    ...(title === undefined ? {} : { title: { text: title, ...(fig.title !== undefined && fig.subtitle ? { subtitle: fig.subtitle } : {}) } }),
    datasets: Object.fromEntries(fig.traces.map((t, i) => [`trace${i}`, t.x.map((x, j) => ({ x, y: t.y[j] }))])),
    encoding: { x: encodingOf(fig.x, "x"), y: encodingOf(fig.y, "y") },
    layer,
  };
}
