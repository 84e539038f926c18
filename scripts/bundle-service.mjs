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
 * Packages that no cold start runs (Ajv, qs, mime-db) are bundled into files of their own under later/
 * (see LATER_PACKAGES), so that each is one file to read when it is needed and no bytes at start.
 *
 * Minified by whitespace only: renaming identifiers makes the file smaller but slower for V8 to compile
 * (measured: a cold start ~30 ms slower), and the cold start is what the bundle is for.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import console from 'node:console';
import process from 'node:process';
import { build } from 'esbuild';
import ts from 'typescript';
import { NODE_MAJOR } from './node-major.mjs';

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

/**
 * Work that dependencies do when they load, deferred to first use: a Lambda cold start loads them but does
 * not need the result to answer its first request. Each rewrite must find its text, or the build fails, so
 * that an upgrade which changes a file is noticed here rather than silently costing the cold start again.
 */
const DEFERRED_AT_LOAD = [
  {
    // Nest's loggers build an Intl date formatter when their module loads, for the timestamp of a log line.
    // The first Intl object of a process loads ICU's locale and time zone data: ~30 ms here, for lines a
    // service logging only warnings and errors prints rarely, and never while starting.
    file: /[\\/]@nestjs[\\/]common[\\/]services[\\/](console-)?logger\.service\.js$/,
    from: /const dateTimeFormatter = (new Intl\.DateTimeFormat\([^;]*\));/,
    to: 'const dateTimeFormatter = { format(date) { return (this.built ??= $1).format(date); } };',
  },
  // qs with its dependencies (side-channel, object-inspect, get-intrinsic and a dozen small packages:
  // ~85 kB, all run when qs loads) parses only urlencoded bodies (body-parser's urlencoded parser, which the
  // service does not register: it takes JSON only) and query strings under Express's "extended" parser (not
  // the default); both read nothing but `qs.parse`.
  // So each requires qs, bundled under later/, on its first parse.
  {
    file: /[\\/]body-parser[\\/]lib[\\/]types[\\/]urlencoded\.js$/,
    from: /^const qs = require\('qs'\)$/m,
    to: "const qs = { parse: (body, options) => require('qs').parse(body, options) }",
  },
  {
    file: /[\\/]express[\\/]lib[\\/]utils\.js$/,
    from: /^var qs = require\('qs'\);$/m,
    to: "var qs = { parse: (str, options) => require('qs').parse(str, options) };",
  },
];

/**
 * mime-types without mime-db at start. mime-types loads mime-db's ~2,500 types (160 kB of JSON) and fills
 * its extension ↔ type maps from them, scoring every conflict, as soon as Express loads it; a cold start then
 * reads only the charset of `application/json` (`res.json`'s Content-Type). So the bundled mime-types keeps
 * a table of the ~40 types that have a charset, taken from the same mime-db at build time, and requires
 * mime-db (bundled under later/) and fills its maps on the first read of `exports.types` or
 * `exports.extensions`: every extension lookup (`res.type('html')`, static files, `req.is('json')`) goes
 * through them. Each rewrite must find its text, or the build fails.
 */
const mimeTypesOnDemand = {
  name: 'mime-types-on-demand',
  setup(b) {
    b.onLoad({ filter: /[\\/]mime-types[\\/]index\.js$/ }, async (args) => {
      const db = JSON.parse(await readFile(createRequire(args.path).resolve('mime-db/db.json'), 'utf8'));
      const charsets = Object.fromEntries(
        Object.entries(db).flatMap(([type, { charset }]) => (charset ? [[type, { charset }]] : [])),
      );
      const rewrites = [
        [
          /^var db = require\('mime-db'\)$/m,
          `var charsets = JSON.parse(${JSON.stringify(JSON.stringify(charsets))})\nvar db // see fillMapsOnFirstRead`,
        ],
        // charset(): the only reader of the database outside populateMaps and its helpers.
        [/(var mime = match && )db(\[match\[1\]\.toLowerCase\(\)\])/, '$1charsets$2'],
        [
          /^populateMaps\(exports\.extensions, exports\.types\)$/m,
          `;(function fillMapsOnFirstRead () {
  var maps = { extensions: exports.extensions, types: exports.types }
  Object.keys(maps).forEach(function (name) {
    Object.defineProperty(exports, name, {
      configurable: true,
      enumerable: true,
      get: function () {
        if (!db) {
          db = require('mime-db')
          populateMaps(maps.extensions, maps.types)
        }
        return maps[name]
      },
      set: function (value) { maps[name] = value }
    })
  })
})()`,
        ],
      ];
      let source = await readFile(args.path, 'utf8');
      for (const [from, to] of rewrites) {
        if (!from.test(source)) {
          throw new Error(
            `${args.path} no longer matches ${from}: update mimeTypesOnDemand in bundle-service.mjs`,
          );
        }
        source = source.replace(from, to);
      }
      return { contents: source, loader: 'js' };
    });
  },
};

