/**
 * The Node.js version LambdaFlex runs on, in one place: the reconciler Lambda's managed runtime
 * (`nodejs24.x`), the service image's base (`public.ecr.aws/lambda/nodejs:24`, checked against the
 * Dockerfile by a test) and the bundles' esbuild target (`node24`, read from node-major.json by
 * scripts/bundle*.mjs, which cannot import TypeScript).
 *
 * Lambda deprecates a runtime when its language version reaches end of life; some weeks later it
 * blocks creating functions on it, then updating them. A test fails once the chosen runtime is past its
 * deprecation date, so that the move to the next one is made before Lambda forces it.
 *
 * Dates from AWS Lambda's runtime table (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html,
 * "Supported runtimes" and "Deprecated runtimes"), cross-checked with endoflife.date/aws-lambda. Block
 * dates are listed only where the sources gave them.
 */
import type { Runtime } from '@aws-sdk/client-lambda';
import nodeMajorFile from './node-major.json';

export interface LambdaRuntime {
  /** Lambda's runtime identifier. */
  id: Runtime;
  nodeMajor: number;
  /** ISO date (UTC) from which Lambda no longer patches it. */
  deprecation: string;
  /** ISO date from which UpdateFunctionConfiguration/Code are refused, where known. */
  blockUpdate?: string;
}

export const NODE_LAMBDA_RUNTIMES: readonly LambdaRuntime[] = [
  { id: 'nodejs24.x', nodeMajor: 24, deprecation: '2028-04-30', blockUpdate: '2028-07-01' },
  { id: 'nodejs22.x', nodeMajor: 22, deprecation: '2027-04-30', blockUpdate: '2027-07-01' },
  { id: 'nodejs20.x', nodeMajor: 20, deprecation: '2026-04-30' },
  { id: 'nodejs18.x', nodeMajor: 18, deprecation: '2025-09-01' },
];

/** The Node.js major version of the reconciler function, the image and the bundles. */
export const NODE_MAJOR: number = nodeMajorFile.nodeMajor;

function runtimeOf(major: number): LambdaRuntime {
  const runtime = NODE_LAMBDA_RUNTIMES.find((r) => r.nodeMajor === major);
  if (!runtime) throw new Error(`no Lambda runtime known for Node.js ${major} (reconciler/runtime/)`);
  return runtime;
}

/** `nodejs24.x`: the reconciler function's runtime. */
export const NODE_LAMBDA_RUNTIME: LambdaRuntime['id'] = runtimeOf(NODE_MAJOR).id;

/** The AWS Lambda base image the service image is built on (Dockerfile's BASE_IMAGE). */
export const NODE_BASE_IMAGE = `public.ecr.aws/lambda/nodejs:${NODE_MAJOR}`;

/** Whether `id` is past its deprecation date at `now` (epoch ms); unknown runtimes count as past. */
export function isDeprecated(id: string, now: number): boolean {
  const runtime = NODE_LAMBDA_RUNTIMES.find((r) => r.id === id);
  return !runtime || Date.parse(`${runtime.deprecation}T00:00:00Z`) <= now;
}
