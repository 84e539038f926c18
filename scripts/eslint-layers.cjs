/**
 * The layer rule of docs/architecture.md, as an ESLint rule (`layers/allowed-imports`, run by `npm run lint`):
 * each top-level folder imports only the folders below it, so that there is no circle between folders and
 * no arrow back up. Every relative import, export-from, dynamic import() and require() is resolved against
 * the repo and checked; imports of npm packages are not ours to check.
 *
 * CommonJS so that eslint.config.mjs and the jest test (test/tooling/) load the same table.
 */
const path = require('node:path');

/** Which folders each layer may import, besides its own. Bottom to top: each lists only layers above it in this table. */
const LAYERS = {
  util: [],
  'aws-facts': ['util'],
  spec: ['util', 'aws-facts'],
  'aws-sim': ['util', 'aws-facts'],
  reconciler: ['util', 'aws-facts', 'spec'],
  service: ['util', 'aws-facts', 'spec', 'reconciler'],
  simulation: ['util', 'aws-facts', 'spec', 'reconciler', 'aws-sim'],
  cli: ['util', 'aws-facts', 'spec', 'reconciler', 'aws-sim', 'simulation'],
  sandbox: ['util', 'aws-facts', 'spec', 'reconciler', 'aws-sim', 'simulation', 'cli', 'service'],
};

/** Files at the root of the repo that belong to a layer. */
const ROOT_FILES = { 'desired-state.schema.json': 'spec' };

/** Outside the layers: tests, benchmarks, examples and build scripts may import any layer. */
const OUTSIDE = ['test', 'bench', 'examples', 'scripts'];

/**
 * Inside the reconciler, the parts a pass is made of never import the pass (its stages in pass/ and the
 * files that run it) nor what runs passes (dispatch/, bootstrap/). Helpers at the top of reconciler/
 * (concurrency.ts, status.ts, lease-keeper.ts) are not the pass.
 */
const RECONCILER_PARTS = ['aws', 'state', 'engine', 'resources', 'decide', 'traffic', 'iam', 'runtime'];
const RECONCILER_ABOVE_PARTS = ['pass', 'dispatch', 'bootstrap'];
const RECONCILER_PASS_FILES = ['reconcile', 'reconcile-all', 'handler', 'run-until-settled', 'plan-spec'];

const WHY = {
  util: 'the pure utilities depend on nothing',
  'aws-facts': "AWS's documented facts depend only on the pure utilities",
  'aws-sim':
    "the simulated account depends only on the SDK, the pure utilities, AWS's documented facts and its own code",
  spec: "the contract depends only on the pure utilities and AWS's documented facts",
  reconciler: 'the product never depends on the simulation, the sandbox, the CLI or the service',
  service: 'the service runs in AWS: no simulation, CLI or sandbox in it',
  simulation: 'the simulation never depends on the CLI or the sandbox',
  cli: 'nothing below the sandbox imports it',
};

/** The layer of a repo-relative path ('' when outside every layer). */
function layerOf(relative) {
  const first = relative.split('/')[0];
  if (first in LAYERS) return first; // a file of the folder, or the folder itself (its index)
  return ROOT_FILES[first] ?? '';
}

/**
 * Why `fromFile` may not import `target` (both repo-relative, forward slashes), or undefined when it may.
 */
function violation(fromFile, target) {
  const from = layerOf(fromFile);
  if (!from) return undefined;
  if (target.startsWith('../') || path.posix.isAbsolute(target))
    return `${fromFile} imports ${target}, outside the repo`;
  const to = layerOf(target);
  const top = target.split('/')[0];
  if (!to) {
    if (OUTSIDE.includes(top)) return `${from}/ may not import ${top}/ (${target}): only the other way round`;
    return undefined; // a root file such as package.json
  }
  if (to !== from && !LAYERS[from].includes(to))
    return `${from}/ may not import ${to}/ (${target}): ${WHY[from] ?? 'see docs/architecture.md'}`;
  if (from === 'reconciler' && to === 'reconciler') {
    const [, part] = fromFile.split('/');
    const targetParts = target.split('/');
    const targetIsPassFile =
      targetParts.length === 2 && RECONCILER_PASS_FILES.includes(targetParts[1].replace(/\.[cm]?[jt]s$/, ''));
    if (
      RECONCILER_PARTS.includes(part) &&
      (targetIsPassFile || RECONCILER_ABOVE_PARTS.includes(targetParts[1]))
    )
      return `reconciler/${part}/ may not import ${target}: the parts of a pass never import what runs them (move the shared code down)`;
  }
  return undefined;
}

/** The repo-relative target of a relative specifier written in `file` (undefined for packages). */
function targetOf(root, file, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const absolute = path.resolve(path.dirname(file), specifier);
  return path.relative(root, absolute).split(path.sep).join('/');
}

const DEFAULT_ROOT = path.resolve(__dirname, '..');

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports follow the layers of docs/architecture.md' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: { layer: '{{why}} (docs/architecture.md)' },
  },
  create(context) {
    const root = context.options[0]?.root ?? DEFAULT_ROOT;
    const file = context.physicalFilename ?? context.filename;
    const relativeFile = path.relative(root, file).split(path.sep).join('/');
    if (relativeFile.startsWith('../') || !layerOf(relativeFile)) return {};
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const target = targetOf(root, file, source.value);
      if (target === undefined) return;
      const why = violation(relativeFile, target);
      if (why) context.report({ node: source, messageId: 'layer', data: { why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportEqualsDeclaration: (node) => check(node, node.moduleReference?.expression),
      CallExpression(node) {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        )
          check(node, node.arguments[0]);
      },
    };
  },
};

module.exports = {
  LAYERS,
  layerOf,
  violation,
  plugin: { meta: { name: 'layers' }, rules: { 'allowed-imports': rule } },
};
