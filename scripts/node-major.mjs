/**
 * The Node.js major version the bundles target, read from reconciler/runtime/node-major.json: the same
 * number the reconciler Lambda's runtime and the image's base are made from (reconciler/runtime/).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'reconciler', 'runtime', 'node-major.json');

/** @type {number} */
export const NODE_MAJOR = JSON.parse(readFileSync(file, 'utf8')).nodeMajor;
