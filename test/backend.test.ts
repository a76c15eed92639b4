/**
 * The backend module: which backend it selects when tfjs-node is absent, installed but broken, or
 * working (simulated with real `require`s over throwaway node_modules folders), and that tfjs's
 * start-up banner never reaches output.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BACKEND, activateBackend, backendInfo, selectBackend, tf, type BackendRegistry } from "../lib/tf/backend";

const ROOT = resolve(__dirname, "..");
const BINDING_ERROR =
  "The Node.js native addon module (tfjs_binding.node) can not be found at path: /x/lib/napi-v8/tfjs_binding.node. \nPlease run command 'npm rebuild @tensorflow/tfjs-node build-addon-from-source' to rebuild the native addon module.";

/** A `require` rooted in a fresh folder whose node_modules/@tensorflow/tfjs-node has `indexJs` (or no package at all). */
function loaderWith(indexJs: string | null): { load: (id: string) => unknown; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "tfnode-"));
  if (indexJs !== null) {
    const pkg = join(dir, "node_modules", "@tensorflow", "tfjs-node");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "@tensorflow/tfjs-node", version: "4.22.0", main: "index.js" }));
    writeFileSync(join(pkg, "index.js"), indexJs);
  }
  return { load: createRequire(join(dir, "index.js")), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const withTensorflow: BackendRegistry = { findBackendFactory: (name) => (name === "tensorflow" ? () => ({}) : null) };
const withoutTensorflow: BackendRegistry = { findBackendFactory: () => null };

test("tfjs-node not installed: cpu, and the reason says so", () => {
  const { load, cleanup } = loaderWith(null);
  try {
    const s = selectBackend(load, withTensorflow);
    assert.equal(s.backend, "cpu");
    assert.match(s.nativeUnavailable ?? "", /is not installed/);
  } finally {
    cleanup();
  }
});

test("tfjs-node installed but its native binding is missing: cpu, reason quotes the error", () => {
  const { load, cleanup } = loaderWith(`throw new Error(${JSON.stringify(BINDING_ERROR)});`);
  try {
    const s = selectBackend(load, withTensorflow);
    assert.equal(s.backend, "cpu");
    assert.match(s.nativeUnavailable ?? "", /installed but did not load/);
    assert.match(s.nativeUnavailable ?? "", /tfjs_binding\.node/);
    assert.doesNotMatch(s.nativeUnavailable ?? "", /\n/, "the reason must fit on one line");
  } finally {
    cleanup();
  }
});

test("tfjs-node installed but a dependency is missing: not mistaken for 'not installed'", () => {
  const { load, cleanup } = loaderWith(`require("@mapbox/node-pre-gyp-that-is-absent");`);
  try {
    const s = selectBackend(load, withTensorflow);
    assert.equal(s.backend, "cpu");
    assert.match(s.nativeUnavailable ?? "", /installed but did not load/);
  } finally {
    cleanup();
  }
});

test("tfjs-node loads and registers 'tensorflow': the native backend is selected", () => {
  const { load, cleanup } = loaderWith(`module.exports = { fake: true };`);
  const requested: string[] = [];
  try {
    const s = selectBackend((id) => (requested.push(id), load(id)), withTensorflow);
    assert.deepEqual(requested, ["@tensorflow/tfjs-node"]);
    assert.equal(s.backend, "tensorflow");
    assert.equal(s.nativeUnavailable, undefined);
  } finally {
    cleanup();
  }
});

test("tfjs-node loads but registers no backend: cpu, with the reason", () => {
  const { load, cleanup } = loaderWith(`module.exports = {};`);
  try {
    const s = selectBackend(load, withoutTensorflow);
    assert.equal(s.backend, "cpu");
    assert.match(s.nativeUnavailable ?? "", /registered no 'tensorflow' backend/);
  } finally {
    cleanup();
  }
});

test("in this environment the active backend is cpu, described on one line", () => {
  assert.equal(tf.getBackend(), "cpu");
  assert.equal(BACKEND.name, "cpu");
  assert.equal(BACKEND.native, false);
  assert.match(BACKEND.description, /^tfjs 4\.22\.0, backend cpu \(pure JS; @tensorflow\/tfjs-node /);
  assert.doesNotMatch(BACKEND.description, /\n/);
  assert.deepEqual(backendInfo(), BACKEND);
});

test("a backend already chosen by user code is kept", () => {
  const info = activateBackend({ backend: "tensorflow" });
  assert.equal(info.name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
});

/** Runs `code` (CommonJS, cwd = repo root) in a child Node with tsx; returns its combined output. */
function runChild(code: string): { out: string; status: number | null } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { out: `${r.stdout}\n${r.stderr}`, status: r.status };
}

const USE_TF = `tf.tidy(() => tf.square(tf.tensor([1, 2]))).print(); console.warn("other-warning-still-shown");`;

test("importing the library module and using tf prints no banner, other warnings still pass", () => {
  const { out, status } = runChild(`const { tf } = require("./lib/tf/backend"); ${USE_TF}`);
  assert.equal(status, 0, out);
  assert.match(out, /\[1, 4\]/, "the child must actually have run ops");
  assert.match(out, /other-warning-still-shown/, "console.warn must be restored after start-up");
  assert.doesNotMatch(out, /Hi, looks like|Hi there|tfjs-node for more details/);
});

test("control: plain @tensorflow/tfjs does print the banner (so the check above can fail)", () => {
  const { out, status } = runChild(`const tf = require("@tensorflow/tfjs"); ${USE_TF}`);
  assert.equal(status, 0, out);
  assert.match(out, /Hi, looks like you are running TensorFlow\.js in Node\.js/);
});
