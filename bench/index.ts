/**
 * Benchmark entry point: `npm run bench -- <name> [--json]` runs bench/<name>.ts; with no name it
 * runs every benchmark. Each benchmark module exports `run(json: boolean): Promise<void>`.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

async function main() {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const names = args.filter((a) => !a.startsWith("--"));
  const available = readdirSync(__dirname)
    .filter((f) => f.endsWith(".ts") && f !== "index.ts" && !f.startsWith("_"))
    .map((f) => f.slice(0, -3))
    .sort();
  const chosen = names.length > 0 ? names : available;
  for (const name of chosen) {
    if (!available.includes(name)) {
      console.error(`unknown benchmark '${name}'; available: ${available.join(", ")}`);
      process.exit(2);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(__dirname, name)) as { run(json: boolean): Promise<void> };
    await mod.run(json);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