const deferAtLoad = {
  name: 'defer-at-load',
  setup(b) {
    for (const { file, from, to } of DEFERRED_AT_LOAD) {
      b.onLoad({ filter: file }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!from.test(source)) {
          throw new Error(
            `${args.path} no longer matches ${from}: update DEFERRED_AT_LOAD in bundle-service.mjs`,
          );
        }
        return { contents: source.replace(from, to), loader: 'js' };
      });
    }
  },
};

/**
 * One tslib. Nest's packages each carry their own copy (2.8 beside the project's 2.9), and each copy is
 * ~11 kB that runs at start. tslib's helpers hold no state, and a later 2.x only adds helpers, so every
 * `require("tslib")` gets the project's own, unless a package needs a newer one than it (the build fails).
 */
const oneTslib = {
  name: 'one-tslib',
  setup(b) {
    const requireFromRoot = createRequire(join(root, 'package.json'));
    const version = (packageJson) =>
      JSON.parse(readFileSync(packageJson, 'utf8')).version.split('.').map(Number);
    const rootPath = requireFromRoot.resolve('tslib');
    const [major, minor] = version(requireFromRoot.resolve('tslib/package.json'));
    b.onResolve({ filter: /^tslib$/ }, (args) => {
      const [theirMajor, theirMinor] = version(createRequire(args.importer).resolve('tslib/package.json'));
      if (theirMajor !== major || theirMinor > minor) {
        throw new Error(
          `${args.importer} needs tslib ${theirMajor}.${theirMinor}, newer than the project's: see oneTslib`,
        );
      }
      return { path: rootPath };
    });
  },
};

/**
 * RxJS reduced to what Nest reads from it. Nest requires `rxjs` and `rxjs/operators` whole, and their
 * CommonJS indexes load all of RxJS (~370 kB, every module run at start) for the ~20 functions Nest uses.
 * Each importing file gets a module of its own re-exporting, from RxJS's ES module build, exactly the names
 * that file reads; esbuild then leaves the rest of RxJS out (the package declares no side effects). The
 * names are read from the file: tsc's CommonJS binds `const rxjs_1 = require("rxjs")` once and only reads
 * `rxjs_1.name`. A file that uses the binding any other way fails the build, for it could read any name.
 */
