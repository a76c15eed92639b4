/**
 * `npm run kernel`: registers the project-local tslab as the Jupyter kernel `tslab` ("TypeScript").
 *
 * A kernelspec is only a folder with a `kernel.json`, so this needs no Python and no global tslab:
 * the spec runs `node <repo>/node_modules/tslab/bin/tslab kernel --config-path {connection_file}`.
 * It writes to the user's Jupyter data folder (`JUPYTER_DATA_DIR` if set), overwriting any earlier
 * spec of the same name, so running it twice is harmless.
 *
 * @module
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { COURSE_ROOT } from "./course-root";

/** The kernelspec name that notebooks refer to in `metadata.kernelspec.name`. */
export const KERNEL_NAME = "tslab";


/** Absolute path of the project-local tslab launcher script (`node_modules/tslab/bin/tslab`). */
export function tslabBin(): string {
  const pkgJson = require.resolve("tslab/package.json", { paths: [COURSE_ROOT] });
  const pkg = JSON.parse(fs.readFileSync(pkgJson, "utf8")) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.tslab;
  if (!bin) throw new Error(`${pkgJson} declares no "tslab" bin`);
  return path.join(path.dirname(pkgJson), bin);
}

/**
 * The command that starts the local tslab kernel with a given connection file: node (this very
 * executable, so Jupyter need not find node on its PATH) running tslab's bin script.
 */
export function kernelArgv(connectionFile = "{connection_file}"): string[] {
  return [process.execPath, tslabBin(), "kernel", "--config-path", connectionFile];
}

/**
 * The Jupyter data folder, as jupyter_core computes it: `JUPYTER_DATA_DIR`; else
 * `~/Library/Jupyter` (macOS), `%APPDATA%\jupyter` (Windows), `$XDG_DATA_HOME/jupyter` or
 * `~/.local/share/jupyter` (Linux and others).
 */
export function jupyterDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.JUPYTER_DATA_DIR) return path.resolve(env.JUPYTER_DATA_DIR);
  const home = os.homedir();
  if (platform === "darwin") return path.join(home, "Library", "Jupyter");
  if (platform === "win32") return env.APPDATA ? path.join(env.APPDATA, "jupyter") : path.join(home, ".jupyter", "data");
  return path.join(env.XDG_DATA_HOME || path.join(home, ".local", "share"), "jupyter");
}

/** The contents of `kernel.json`. */
export function kernelSpec(): { argv: string[]; display_name: string; language: string; interrupt_mode: string; metadata: object } {
  return {
    argv: kernelArgv(),
    display_name: "TypeScript",
    language: "typescript",
    interrupt_mode: "signal",
    metadata: { debugger: false, installedBy: "resnet-neural-ode-course: npm run kernel" },
  };
}

/** Writes `<data dir>/kernels/tslab/kernel.json` and returns its path. Idempotent. */
export function installKernelSpec(dataDir = jupyterDataDir()): string {
  const dir = path.join(dataDir, "kernels", KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "kernel.json");
  fs.writeFileSync(file, JSON.stringify(kernelSpec(), null, 2) + "\n");
  return file;
}

if (require.main === module) {
  const file = installKernelSpec();
  console.log(`Installed Jupyter kernel "${KERNEL_NAME}" (TypeScript, project-local tslab) at ${file}`);
  console.log(`  runs: ${kernelArgv().join(" ")}`);
}
