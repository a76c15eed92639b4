/**
 * Checks plotly-style input once and turns it into one resolved figure (defaults merged, colours and
 * modes decided, log ranges fixed), so the plotly spec, the Vega-Lite spec and the SVG cannot disagree.
 *
 * @module
 */
import { PLOT_DEFAULTS, PlotError, type Axis, type Dash, type Layout, type Mode, type Title, type Trace } from "./types";

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

const MODES: readonly Mode[] = ["lines", "markers", "lines+markers"];
const DASHES: readonly Dash[] = ["solid", "dot", "dash", "longdash", "dashdot", "longdashdot"];

function fail(message: string): never {
  throw new PlotError(`plot: ${message}`);
}

/** A typo such as `marker.sise` would otherwise be ignored silently; say what is supported instead. */
function onlyKeys(value: unknown, path: string, allowed: readonly string[]): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail(`${path} must be an object, got ${JSON.stringify(value)}`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(`${path}.${key} is not supported; use one of ${allowed.join(", ")}`);
  }
  return value as Record<string, unknown>;
}

function oneOf<T extends string>(value: unknown, path: string, options: readonly T[]): T | undefined {
  if (value === undefined || options.includes(value as T)) return value as T | undefined;
  return fail(`${path} is ${JSON.stringify(value)}; use one of ${options.map((o) => `"${o}"`).join(", ")}`);
}

function positive(value: unknown, path: string, min = 0, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(value >= min && value <= max)) fail(`${path} must be a number from ${min} to ${max}, got ${String(value)}`);
  return value;
}

function text(value: Title | undefined, path: string): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  if (typeof value === "object" && value !== null && typeof value.text === "string") return value.text;
  return fail(`${path} must be a string or { text: string }`);
}

function colour(value: unknown, path: string): string | undefined {
  if (value === undefined || (typeof value === "string" && value.trim() !== "")) return value as string | undefined;
  return fail(`${path} must be a CSS colour string such as "#1f77b4" or "red"`);
}

/** Copies into a plain array: JSON of a typed array is an object, and float32 noise bloats the output. */
function numbers(values: unknown, path: string, axis: string, log: boolean): number[] {
  if (values === null || typeof values !== "object" || typeof (values as ArrayLike<number>).length !== "number") {
    fail(`${path} must be an array of numbers (number[] or a typed array such as tensor.dataSync())`);
  }
  const f32 = values instanceof Float32Array;
  return Array.from(values as ArrayLike<unknown>, (v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      fail(`${path}[${i}] is ${String(v)}; remove non-finite values (NaN, ±Infinity) before plotting`);
    }
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

function axisOf(input: unknown, name: "x" | "y", values: number[]): FigureAxis {
  const path = `layout.${name}axis`;
  const a = (input === undefined ? {} : onlyKeys(input, path, ["title", "type"])) as Axis;
  const log = oneOf(a.type, `${path}.type`, ["linear", "log"] as const) === "log";
  return { title: text(a.title, `${path}.title`), log, ...(log ? logAxis(values) : {}) };
}

/** Validates plotly-style traces and layout and resolves every default. Throws {@link PlotError}. */
export function resolveFigure(traces: readonly Trace[], layout: Layout = {}): Figure {
  if (!Array.isArray(traces) || traces.length === 0) fail("traces must be a non-empty array of { x, y } objects; wrap a single trace as plot([trace])");
  const l = onlyKeys(layout, "layout", ["title", "xaxis", "yaxis", "width", "height", "showlegend"]) as Layout;
  const xLog = (l.xaxis as Axis | undefined)?.type === "log";
  const yLog = (l.yaxis as Axis | undefined)?.type === "log";
  const keys = new Set<string>();
  const resolved = traces.map((t, i): FigureTrace => {
    const path = `traces[${i}]`;
    onlyKeys(t, path, ["type", "x", "y", "name", "mode", "line", "marker"]);
    oneOf(t.type, `${path}.type`, ["scatter"] as const);
    const y = numbers(t.y, `${path}.y`, "y", yLog);
    if (y.length === 0) fail(`${path}.y is empty; give at least one point`);
    const x = t.x === undefined ? y.map((_, j) => j) : numbers(t.x, `${path}.x`, "x", xLog);
    if (x.length !== y.length) fail(`${path}.x has ${x.length} values but ${path}.y has ${y.length}; give x and y the same length`);
    const line = t.line === undefined ? {} : (onlyKeys(t.line, `${path}.line`, ["dash", "color", "width"]) as NonNullable<Trace["line"]>);
    const marker = t.marker === undefined ? {} : (onlyKeys(t.marker, `${path}.marker`, ["size", "color"]) as NonNullable<Trace["marker"]>);
    if (t.name !== undefined && typeof t.name !== "string") fail(`${path}.name must be a string`);
    let key = t.name ?? `trace ${i}`;
    for (let n = 2; keys.has(key); n++) key = `${t.name ?? `trace ${i}`} (${n})`;
    keys.add(key);
    const color = colour(line.color, `${path}.line.color`) ?? PLOT_DEFAULTS.colors[i % PLOT_DEFAULTS.colors.length];
    return {
      key,
      name: t.name,
      x,
      y,
      mode: oneOf(t.mode, `${path}.mode`, MODES) ?? (y.length < PLOT_DEFAULTS.markersBelow ? "lines+markers" : "lines"),
      color,
      dash: oneOf(line.dash, `${path}.line.dash`, DASHES) ?? "solid",
      lineWidth: positive(line.width, `${path}.line.width`, 0, 50) ?? PLOT_DEFAULTS.lineWidth,
      markerSize: positive(marker.size, `${path}.marker.size`, 1, 100) ?? PLOT_DEFAULTS.markerSize,
      markerColor: colour(marker.color, `${path}.marker.color`) ?? color,
    };
  });
  if (l.showlegend !== undefined && typeof l.showlegend !== "boolean") fail("layout.showlegend must be true or false");
  return {
    traces: resolved,
    title: text(l.title, "layout.title"),
    x: axisOf(l.xaxis, "x", resolved.flatMap((t) => t.x)),
    y: axisOf(l.yaxis, "y", resolved.flatMap((t) => t.y)),
    width: positive(l.width, "layout.width", 100, 4000) ?? PLOT_DEFAULTS.width,
    height: positive(l.height, "layout.height", 100, 4000) ?? PLOT_DEFAULTS.height,
    legend: (l.showlegend ?? true) && resolved.some((t) => t.name !== undefined),
  };
}