const rxjsUsedNames = {
  name: 'rxjs-used-names',
  setup(b) {
    b.onResolve({ filter: /^rxjs(\/operators)?$/ }, (args) => {
      if (!args.importer.endsWith('.js')) return undefined; // see onLoad: only tsc's CommonJS is read
      return { path: `${args.importer}?${args.path}`, namespace: 'rxjs-used-names' };
    });
    b.onLoad({ filter: /.*/, namespace: 'rxjs-used-names' }, async (args) => {
      const at = args.path.lastIndexOf('?');
      const [importer, specifier] = [args.path.slice(0, at), args.path.slice(at + 1)];
      const source = await readFile(importer, 'utf8');
      const bindings = [...source.matchAll(/\b(?:const|var|let) (\w+) = require\("([^"]+)"\);/g)].filter(
        (m) => m[2] === specifier,
      );
      const binding = bindings.length === 1 ? bindings[0][1] : undefined;
      const uses = binding ? [...source.matchAll(new RegExp(`\\b${binding}\\b(\\.\\w+)?`, 'g'))] : [];
      // The binding's declaration is its one bare mention; everything else must read a property.
      if (!binding || uses.filter((m) => m[1] === undefined).length !== 1) {
        throw new Error(
          `${importer} uses ${specifier} in a way rxjs-used-names cannot follow; see bundle-service.mjs`,
        );
      }
      const names = [...new Set(uses.flatMap((m) => (m[1] ? [m[1].slice(1)] : [])))].sort();
      const esmIndex = createRequire(importer)
        .resolve(specifier)
        .replace(/([\\/]dist[\\/])cjs([\\/])/, '$1esm5$2');
      return {
        contents: `export { ${names.join(', ')} } from ${JSON.stringify(esmIndex)};`,
        loader: 'js',
        resolveDir: dirname(importer),
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
 * Packages that only a later request loads, each bundled into a file of its own beside the entry points:
 * V8 reads and scans every byte of an entry point's file at start, run or not. Ajv (~210 kB with fast-uri,
 * a dynamic `import()` in the service) validates a write's body; mime-db and qs are required on first use
 * by the rewrites above (mimeTypesOnDemand, DEFERRED_AT_LOAD).
 * Only packages that share no module with the entry points belong here: a module bundled into two files
 * is two modules, with two of every class and every piece of state.
 * Package → output file (without .js), relative to the output directory.
 */
const LATER_PACKAGES = {
  ajv: 'later/ajv',
  'ajv/dist/2020': 'later/ajv-2020',
  'mime-db': 'later/mime-db',
  qs: 'later/qs',
};

/** In the entry points, the packages above are required from their own files, resolved beside the bundle. */
const laterPackages = {
  name: 'later-packages',
  setup(b) {
    const names = Object.keys(LATER_PACKAGES).map((name) => name.replace(/[/.]/g, '\\$&'));
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => {
      const file = LATER_PACKAGES[args.path];
      return file ? { path: `./${file}.js`, external: true } : undefined;
    });
  },
};

/**
 * @param {{ outDir?: string, quiet?: boolean }} options outDir defaults to dist/image, and is emptied first
 * @returns {Promise<{ outDir: string, files: string[] }>}
 */
export async function bundleService({ outDir = join(root, DEFAULT_OUT_DIR), quiet = false } = {}) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    bundle: true,
    // See the header. BUNDLE_MINIFY=0 keeps the code readable, for reading a CPU profile of a cold start.
    minifyWhitespace: process.env.BUNDLE_MINIFY !== '0',
    // For `node --enable-source-maps` when a stack trace must point at the sources; unused otherwise.
    sourcemap: 'linked',
    platform: 'node',
    target: `node${NODE_MAJOR}`,
    format: 'cjs',
    outdir: outDir,
    external: NOT_BUNDLED,
    metafile: true,
    legalComments: 'none',
    logLevel: quiet ? 'silent' : 'warning',
  };
  const requireFromRoot = createRequire(join(root, 'package.json'));
  const [entries, later] = await Promise.all([
    build({
      ...common,
      entryPoints: Object.fromEntries(
        Object.entries(ENTRY_POINTS).map(([out, src]) => [out, join(root, src)]),
      ),
      plugins: [
        exactExternals,
        laterPackages,
        jsonAsParse,
        deferAtLoad,
        mimeTypesOnDemand,
        rxjsUsedNames,
        oneTslib,
        typescriptPlugin(),
      ],
    }),
    build({
      ...common,
      entryPoints: Object.fromEntries(
        Object.entries(LATER_PACKAGES).map(([pkg, out]) => [out, requireFromRoot.resolve(pkg)]),
      ),
      plugins: [jsonAsParse],
    }),
  ]);
  const result = {
    metafile: {
      inputs: { ...later.metafile.inputs, ...entries.metafile.inputs },
      outputs: { ...entries.metafile.outputs, ...later.metafile.outputs },
    },
  };
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
