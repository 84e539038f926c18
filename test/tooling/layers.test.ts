/**
 * The layer rule (scripts/eslint-layers.cjs, docs/architecture.md): a wrong import planted in a file fails
 * the lint, the right ones pass, the real tree passes, and `npm run lint` runs the rule.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const layers = require('../../scripts/eslint-layers.cjs') as {
  LAYERS: Record<string, string[]>;
  plugin: { rules: Record<string, unknown> };
};

const ROOT = resolve(__dirname, '..', '..');
const SOURCE = /\.(ts|js|mjs|cjs)$/;

/** Lints `code` as the file `file` (relative to `root`) with the layer rule alone; returns its messages. */
function lint(root: string, file: string, code: string): string[] {
  const linter = new Linter({ cwd: root });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
        languageOptions: { parser: tseslint.parser as Linter.Parser, sourceType: 'module' },
        plugins: { layers: layers.plugin as never },
        rules: { 'layers/allowed-imports': ['error', { root }] },
      },
    ],
    join(root, file),
  );
  // Only this rule runs: other rules named in the sources' eslint-disable comments are not loaded here.
  return messages
    .filter((m) => m.fatal || m.ruleId === 'layers/allowed-imports')
    .map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('the layer rule', () => {
  /** Lints `code` as the file `file` of the repo (the rule reads no files: nothing is written). */
  const plant = (file: string, code: string): string[] => lint(ROOT, file, code);

  it.each([
    [
      'aws-sim/core/planted.ts',
      `import type { AwsClients } from '../../reconciler/aws/clients';`,
      'aws-sim/ may not import reconciler/',
    ],
    [
      'aws-sim/services/ecs/planted.ts',
      `import { setTraffic } from '../../../simulation/traffic';`,
      'aws-sim/ may not import simulation/',
    ],
    [
      'reconciler/engine/planted.ts',
      `import { createSimulatedAws } from '../../aws-sim';`,
      'reconciler/ may not import aws-sim/',
    ],
    [
      'reconciler/planted.ts',
      `export { runSimulation } from '../simulation/simulate';`,
      'reconciler/ may not import simulation/',
    ],
    [
      'reconciler/decide/planted.ts',
      `import type { DecideInput } from '../reconcile';`,
      'reconciler/decide/ may not import reconciler/reconcile',
    ],
    [
      'reconciler/resources/ec2/planted.ts',
      `import { sweep } from '../../dispatch/sweep';`,
      'reconciler/resources/ may not import reconciler/dispatch/sweep',
    ],
    [
      'reconciler/decide/planted.ts',
      `import { decideStage } from '../pass/decide';`,
      'reconciler/decide/ may not import reconciler/pass/decide',
    ],
    [
      'reconciler/engine/planted.ts',
      `import { handler } from '../handler';`,
      'reconciler/engine/ may not import reconciler/handler',
    ],
    ['service/planted.ts', `const cli = require('../cli/main');`, 'service/ may not import cli/'],
    [
      'simulation/planted.ts',
      `const sandbox = import('../sandbox/sandbox');`,
      'simulation/ may not import sandbox/',
    ],
    [
      'simulation/traffic/planted.ts',
      `import { openAws } from '../../cli/aws';`,
      'simulation/ may not import cli/',
    ],
    ['cli/planted.ts', `import { startSandbox } from '../sandbox/sandbox';`, 'cli/ may not import sandbox/'],
    [
      'spec/planted.ts',
      `import type { StackRecord } from '../reconciler/state/types';`,
      'spec/ may not import reconciler/',
    ],
    [
      'aws-facts/planted.ts',
      `import { validateSpec } from '../spec/validate';`,
      'aws-facts/ may not import spec/',
    ],
    [
      'aws-facts/planted.ts',
      `import { SimAccount } from '../aws-sim';`,
      'aws-facts/ may not import aws-sim/',
    ],
    [
      'reconciler/planted.ts',
      `import { harness } from '../test/scenarios/harness';`,
      'reconciler/ may not import test/',
    ],
    [
      'util/planted.ts',
      `import { API_RATE_LIMITS } from '../aws-facts/api-rate-limits';`,
      'util/ may not import aws-facts/',
    ],
    [
      'util/planted.ts',
      `import type { StateStore } from '../reconciler/state/types';`,
      'util/ may not import reconciler/',
    ],
  ])('fails %s importing across a layer', (file, code, expected) => {
    const messages = plant(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('layers/allowed-imports');
    expect(messages[0]).toContain(expected);
  });

  it.each([
    [
      'sandbox/planted.ts',
      `import { openAws } from '../cli/aws';\nimport { createApp } from '../service/app';`,
    ],
    [
      'cli/planted.ts',
      `import { createSimulatedAws } from '../aws-sim';\nimport { runSimulation } from '../simulation/simulate';`,
    ],
    [
      'simulation/planted.ts',
      `import { reconcileStack } from '../reconciler/reconcile';\nimport { SimAccount } from '../aws-sim';`,
    ],
    [
      'reconciler/engine/planted.ts',
      `import { concurrencyLimit } from '../concurrency';\nimport { stackStatus } from '../status';`,
    ],
    ['reconciler/pass/planted.ts', `import { observe } from '../engine/observe';`],
    ['reconciler/dispatch/planted.ts', `import { reconcileStack } from '../reconcile';`],
    [
      'reconciler/resources/ec2/planted.ts',
      `import type { ManagedResource } from '../types';\nimport { TAG_STACK } from '../../../spec/names';`,
    ],
    [
      'service/planted.ts',
      `import schema from '../desired-state.schema.json';\nimport { Injectable } from '@nestjs/common';`,
    ],
    [
      'aws-sim/services/planted.ts',
      `import { EC2Client } from '@aws-sdk/client-ec2';\nimport { SimAccount } from '../core/account';`,
    ],
    ['test/planted.test.ts', `import { startSandbox } from '../sandbox/sandbox';`],
    ['spec/planted.ts', `import { isValidFargateSize } from '../aws-facts/fargate-sizes';`],
    ['aws-sim/services/ecs/planted.ts', `import { FARGATE_CPUS } from '../../../aws-facts/fargate-sizes';`],
    ['aws-sim/core/planted.ts', `import { takeToken } from '../../util/token-bucket';`],
    ['reconciler/aws/planted.ts', `import { takeToken } from '../../util/token-bucket';`],
    ['reconciler/state/planted.ts', `import { copyPlain } from '../../util/copy';`],
    ['aws-facts/planted.ts', `import type { TokenBucketSize } from '../util/token-bucket';`],
  ])('passes %s importing downwards', (file, code) => {
    expect(plant(file, code)).toEqual([]);
  });

  it('orders the layers bottom to top, so that the folders cannot import each other in a circle', () => {
    const order = Object.keys(layers.LAYERS);
    for (const [layer, allowed] of Object.entries(layers.LAYERS))
      for (const below of allowed) expect(order.indexOf(below)).toBeLessThan(order.indexOf(layer));
  });

  it('passes on the real tree', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : SOURCE.test(name) ? [path] : [];
      });
    const sources = Object.keys(layers.LAYERS).flatMap((layer) => files(join(ROOT, layer)));
    expect(sources.length).toBeGreaterThan(300);
    const offenders = sources.flatMap((path) => {
      const file = relative(ROOT, path).split(sep).join('/');
      return lint(ROOT, file, readFileSync(path, 'utf8')).map((m) => `${file}: ${m}`);
    });
    expect(offenders).toEqual([]);
  });

  it('is run by npm run lint, with the repo’s own ESLint configuration', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.lint).toMatch(/^eslint \./);
    const eslint = (file: string, code: string) =>
      spawnSync(
        process.execPath,
        [
          join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'),
          '--stdin',
          '--stdin-filename',
          file,
          '--format',
          'json',
        ],
        { cwd: ROOT, input: code, encoding: 'utf8' },
      );
    const planted = eslint(
      'aws-sim/core/planted.ts',
      `export type { AwsClients } from '../../reconciler/aws/clients';\n`,
    );
    expect(planted.status).toBe(1);
    const [result] = JSON.parse(planted.stdout) as { messages: { ruleId: string }[] }[];
    expect(result!.messages.map((m) => m.ruleId)).toEqual(['layers/allowed-imports']);
    const fine = eslint('aws-sim/core/planted.ts', `export type { ServiceName } from './clients';\n`);
    expect(fine.status).toBe(0);
  });
});
