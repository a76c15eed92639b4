/**
 * The conversion of kernel iopub messages into nbformat cell outputs.
 *
 * @module
 */
import type { Output } from "../nbformat";
import type { Message } from "./protocol";

/**
 * Display outputs by `transient.display_id`, shared by every cell of one kernel session, so that an
 * `update_display_data` replaces the output it refers to wherever (in whichever cell) it was shown.
 */
export type DisplayRegistry = Map<string, Array<Extract<Output, { output_type: "display_data" }>>>;

/**
 * Collects the outputs of one execution, in nbformat form. Consecutive stream texts of the same
 * name are merged (as Jupyter front ends do); `clear_output` is honoured, including `wait: true`.
 */
export class OutputCollector {
  readonly outputs: Output[] = [];
  /** All stderr text of this execution: tslab reports type errors and exceptions only here. */
  stderr = "";
  private clearPending = false;

  constructor(private readonly displays: DisplayRegistry) {}

  /** Applies one iopub message (other types, such as `status`, are ignored). */
  add(msg: Message): void {
    const c = msg.content;
    const type = msg.header.msg_type;
    if (type === "clear_output") {
      if (c.wait) this.clearPending = true;
      else this.outputs.length = 0;
      return;
    }
    if (type === "update_display_data") {
      for (const out of this.displays.get(c.transient?.display_id) ?? []) {
        out.data = c.data ?? {};
        out.metadata = c.metadata ?? {};
      }
      return;
    }
    const out = toOutput(type, c);
    if (!out) return;
    if (this.clearPending) {
      this.outputs.length = 0;
      this.clearPending = false;
    }
    if (out.output_type === "stream") {
      if (out.name === "stderr") this.stderr += out.text;
      const last = this.outputs[this.outputs.length - 1];
      if (last?.output_type === "stream" && last.name === out.name) {
        last.text += out.text;
        return;
      }
    }
    if (out.output_type === "display_data" && c.transient?.display_id) {
      const id = String(c.transient.display_id);
      this.displays.set(id, [...(this.displays.get(id) ?? []), out]);
    }
    this.outputs.push(out);
  }
}

function toOutput(type: string, c: Record<string, any>): Output | null {
  switch (type) {
    case "stream":
      return { output_type: "stream", name: c.name === "stderr" ? "stderr" : "stdout", text: String(c.text ?? "") };
    case "display_data":
      return { output_type: "display_data", data: c.data ?? {}, metadata: c.metadata ?? {} };
    case "execute_result":
      return { output_type: "execute_result", execution_count: c.execution_count ?? null, data: c.data ?? {}, metadata: c.metadata ?? {} };
    case "error":
      return { output_type: "error", ename: String(c.ename ?? "Error"), evalue: String(c.evalue ?? ""), traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [] };
    default:
      return null;
  }
}
