/**
 * `npm run bench [name...]`: runs every bench/*.bench.ts (or those whose file name contains a given name)
 * one after another. Each prints its own table; targets are ratios against a baseline measured in the same
 * run, never absolute times, because these machines are shared and noisy.
 */
// The SDK's Node.js 20 end-of-support warning is noise in benchmark tables.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import * as fs from 'node:fs';
import * as path from 'node:path';
import { BenchInputError, helpText, requestProblem, type BenchFile } from './help';

function benchFiles(): BenchFile[] {
  return fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.bench\.ts$/, ''),
      text: fs.readFileSync(path.join(__dirname, f), 'utf8'),
    }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // Options (`--json`, `--stacks=10,100`) are the benches' own; the rest name benches.
  const filters = args.filter((a) => !a.startsWith('-'));
  const benches = benchFiles();
  if (args.includes('--help') || args.includes('-h')) {
    const named = benches.filter((b) => filters.some((name) => b.name.includes(name)));
    console.log(helpText(benches, named));
    return;
  }
  const problem = requestProblem(benches, args);
  if (problem) throw new BenchInputError(problem);
  // npm keeps `--json` for itself (`npm run bench scale --json`) and says so in npm_config_json.
  const json = args.includes('--json') || process.env.npm_config_json === 'true';
  const files = benches
    .filter((b) => filters.length === 0 || filters.some((name) => b.name.includes(name)))
    .map((b) => `${b.name}.bench.ts`);
  for (const file of files) {
    // With --json, stdout is the benches' JSON alone.
    (json ? console.error : console.log)(`\n== ${file.replace(/\.bench\.ts$/, '')} ==`);
    const mod = (await import(path.join(__dirname, file))) as { default: () => Promise<void> };
    await mod.default();
  }
}

main().catch((error: unknown) => {
  // A wrong request is said in a line and exits 2; anything else is a bug, shown whole.
  if (error instanceof BenchInputError) {
    console.error(`npm run bench: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
