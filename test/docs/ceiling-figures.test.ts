/**
 * The ceilings' figures live in code (reconciler/state/ceilings.ts: each default and the least the option
 * takes); the README, docs/ and the schema's descriptions (spec/ may not import the reconciler) repeat them
 * in words. Each mention is read here against the code, so that a changed default (the Fargate ceiling's
 * went from 32 to 64 when it began to count the rollout) cannot leave a page saying the old one.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CEILINGS } from '../../reconciler/state/ceilings';
import { desiredStateSchema } from '../../spec/schema';

const ROOT = resolve(__dirname, '..', '..');
/** A file's text with every run of whitespace one space, so that a figure may wrap. */
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8').replace(/\s+/g, ' ');

const R = CEILINGS.reservedConcurrency;
const F = CEILINGS.fargateVcpus;

describe('the ceilings figures in the docs are the code’s', () => {
  it.each([
    [
      'README.md',
      `\`${R.option}\` the most one stack's \`lambda.reservedConcurrency\` may reserve of the region's Lambda concurrency (${R.defaultValue} unless given)`,
    ],
    ['README.md', `One stack may reserve at most ${R.defaultValue} of the region's Lambda`],
    [
      'README.md',
      `\`${F.option}\` the most vCPUs one stack's Fargate tier may run, a rollout included, \`fargate.maxTasks\` × 2 × the vCPUs of \`fargate.cpu\` (${F.defaultValue} unless given;`,
    ],
    ['README.md', `one stack's Fargate tier may run at most ${F.defaultValue} vCPUs`],
    ['docs/aws-facts.md', `\`bootstrap ${R.option}\`, ${R.defaultValue} by default`],
    ['docs/aws-facts.md', `\`bootstrap ${F.option}\`, ${F.defaultValue} by default`],
    ['docs/design.md', `${R.option}\` keeps in the system record (${R.defaultValue} by default`],
    ['docs/design.md', `${F.option}\` keeps there (${F.defaultValue} by default`],
    ['docs/security.md', `The default, when no bootstrap ever gave one, is **${R.defaultValue}**`],
    ['docs/security.md', `The default, when no bootstrap ever gave one, is **${F.defaultValue}**`],
    ['docs/security.md', `${F.option} N\` (a whole number of vCPUs, ${F.least} or more)`],
  ])('%s says %s', (file, phrase) => {
    expect(read(file)).toContain(phrase);
  });

  it('the schema describes each field a ceiling reads with its default', () => {
    const { lambda, fargate } = desiredStateSchema.properties;
    expect(lambda.properties.reservedConcurrency.description).toContain(
      `\`lambdaflex bootstrap ${R.option}\` (${R.defaultValue} unless given)`,
    );
    expect(fargate.properties.maxTasks.description).toContain(
      `\`lambdaflex bootstrap ${F.option}\` (${F.defaultValue} unless given)`,
    );
  });

  it('no page gives the Fargate ceiling its old default (32 vCPUs of maxTasks alone)', () => {
    for (const file of ['README.md', 'docs/aws-facts.md', 'docs/design.md', 'desired-state.schema.json']) {
      expect(read(file)).not.toMatch(/\b32 (unless given|by default)/);
    }
  });
});
