/**
 * A loss curve that redraws itself in place while a model trains (a {@link ProgressReporter}).
 *
 * @module
 */
import { newDisplayId } from "../notebook";
import type { ProgressEvent, ProgressReporter } from "../train/reporter";
import { resolveFigure } from "./figure";
import { defaultPlotOutput, figureBundle, type PlotOutput } from "./show";

/** Options of {@link liveLossPlot}; every field has a default in {@link LIVE_PLOT_DEFAULTS}. */
export interface LiveLossPlotOptions {
  title?: string;
  /** Log loss axis (default true): losses span decades. Non-positive losses are then left out. */
  logY?: boolean;
  /** Redraw at most once per this many epochs… */
  everyEpochs?: number;
  /** …and at most once per this many milliseconds. The first and the final curve are always drawn. */
  minIntervalMs?: number;
  /** Longer histories are thinned to about this many points for display (the minimum and maximum of
   * each stretch are kept, so spikes stay visible). */
  maxPoints?: number;
  width?: number;
  height?: number;
  /** Where to draw; tests pass a recorder. */
  output?: PlotOutput;
}

/**
 * Defaults: a redraw takes 20–50 ms (Vega, up to 1 000 points), so twice a second costs training at
 * most about 10 % and still looks live; 1 000 points are more than a 640 px plot can show.
 */
export const LIVE_PLOT_DEFAULTS = Object.freeze({
  title: "Training loss",
  logY: true,
  everyEpochs: 1,
  minIntervalMs: 500,
  maxPoints: 1000,
  width: 640,
  height: 360,
});

/** Keeps the first and last point and, per stretch of the history, its lowest and highest loss. */
export function thin(x: readonly number[], y: readonly number[], maxPoints: number): [number[], number[]] {
  if (x.length <= maxPoints) return [[...x], [...y]];
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const keep: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const [from, to] = [Math.floor((b * x.length) / buckets), Math.floor(((b + 1) * x.length) / buckets)];
    let [lo, hi] = [from, from];
    for (let i = from; i < to; i++) [lo, hi] = [y[i] < y[lo] ? i : lo, y[i] > y[hi] ? i : hi];
    keep.push(...new Set([Math.min(lo, hi), Math.max(lo, hi)]));
  }
  if (keep[0] !== 0) keep.unshift(0);
  if (keep.at(-1) !== x.length - 1) keep.push(x.length - 1);
  return [keep.map((i) => x[i]), keep.map((i) => y[i])];
}

/** Four significant digits, no trailing zeros: 0.0321, 1.23e-7, 140. */
const short = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v));

/**
 * A {@link ProgressReporter} that shows the training loss as a live plot. In a tslab notebook the
 * curve (log y by default) appears at the first epoch and is redrawn in place — one output updated
 * through its display_id, never a new output per epoch — with the epoch, the loss and any extra
 * figures as its subtitle; the redraws are throttled ({@link LiveLossPlotOptions}), and `stop()` draws
 * the final, interactive version. Outside a notebook it stays quiet during training (a terminal
 * progress bar is a separate reporter) and prints one summary line at `stop()`.
 *
 * @example
 * await train(model, data, { epochs: 500, reporter: liveLossPlot() });
 */
export function liveLossPlot(options: LiveLossPlotOptions = {}): ProgressReporter {
  // An option given as `undefined` means "the default", not "unset".
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o: Required<LiveLossPlotOptions> = { ...LIVE_PLOT_DEFAULTS, output: defaultPlotOutput, ...given };
  let epochs: number[] = [];
  let losses: number[] = [];
  let hidden = 0; // losses a log axis cannot show (non-finite or ≤ 0)
  let last: ProgressEvent | undefined;
  let displayId = "";
  let shown = false;
  let lastDrawEpoch = -Infinity;
  let lastDrawAt = -Infinity;

  const status = () => {
    if (!last) return "";
    const parts = [`epoch ${last.epoch}/${last.epochs}`, `loss ${short(last.loss)}`];
    for (const [k, v] of Object.entries(last.extra ?? {})) parts.push(`${k} ${short(v)}`);
    if (hidden > 0) parts.push(`${hidden} loss value(s) not plotted`);
    return parts.join(" · ");
  };

  const draw = (final: boolean) => {
    if (epochs.length === 0) return;
    const [x, y] = thin(epochs, losses, o.maxPoints);
    const fig = resolveFigure([{ x, y, name: "loss" }], {
      title: o.title,
      xaxis: { title: "epoch" },
      yaxis: { title: "loss", type: o.logY ? "log" : "linear" },
      width: o.width,
      height: o.height,
      showlegend: false,
    });
    fig.subtitle = status();
    // Updates carry only SVG: a zoomable chart rebuilt twice a second cannot be zoomed anyway, and
    // re-creating it flickers. The final draw adds the interactive specs.
    o.output.display({ ...figureBundle(fig, final), transient: { display_id: displayId } }, shown);
    shown = true;
    lastDrawEpoch = last?.epoch ?? 0;
    lastDrawAt = performance.now();
  };

  return {
    start() {
      [epochs, losses, hidden, last, shown] = [[], [], 0, undefined, false];
      [lastDrawEpoch, lastDrawAt] = [-Infinity, -Infinity];
      displayId = newDisplayId();
    },
    update(event) {
      if (!displayId) this.start(event.epochs); // tolerate a loop that forgot start()
      last = event;
      if (Number.isFinite(event.loss) && (!o.logY || event.loss > 0)) {
        epochs.push(event.epoch);
        losses.push(event.loss);
      } else hidden += 1;
      if (!o.output.notebook()) return;
      const due = event.epoch - lastDrawEpoch >= o.everyEpochs && performance.now() - lastDrawAt >= o.minIntervalMs;
      if (!shown || due) draw(false);
    },
    stop() {
      if (!last) return;
      if (o.output.notebook()) draw(true);
      else if (losses.length > 0) {
        const best = losses.reduce((b, v, i) => (v < losses[b] ? i : b), 0);
        o.output.print(`loss ${short(losses[0])} → ${short(losses.at(-1)!)} (best ${short(losses[best])} at epoch ${epochs[best]}) over ${last.epoch} epochs`);
      }
      last = undefined; // a second stop() does nothing
      displayId = "";
    },
  };
}
