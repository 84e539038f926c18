#!/usr/bin/env node
// Runs the CLI from the TypeScript sources in a development checkout (so no build step is needed),
// and from the compiled dist/ when installed as a package.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'cli', 'main.ts');
let useSource = fs.existsSync(source);
if (useSource) {
  try {
    require.resolve('@swc-node/register');
  } catch {
    useSource = false;
  }
}
if (useSource) {
  require('@swc-node/register');
  require(source).main(process.argv);
} else {
  require(path.join(root, 'dist', 'cli', 'main.js')).main(process.argv);
}
