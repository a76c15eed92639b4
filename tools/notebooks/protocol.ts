/**
 * The Jupyter messaging protocol (version 5.3) on the wire: connection files, message headers and
 * HMAC-SHA256 signatures.
 *
 * A message on a ZeroMQ socket is a list of frames:
 * `[...routing ids, "<IDS|MSG>", signature, header, parent_header, metadata, content, ...buffers]`,
 * where the signature is the hex HMAC-SHA256, keyed by the connection file's `key`, of the four
 * JSON frames header..content in order.
 *
 * @module
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import net from "node:net";

/** The routing delimiter between ZeroMQ identities and the signed message. */
export const DELIMITER = "<IDS|MSG>";
/** The protocol version we speak (tslab answers with 5.3). */
export const PROTOCOL_VERSION = "5.3";

/** What a kernel reads from its connection file. */
export interface ConnectionInfo {
  transport: "tcp";
  ip: string;
  key: string;
  signature_scheme: "hmac-sha256";
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  kernel_name?: string;
}

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/** A decoded message. `parent_header` is `{}` when the message has no parent. */
export interface Message<C = Record<string, any>> {
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** Asks the OS for `count` distinct free TCP ports on `ip` (listen on port 0, read it, close). */
export async function freePorts(count: number, ip = "127.0.0.1"): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once("error", reject);
      s.listen(0, ip, () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** A fresh connection description with random free ports and a random signing key. */
export async function newConnectionInfo(ip = "127.0.0.1"): Promise<ConnectionInfo> {
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = await freePorts(5, ip);
  return {
    transport: "tcp", ip, key: randomBytes(32).toString("hex"), signature_scheme: "hmac-sha256",
    shell_port, iopub_port, stdin_port, control_port, hb_port, kernel_name: "tslab",
  };
}

/** Builds a new message (not yet encoded) in the given client session. */
export function newMessage<C extends object>(msgType: string, content: C, session: string, parent: Partial<Header> = {}): Message<C> {
  return {
    header: { msg_id: randomUUID(), session, username: "notebook-runner", date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION },
    parent_header: parent,
    metadata: {},
    content,
    buffers: [],
  };
}

function sign(key: string, frames: readonly (string | Buffer)[]): string {
  const hmac = createHmac("sha256", key);
  for (const f of frames) hmac.update(f);
  return hmac.digest("hex");
}

/** Serialises and signs a message into ZeroMQ frames (no routing ids: a Dealer adds its own). */
export function encode(key: string, msg: Message<object>): (string | Buffer)[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) => JSON.stringify(p));
  return [DELIMITER, sign(key, parts), ...parts, ...msg.buffers];
}

/** Parses and verifies received frames; throws on a missing delimiter or a bad signature. */
export function decode(key: string, frames: readonly Buffer[]): Message {
  const at = frames.findIndex((f) => f.toString() === DELIMITER);
  if (at < 0 || frames.length < at + 6) throw new Error("malformed Jupyter message: no <IDS|MSG> delimiter or too few frames");
  const signature = frames[at + 1].toString();
  const parts = frames.slice(at + 2, at + 6);
  const expected = sign(key, parts);
  if (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
    throw new Error("Jupyter message with an invalid HMAC signature");
  }
  const [header, parent_header, metadata, content] = parts.map((p) => JSON.parse(p.toString("utf8")));
  return { header, parent_header, metadata, content, buffers: frames.slice(at + 6) };
}
