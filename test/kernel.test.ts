/**
 * `npm run kernel` (tools/kernel.ts): writes a kernelspec for the project-local tslab into a
 * temporary JUPYTER_DATA_DIR, twice, and checks that Jupyter (when installed) lists it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { jupyterDataDir } from "../tools/kernel";

const ROOT = path.resolve(__dirname, "..");

/** Runs the CLI exactly as `npm run kernel` does (tsx), with a private data folder. */
function runCli(dataDir: string): string {
  return execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "kernel.ts")], {
    cwd: ROOT,
    env: { ...process.env, JUPYTER_DATA_DIR: dataDir },
    encoding: "utf8",
  });
}

describe("npm run kernel", () => {
  it("writes kernels/tslab/kernel.json that runs the local tslab, idempotently", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "jupyter-data-"));
    try {
      const file = path.join(dataDir, "kernels", "tslab", "kernel.json");
      const out = runCli(dataDir);
      assert.ok(out.includes(file), `output should name ${file}:\n${out}`);
      const first = fs.readFileSync(file, "utf8");
      const spec = JSON.parse(first);
      assert.equal(spec.display_name, "TypeScript");
      assert.equal(spec.language, "typescript");
      const [node, bin, ...rest] = spec.argv as string[];
      assert.ok(path.isAbsolute(node) && fs.existsSync(node), `node: ${node}`);
      assert.equal(bin, path.join(ROOT, "node_modules", "tslab", "bin", "tslab"));
      assert.ok(fs.existsSync(bin));
      assert.deepEqual(rest, ["kernel", "--config-path", "{connection_file}"]);
      // The command really is tslab's CLI.
      assert.match(execFileSync(node, [bin, "--version"], { encoding: "utf8" }), /^tslab 1\./);

      runCli(dataDir);
      assert.equal(fs.readFileSync(file, "utf8"), first);
      assert.deepEqual(fs.readdirSync(path.join(dataDir, "kernels")), ["tslab"]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("is listed by Jupyter's own kernelspec manager", { skip: !fs.existsSync("/usr/bin/jupyter") && "no /usr/bin/jupyter" }, () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "jupyter-data-"));
    try {
      runCli(dataDir);
      const listing = JSON.parse(execFileSync("/usr/bin/jupyter", ["kernelspec", "list", "--json"], {
        env: { ...process.env, JUPYTER_DATA_DIR: dataDir }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
      }));
      const tslab = listing.kernelspecs.tslab;
      assert.equal(tslab?.resource_dir, path.join(dataDir, "kernels", "tslab"));
      assert.equal(tslab.spec.display_name, "TypeScript");
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("jupyterDataDir", () => {
  it("follows jupyter_core: JUPYTER_DATA_DIR, then the platform's folder", () => {
    const home = os.homedir();
    assert.equal(jupyterDataDir({ JUPYTER_DATA_DIR: "/x/y" }, "linux"), path.resolve("/x/y"));
    assert.equal(jupyterDataDir({}, "linux"), path.join(home, ".local", "share", "jupyter"));
    assert.equal(jupyterDataDir({ XDG_DATA_HOME: "/xdg" }, "linux"), path.join("/xdg", "jupyter"));
    assert.equal(jupyterDataDir({}, "darwin"), path.join(home, "Library", "Jupyter"));
    assert.equal(jupyterDataDir({ APPDATA: "/appdata" }, "win32"), path.join("/appdata", "jupyter"));
  });
});
