/**
 * Every stack has a Lambda tier, and Lambda runs a container image only from a private Amazon ECR
 * repository (`<account>.dkr.ecr.<region>.amazonaws.com`, `.amazonaws.com.cn` in China) in the function's
 * own region, of any account there; not from another registry, ECR Public, or an ECR FIPS endpoint
 * (docs/aws-facts.md). The schema takes any image reference, since the region is the caller's to know:
 * this says what Lambda would refuse, for a caller that knows it (the CLI) or not yet.
 */

import type { SpecError } from './types';

const PRIVATE_ECR = /^\d{12}\.dkr\.ecr\.([a-z]{2,4}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(?:\.cn)?\//;

/** The region of the private ECR repository the image is in, or undefined when it is in none. */
export function ecrRegionOf(image: string): string | undefined {
  return PRIVATE_ECR.exec(image)?.[1];
}

/**
 * Why Lambda would refuse the image for a function in `region` (undefined: not known, the repository's
 * own region is not checked), or undefined when it would run it. Phrased to follow `image: `.
 *
 * @example
 * lambdaImageProblem('nginx:1.27', 'us-east-1') // 'must be in a private Amazon ECR repository (…) (push it to one in us-east-1)'
 */
export function lambdaImageProblem(image: string, region: string | undefined): string | undefined {
  const repositoryRegion = ecrRegionOf(image);
  if (repositoryRegion === undefined) {
    return (
      'must be in a private Amazon ECR repository (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>): ' +
      `Lambda runs no other image${region ? ` (push it to one in ${region})` : ''}`
    );
  }
  if (region !== undefined && repositoryRegion !== region) {
    return `is in ${repositoryRegion}, and Lambda runs images from the stack's region only (${region}): replicate the repository to ${region}`;
  }
  return undefined;
}

/**
 * The image's problem as spec errors, for a document `validateSpec` may have refused for other fields:
 * so that one answer names every problem, the image's too. Nothing when the schema already named the
 * image (its shape is wrong) or when it is not a string.
 *
 * @example
 * lambdaImageErrors({ stack: 'A', image: 'nginx' }, [{ path: 'stack', message: '…' }], 'us-east-1')
 * // [{ path: 'image', message: 'must be in a private Amazon ECR repository (…)' }]
 */
export function lambdaImageErrors(
  doc: unknown,
  errors: readonly SpecError[],
  region: string | undefined,
): SpecError[] {
  const image = (doc as { image?: unknown } | null)?.image;
  if (typeof image !== 'string' || errors.some((e) => e.path === 'image')) return [];
  const problem = lambdaImageProblem(image, region);
  return problem ? [{ path: 'image', message: problem }] : [];
}
