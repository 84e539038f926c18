/**
 * The shared image's two entry points as bundles: dist/image/lambda.js (exports `handler`) and
 * dist/image/main.js (the HTTP server). `npm run build` runs it after tsc; entrypoint.sh starts these files.
 * `node scripts/bundle-service.mjs [outDir]` writes them elsewhere (the tests do).
 *
 * Why a bundle: a Lambda cold start spent most of its time resolving and reading the ~1,000 files of Nest,
 * Express and their dependencies. One file is read and compiled at once.
 *
 * The project's TypeScript goes through TypeScript's own per-file transpiler with tsconfig.json's options,
 * so the bundle holds what `tsc` emits: esbuild cannot emit the decorator metadata Nest's dependency
 * injection reads, and SWC's metadata names a type-only import's global namesake (`Response` → the fetch
 * global, whose first use loads undici, ~30 ms of a cold start).
 *
 * Left outside the bundle, resolved from the image's node_modules at run time:
 * - the packages Nest requires only when a feature we do not use is asked for (microservices, websockets,
 *   class-validator, class-transformer); they are not installed, and Nest never asks for them here;
 * - code a cold start never runs, since V8 still reads and scans every byte of the bundle (~40 ms per MB
 *   here): the AWS SDK (loaded by the state store on the first request that reads the table),
 *   @nestjs/swagger with lodash, js-yaml and swagger-ui-dist (loaded on the first /docs request; see
 *   service/swagger), iconv-lite (body-parser's charset decoder, ~480 kB of code pages, for bodies that are
 *   not UTF-8) and @nestjs/platform-express's index (with Multer), which Nest requires only when it is not
 *   handed an adapter; service/app.ts hands it one.
 *
 * Minified by whitespace only: renaming identifiers makes the file smaller but slower for V8 to compile
 * (measured: a cold start ~30 ms slower), and the cold start is what the bundle is for.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import console from 'node:console';
import process from 'node:process';
import { build } from 'esbuild';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Output file (without .js) → source, relative to the project root. */
export const ENTRY_POINTS = { lambda: 'service/lambda.ts', main: 'service/main.ts' };
export const DEFAULT_OUT_DIR = 'dist/image';

/** Resolved from node_modules at run time; see the header. */
const NOT_BUNDLED = [
  '@nestjs/microservices',
  '@nestjs/microservices/*',
  '@nestjs/websockets',
  '@nestjs/websockets/*',
  '@nestjs/platform-socket.io',
  'class-validator',
  'class-transformer',
  'class-transformer/*',
  '@nestjs/swagger',
  'swagger-ui-dist',
  '@aws-sdk/*',
  '@smithy/*',
  'iconv-lite',
];

/**
 * Packages left out by their exact name only: esbuild's `external` would also leave out their subpaths,
 * and the bundle needs `@nestjs/platform-express/adapters/express-adapter` inside.
 */
const exactExternals = {
  name: 'exact-externals',
  setup(b) {
    b.onResolve({ filter: /^@nestjs\/platform-express$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * JSON modules as `JSON.parse` of a string: V8 scans a string literal far faster than it parses the same
 * data as an object literal, and mime-db's ~150 kB database is loaded by every cold start (Express's
 * mime-types builds its lookup tables from it when it loads).
 */
const jsonAsParse = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, async (args) => {
      const data = JSON.parse(await readFile(args.path, 'utf8'));
      return {
        contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(data))});`,
        loader: 'js',
      };
    });
  },
};

/** The project's own .ts files as `tsc` would emit them (decorator metadata); node_modules is JavaScript. */
function typescriptPlugin() {
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    { ...JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')).compilerOptions, sourceMap: false },
    root,
  );
  if (errors.length > 0) throw new Error(ts.flattenDiagnosticMessageText(errors[0].messageText, '\n'));
  return {
    name: 'typescript',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const source = await readFile(args.path, 'utf8');
        const { outputText } = ts.transpileModule(source, { compilerOptions: options, fileName: args.path });
        return { contents: outputText, loader: 'js' };
      });
    },
  };
}

/**
 * @param {{ outDir?: string, quiet?: boolean }} options outDir defaults to dist/image, and is emptied first
 * @returns {Promise<{ outDir: string, files: string[] }>}
 */
export async function bundleService({ outDir = join(root, DEFAULT_OUT_DIR), quiet = false } = {}) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([out, src]) => [out, join(root, src)])),
    bundle: true,
    // See the header. BUNDLE_MINIFY=0 keeps the code readable, for reading a CPU profile of a cold start.
    minifyWhitespace: process.env.BUNDLE_MINIFY !== '0',
    // For `node --enable-source-maps` when a stack trace must point at the sources; unused otherwise.
    sourcemap: 'linked',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: outDir,
    external: NOT_BUNDLED,
    plugins: [exactExternals, jsonAsParse, typescriptPlugin()],
    metafile: true,
    legalComments: 'none',
    logLevel: quiet ? 'silent' : 'warning',
  });
  // Beside the bundles, not among them: the image copies dist/image/ whole, and the metafile is for people.
  await writeFile(`${outDir}.meta.json`, JSON.stringify(result.metafile));
  const files = Object.keys(result.metafile.outputs);
  if (!quiet) {
    for (const [file, { bytes }] of Object.entries(result.metafile.outputs))
      console.log(`${file}: ${bytes} bytes`);
  }
  return { outDir, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ? resolve(process.argv[2]) : undefined;
  bundleService({ outDir }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
