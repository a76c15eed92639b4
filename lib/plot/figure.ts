/**
 * Checks plotly-style input once and turns it into one resolved figure (defaults merged, colours and
 * modes decided, log ranges fixed), so the plotly spec, the Vega-Lite spec and the SVG cannot disagree.
 *
 * @module
 */
import { PLOT_DEFAULTS, PlotError, type Axis, type Dash, type Layout, type Mode, type Title, type Trace } from "./types";
import { describeValue } from "../options/describe";
import { defineOptions, nested, type Rules, type Where } from "../options/schema";
import { boolean, numberArray, numberIn, oneOf, required, rule, text } from "../options/rules";

/** A trace with every default filled in. */
export interface FigureTrace {
  /** Unique id within the figure (the name, made unique); unnamed traces get plotly's "trace i". */
  key: string;
  name?: string;
  x: number[];
  y: number[];
  mode: Mode;
  color: string;
  dash: Dash;
  lineWidth: number;
  markerSize: number;
  markerColor: string;
}

/** An axis with its range decided. */
export interface FigureAxis {
  title?: string;
  log: boolean;
  /** Log axes only: whole decades around the data, and the tick values to label. */
  domain?: [number, number];
  ticks?: number[];
}

/** Everything a renderer needs, validated. */
export interface Figure {
  traces: FigureTrace[];
  title?: string;
  /** A second title line (the live plot's epoch/loss status); not part of the public layout. */
  subtitle?: string;
  x: FigureAxis;
  y: FigureAxis;
  width: number;
  height: number;
  legend: boolean;
}

const MODES = ["lines", "markers", "lines+markers"] as const satisfies readonly Mode[];
const DASHES = ["solid", "dot", "dash", "longdash", "dashdot", "longdashdot"] as const satisfies readonly Dash[];

function fail(message: string): never {
  throw new PlotError(`plot: ${message}`);
}

// The schemas of every plotly-style object, checked by the compiler against the interfaces in
// types.ts: a typo such as `marker.sise` is named, with its near miss, instead of ignored.
const titleRule = rule("a string or { text: string }", (v): v is Title => typeof v === "string" || (typeof v === "object" && v !== null && typeof (v as { text?: unknown }).text === "string"));
const colour = text(`a CSS colour string such as "#1f77b4" or "red"`);
const LINE = defineOptions<NonNullable<Trace["line"]>>({ dash: oneOf(DASHES), color: colour, width: numberIn(0, 50) } satisfies Rules<NonNullable<Trace["line"]>>, {}, `{ dash: "dot" }`, "line");
const MARKER = defineOptions<NonNullable<Trace["marker"]>>({ size: numberIn(1, 100), color: colour } satisfies Rules<NonNullable<Trace["marker"]>>, {}, "{ size: 6 }", "marker");
const values = numberArray<ArrayLike<number>>("an array of numbers (number[] or a typed array such as tensor.dataSync())");
const TRACE = defineOptions<Trace>({
  type: oneOf(["scatter"] as const),
  x: values,
  y: required(values),
  name: rule("a string", (v): v is string => typeof v === "string"),
  mode: oneOf(MODES),
  line: nested(LINE, `an object such as { dash: "dot", color: "red", width: 2 }`),
  marker: nested(MARKER, `an object such as { size: 6, color: "red" }`),
} satisfies Rules<Trace>, {}, "{ x: [1, 2, 3], y: [2, 4, 8] }", "trace");
const AXIS = defineOptions<Axis>({ title: titleRule, type: oneOf(["linear", "log"] as const) } satisfies Rules<Axis>, {}, `{ title: "t", type: "log" }`, "axis");
const LAYOUT = defineOptions<Layout>({
  title: titleRule,
  xaxis: nested(AXIS, `an object such as { title: "t", type: "log" }`),
  yaxis: nested(AXIS, `an object such as { title: "loss", type: "log" }`),
  width: numberIn(100, 4000),
  height: numberIn(100, 4000),
  showlegend: boolean,
} satisfies Rules<Layout>, {}, `{ title: "Loss", yaxis: { type: "log" } }`, "layout");

const at = (path: string): Where => ({ fn: "plot", path, error: PlotError });

function titleText(value: Title | undefined): string | undefined {
  return typeof value === "object" ? value.text : value;
}

/** Copies into a plain array: JSON of a typed array is an object, and float32 noise bloats the output. */
function numbers(values: unknown, path: string, axis: string, log: boolean): number[] {
  if (values === null || typeof values !== "object" || typeof (values as ArrayLike<number>).length !== "number") {
    fail(`${path} must be an array of numbers (number[] or a typed array such as tensor.dataSync())`);
  }
  const f32 = values instanceof Float32Array;
  return Array.from(values as ArrayLike<unknown>, (v, i) => {
    if (typeof v !== "number") fail(`${path}[${i}] is ${describeValue(v)}; give numbers only`);
    if (!Number.isFinite(v)) fail(`${path}[${i}] is ${String(v)}; remove non-finite values (NaN, ±Infinity) before plotting`);
    if (log && v <= 0) fail(`${path}[${i}] is ${v}, which a log ${axis} axis cannot show; drop values ≤ 0 or set layout.${axis}axis.type = "linear"`);
    return f32 ? Number(v.toPrecision(7)) : v;
  });
}

