/**
 * `npm run bundle`: the reconciler Lambda as one minified CommonJS file for the Node.js of reconciler/runtime/
 * (dist/reconciler-lambda/index.js, exporting `handler`) and its deployment zip
 * (dist/reconciler-lambda.zip), which `lambdaflex bootstrap` uploads.
 *
 * The AWS SDK is bundled rather than taken from the runtime: the runtime's copy lags behind, and
 * tree-shaken clients start faster than the full packages resolved from disk.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import console from 'node:console';
import process from 'node:process';
import { build } from 'esbuild';
import { NODE_MAJOR } from './node-major.mjs';
import { zipFiles } from './zip.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'reconciler-lambda');

export async function bundle({ quiet = false } = {}) {
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, 'reconciler', 'handler.ts')],
    // Inputs in the metafile relative to the package, where `lambdaflex bootstrap` checks their age.
    absWorkingDir: root,
    bundle: true,
    minify: true,
    platform: 'node',
    target: `node${NODE_MAJOR}`,
    format: 'cjs',
    outfile: join(outDir, 'index.js'),
    metafile: true,
    legalComments: 'none',
    logLevel: quiet ? 'silent' : 'warning',
    // The schema JSON the spec validator reads is inlined like any other import.
    loader: { '.json': 'json' },
  });
  const js = await readFile(join(outDir, 'index.js'));
  const zip = zipFiles([{ name: 'index.js', data: js }]);
  const zipPath = join(root, 'dist', 'reconciler-lambda.zip');
  await writeFile(zipPath, zip);
  await writeFile(join(outDir, 'meta.json'), JSON.stringify(result.metafile));
  if (!quiet) console.log(`bundle: ${js.length} bytes; zip: ${zip.length} bytes → ${zipPath}`);
  return { jsPath: join(outDir, 'index.js'), zipPath, jsBytes: js.length, zipBytes: zip.length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  bundle().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
