#!/usr/bin/env node
// Runs the CLI from the TypeScript sources in a development checkout (so no build step is needed),
// and from the compiled dist/ when installed as a package.
// The SDK's Node.js 20 end-of-support warning would otherwise be printed by every command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A reader that stops early (`| head`) is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
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