/** `m`·10^k as the nearest double to the decimal, unlike `m * 10 ** k` (0.30000000000000004). */
const dec = (m: number, k: number) => Number(`${m}e${k}`);

/**
 * Range and ticks of a log axis. Up to two decades: a tight range on the 1-2-5 grid, ticks at 1-2-5 (or
 * every integer mantissa within one decade). Wider: whole decades, ticks at powers of ten, every
 * second or third power when there are too many for about eight labels.
 */
function logAxis(values: number[]): Pick<FigureAxis, "domain" | "ticks"> {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) [min, max] = [Math.min(min, v), Math.max(max, v)]; // no spread: traces can be long
  const [a, b] = [Math.floor(Math.log10(min) + 1e-12), Math.ceil(Math.log10(max) - 1e-12)];
  const span = Math.log10(max / min);
  if (span > 2) {
    const step = Math.ceil((b - a) / 8);
    const [lo, hi] = [Math.floor(a / step) * step, Math.ceil(b / step) * step];
    const ticks = Array.from({ length: (hi - lo) / step + 1 }, (_, i) => dec(1, lo + i * step));
    return { domain: [dec(1, lo), dec(1, hi)], ticks };
  }
  const grid = (mantissas: number[]) => {
    const out: number[] = [];
    for (let k = a - 1; k <= b; k++) for (const m of mantissas) out.push(dec(m, k));
    return out;
  };
  const coarse = grid([1, 2, 5]);
  // A constant series sits strictly inside its range, not on the bottom edge.
  const lo = coarse.filter((g) => (min === max ? g < min : g <= min)).at(-1)!;
  const hi = coarse.find((g) => g >= max && g > min)!;
  const ticks = grid(span <= 1 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : [1, 2, 5]).filter((g) => g >= lo && g <= hi);
  return { domain: [lo, hi], ticks };
}

function axisOf(a: Axis | undefined, values: number[]): FigureAxis {
  const log = a?.type === "log";
  return { title: titleText(a?.title), log, ...(log ? logAxis(values) : {}) };
}

/** Validates plotly-style traces and layout and resolves every default. Throws {@link PlotError}. */
export function resolveFigure(traces: readonly Trace[], layout: Layout = {}): Figure {
  if (!Array.isArray(traces) || traces.length === 0) fail("traces must be a non-empty array of { x, y } objects; wrap a single trace as plot([trace])");
  const l = LAYOUT.parse(layout, at("layout"));
  const xLog = l.xaxis?.type === "log";
  const yLog = l.yaxis?.type === "log";
  const keys = new Set<string>();
  const resolved = traces.map((input, i): FigureTrace => {
    const path = `traces[${i}]`;
    const t = TRACE.parse(input, at(path));
    const y = numbers(t.y, `${path}.y`, "y", yLog);
    if (y.length === 0) fail(`${path}.y is empty; give at least one point`);
    const x = t.x === undefined ? y.map((_, j) => j) : numbers(t.x, `${path}.x`, "x", xLog);
    if (x.length !== y.length) fail(`${path}.x has ${x.length} values but ${path}.y has ${y.length}; give x and y the same length`);
    const line = t.line ?? {};
    const marker = t.marker ?? {};
    let key = t.name ?? `trace ${i}`;
    for (let n = 2; keys.has(key); n++) key = `${t.name ?? `trace ${i}`} (${n})`;
    keys.add(key);
    const color = line.color ?? PLOT_DEFAULTS.colors[i % PLOT_DEFAULTS.colors.length];
    return {
      key,
      name: t.name,
      x,
      y,
      mode: t.mode ?? (y.length < PLOT_DEFAULTS.markersBelow ? "lines+markers" : "lines"),
      color,
      dash: line.dash ?? "solid",
      lineWidth: line.width ?? PLOT_DEFAULTS.lineWidth,
      markerSize: marker.size ?? PLOT_DEFAULTS.markerSize,
      markerColor: marker.color ?? color,
    };
  });
  return {
    traces: resolved,
    title: titleText(l.title),
    x: axisOf(l.xaxis, resolved.flatMap((t) => t.x)),
    y: axisOf(l.yaxis, resolved.flatMap((t) => t.y)),
    width: l.width ?? PLOT_DEFAULTS.width,
    height: l.height ?? PLOT_DEFAULTS.height,
    legend: (l.showlegend ?? true) && resolved.some((t) => t.name !== undefined),
  };
}
