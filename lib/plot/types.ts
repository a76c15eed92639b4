/**
 * The plotting vocabulary: a subset of plotly.js scatter traces and layout, so that code written for
 * nodeplotlib (or translated from the lecture's PlotlyJS calls) carries over unchanged.
 *
 * @module
 */

/** How a trace is drawn. As in plotly, the default is `"lines+markers"` below 20 points, else `"lines"`. */
export type Mode = "lines" | "markers" | "lines+markers";

/** plotly's named dash styles. */
export type Dash = "solid" | "dot" | "dash" | "longdash" | "dashdot" | "longdashdot";

/** One curve: plotly's `scatter` trace, restricted to what the course uses. */
export interface Trace {
  /** Accepted so that plotly/nodeplotlib code type-checks; only `"scatter"` exists here. */
  type?: "scatter";
  /** Abscissae; defaults to 0, 1, …, y.length − 1 (as in plotly). Must match `y` in length. */
  x?: ArrayLike<number>;
  /** Ordinates: `number[]` or a typed array (e.g. `tensor.dataSync()`); finite, and positive on a log axis. */
  y: ArrayLike<number>;
  /** Legend label. Only named traces get a legend entry. */
  name?: string;
  mode?: Mode;
  /** Line style; ignored when `mode` is `"markers"`. */
  line?: {
    dash?: Dash;
    /** Any CSS colour; defaults to the next colour of {@link PLOT_DEFAULTS}.colors. */
    color?: string;
    /** Stroke width in px. */
    width?: number;
  };
  /** Marker style; used when `mode` includes markers. */
  marker?: {
    /** Marker diameter in px (plotly's meaning, not vega's area). */
    size?: number;
    /** Defaults to the line colour. */
    color?: string;
  };
}

/** An axis title may be given as plotly's old string form or its current `{ text }` form. */
export type Title = string | { text: string };

/** One axis of the layout. */
export interface Axis {
  title?: Title;
  /** `"log"` needs every value on this axis to be positive and finite. */
  type?: "linear" | "log";
}

/** plotly-style layout: the figure as a whole. */
export interface Layout {
  title?: Title;
  xaxis?: Axis;
  yaxis?: Axis;
  /** Whole figure, legend and labels included, in px. */
  width?: number;
  height?: number;
  /** Defaults to true when at least one trace has a `name`. */
  showlegend?: boolean;
}

/** Defaults merged under every call's options. Frozen: copy and pass options to change them. */
export const PLOT_DEFAULTS = Object.freeze({
  width: 640,
  height: 400,
  lineWidth: 2,
  markerSize: 6,
  /** plotly's default colour cycle (d3 category10), so the browser plot and the notebook plot agree. */
  colors: Object.freeze([
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  ] as const),
  /** Below this many points a trace without `mode` gets markers too (plotly's rule). */
  markersBelow: 20,
});

/** The plotly.js figure: what VS Code's plotly renderer and nodeplotlib draw. Plain JSON. */
export interface PlotlySpec {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
}

/** A Vega-Lite v5 specification: what JupyterLab renders natively. Plain JSON. */
export interface VegaLiteSpec {
  $schema: string;
  layer: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

/** Thrown for invalid traces or layout; the message names the field and says how to fix it. */
export class PlotError extends Error {
  override name = "PlotError";
}
