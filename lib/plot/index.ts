/**
 * Plots for the course: plotly-style traces shown inline in tslab notebooks (interactive where the
 * front end allows, static SVG everywhere) or in a browser from scripts, and a live training-loss plot.
 *
 * @module
 */
export { plot, displayBundle, renderSvg, toPlotlySpec, toVegaLiteSpec, defaultPlotOutput, PLOT_MIME, type PlotOutput } from "./show";
export { liveLossPlot, LIVE_PLOT_DEFAULTS, type LiveLossPlotOptions } from "./live";
export { PLOT_DEFAULTS, PlotError, type Trace, type Layout, type Axis, type Title, type Mode, type Dash, type PlotlySpec, type VegaLiteSpec } from "./types";
