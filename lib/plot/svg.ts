/**
 * The static SVG, rendered by Vega from the very Vega-Lite spec that JupyterLab draws interactively.
 *
 * Choice: `vega@5` + `vega-lite@5` rather than a hand-written SVG line chart. Vega already does what a
 * readable plot needs and is tedious to get right by hand (nice and log ticks, label overlap, legend
 * layout, titles, text measurement without a canvas), and the static picture then cannot drift from
 * the interactive one. Measured here (2 busy cores, Node 20): `require` of both 60–80 ms, paid once
 * at the first plot (first plot 135–185 ms in all); then 2 traces × 200 points 20–40 ms for the whole
 * display bundle, 2 × 2 000 points 80–290 ms. A plot stays well under a second.
 *
 * The alternative, a hand-written renderer of perhaps 250 lines (axes, ticks, legend, dashes, markers),
 * would load in no time, add no dependency (vega + vega-lite are about 27 MB and 80 packages), and
 * emit one path per marker set instead of one per marker; but it would re-implement all of the above
 * and could disagree with the interactive chart. It was not built, so it has no measurements. Version 5 is pinned on purpose: it is CommonJS (vega 6 is
 * ESM-only, which tslab's CommonJS cells cannot `require` on every Node 20), and its schema is the
 * `vnd.vegalite.v5` that JupyterLab 4 renders.
 *
 * Vega's documented `view.toSVG()` is async. A plot call in a notebook cell is friendlier and safer
 * synchronous (no forgotten `await`, no output landing in the next cell), and nothing here is async:
 * the data are inline, so `view.run()` finishes synchronously and the headless SVG string renderer
 * that `toSVG()` uses internally can be called directly. The test suite checks that both give the
 * same SVG, which guards this against a Vega upgrade.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { PlotError } from "./types";
import type { Figure } from "./figure";
import { vegaLiteOf } from "./specs";

type Vega = typeof import("vega");
type VegaLite = typeof import("vega-lite");

/** Not in vega's typings, but exported by it: the headless renderer behind `view.toSVG()`. */
interface SvgStringRenderer {
  initialize(el: null, width: number, height: number, origin: [number, number]): SvgStringRenderer;
  background(colour: unknown): SvgStringRenderer;
  render(scene: unknown): SvgStringRenderer;
  svg(): string;
}

let libs: { vega: Vega; vl: VegaLite } | undefined;
/** Loaded on first plot, so importing the course library stays cheap for code that never plots. */
function load(): { vega: Vega; vl: VegaLite } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  libs ??= { vega: require("vega") as Vega, vl: require("vega-lite") as VegaLite };
  return libs;
}

/**
 * Vega's default logger writes warnings to stderr, which a notebook shows as an error and nbgrader
 * scores as a failure. Collect them instead; an error still throws.
 */
class QuietLogger {
  private current = 0;
  constructor(private readonly warnings: string[]) {}
  level(): number;
  level(l: number): this;
  level(l?: number): number | this {
    if (l === undefined) return this.current;
    this.current = l;
    return this;
  }
  error(...args: unknown[]): this {
    throw new PlotError(`plot: Vega failed to render: ${args.map(String).join(" ")}`);
  }
  warn(...args: unknown[]): this {
    this.warnings.push(args.map(String).join(" "));
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}

/**
 * Vega numbers clip paths with a per-process counter, so SVGs made in two kernel sessions can both
 * define `clip1`; Classic Notebook and nbconvert HTML inline SVGs into one page, where the second
 * `url(#clip1)` would pick up the first plot's clip rectangle. Ids derived from the content are
 * unique per figure and stay the same from run to run (no noise in notebook diffs).
 */
function ownIds(svg: string): string {
  const ids = new Map<string, string>();
  const local = svg.replace(/(id="|url\(#)(clip\d+)/g, (_, lead: string, id: string) => {
    if (!ids.has(id)) ids.set(id, `clip${ids.size}`);
    return lead + ids.get(id)!;
  });
  const tag = createHash("sha1").update(local).digest("hex").slice(0, 8);
  return local.replace(/(id="|url\(#)(clip\d+)/g, `$1p${tag}-$2`);
}

/** Vega's dataflow for the static picture; the zoom/pan selection is left out: it needs a browser window. */
function viewOf(fig: Figure, warnings: string[]): InstanceType<Vega["View"]> {
  const { vega, vl } = load();
  const logger = new QuietLogger(warnings);
  const spec = vegaLiteOf(fig);
  const layer = spec.layer.map(({ params: _interactiveOnly, ...rest }) => rest);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- our spec type is looser than vega-lite's
  const compiled = vl.compile({ ...spec, layer } as any, { logger }).spec;
  return new vega.View(vega.parse(compiled), { renderer: "none", logger });
}

/** Renders a resolved figure to an SVG document; Vega's warnings, if any, go to `warnings`. */
export function svgOf(fig: Figure, warnings: string[] = []): string {
  const { vega } = load();
  const view = viewOf(fig, warnings);
  try {
    view.run();
    const pad = view.padding() as { top: number; bottom: number; left: number; right: number };
    const [ox, oy] = view.origin();
    // The view's outer size; `toSVG()` reads the same private fields.
    const inner = view as unknown as { _viewWidth: number; _viewHeight: number };
    const Renderer = (vega as unknown as { SVGStringRenderer: new (loader: unknown) => SvgStringRenderer }).SVGStringRenderer;
    const svg = new Renderer(view.loader())
      .initialize(null, inner._viewWidth + pad.left + pad.right, inner._viewHeight + pad.top + pad.bottom, [ox + pad.left, oy + pad.top])
      .background(view.background())
      .render((view.scenegraph() as unknown as { root: unknown }).root)
      .svg();
    return ownIds(svg);
  } finally {
    view.finalize();
  }
}

/** The same SVG through Vega's public async API; used by the tests to check {@link svgOf}. */
export async function svgOfAsync(fig: Figure): Promise<string> {
  const view = viewOf(fig, []);
  try {
    return ownIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}
