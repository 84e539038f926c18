/**
 * `npm run bench [name...]`: runs every bench/*.bench.ts (or those whose file name contains a given name)
 * one after another. Each prints its own table; targets are ratios against a baseline measured in the same
 * run, never absolute times, because these machines are shared and noisy.
 */
// The SDK's Node.js 20 end-of-support warning is noise in benchmark tables.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import * as fs from 'node:fs';
import * as path from 'node:path';

async function main(): Promise<void> {
  // Options (`--json`, `--stacks=10,100`) are the benches' own; the rest name benches.
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  // npm keeps `--json` for itself (`npm run bench scale --json`) and says so in npm_config_json.
  const json = process.argv.includes('--json') || process.env.npm_config_json === 'true';
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
    .sort();
  for (const file of files) {
    // With --json, stdout is the benches' JSON alone.
    (json ? console.error : console.log)(`\n== ${file.replace(/\.bench\.ts$/, '')} ==`);
    const mod = (await import(path.join(__dirname, file))) as { default: () => Promise<void> };
    await mod.default();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
