/**
 * The tiers' names are defined once (reconciler/decide/tier.ts): a second table could drift from it, and
 * reasons would then name a tier two ways.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { TIER_NAME } from '../../../reconciler/decide/tier';
import { withMoveProgress } from '../../../reconciler/decide/move-progress';

const ROOT = resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('TIER_NAME', () => {
  it('is defined in reconciler/decide/tier.ts and nowhere else in the reconciler', () => {
    const defining = sources(join(ROOT, 'reconciler'))
      .filter((path) => /\b(const|let|var)\s+TIER_NAME\b/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(ROOT, path).split(sep).join('/'));
    expect(defining).toEqual(['reconciler/decide/tier.ts']);
  });

  it('names the tiers in the move-progress reasons', () => {
    expect(withMoveProgress(`rate low: staying on ${TIER_NAME.lambda}`, 'lambda', 'Lambda')).toBe(
      'rate low: staying on Lambda',
    );
    expect(withMoveProgress(`rate high: staying on ${TIER_NAME.fargate}`, 'fargate', 'Pending')).toBe(
      'rate high: starting on Fargate (the stack is being created)',
    );
  });
});
