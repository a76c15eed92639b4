/**
 * Where are we running? Inside a tslab kernel, rich output (SVG, HTML, live-updating displays) goes
 * to the notebook; in a plain script it goes to the terminal or a browser window.
 *
 * @module
 */

/** A Jupyter `display_data` payload: one or more MIME types for the same output. */
export interface DisplayBundle {
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** Outputs sharing a `display_id` replace each other in place. */
  transient?: { display_id?: string };
}

type WriteDisplayData = (bundle: DisplayBundle, update: boolean) => void;

/**
 * tslab's internal display hook, or `null` outside a tslab kernel. `tslab.newDisplay()` and
 * `tslab.display` write through this same hook, but one MIME type per output; calling it directly
 * sends several at once (an interactive spec plus a static SVG fallback) under one display id.
 */
function displayHook(): WriteDisplayData | null {
  try {
    // Same module instance as the running kernel's: the kernel hands over to this project's tslab.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: WriteDisplayData | null };
    return jupyter.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

/** True inside a tslab notebook kernel. */
export function inNotebook(): boolean {
  return displayHook() !== null;
}

/**
 * Sends a display bundle to the notebook. With `update: true` and a `display_id`, it replaces the
 * output that carries that id (used for live training plots). Returns false outside a notebook.
 */
export function sendDisplay(bundle: DisplayBundle, update = false): boolean {
  const hook = displayHook();
  if (!hook) return false;
  hook({ metadata: {}, ...bundle }, update);
  return true;
}

let displayCounter = 0;
/** A fresh display id for outputs that will be updated in place. */
export function newDisplayId(): string {
  displayCounter += 1;
  return `rnode-${process.pid}-${Date.now().toString(36)}-${displayCounter}`;
}

/**
 * States a claim a notebook makes and checks it: prints "✓ claim" when `condition` holds, throws
 * `claim failed: …` when it does not, so a notebook run (and the test suite) stops on a false claim.
 */
export function check(condition: boolean, claim: string): void {
  if (!condition) throw new Error(`claim failed: ${claim}`);
  console.log(`✓ ${claim}`);
}
