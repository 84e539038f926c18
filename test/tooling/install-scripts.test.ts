/**
 * npm runs no dependency's install script unless package.json's `allowScripts` names it, and ends every
 * `npm install` with a warning for each one it names neither way: the README's first command must finish
 * without one. Every package of the lock file that has an install script is allowed (true) or refused
 * (false) on purpose.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function json(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, name), 'utf8')) as Record<string, unknown>;
}

describe('install scripts', () => {
  it('are each allowed or refused in package.json', () => {
    const lock = json('package-lock.json') as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    expect(withScripts.length).toBeGreaterThan(0);
    const decided = Object.keys((json('package.json').allowScripts ?? {}) as Record<string, boolean>);
    expect(withScripts.filter((name) => !decided.includes(name))).toEqual([]);
  });

  it('do not include the install analytics of @scarf/scarf (swagger-ui-dist sends them home)', () => {
    const allowed = json('package.json').allowScripts as Record<string, boolean>;
    expect(allowed['@scarf/scarf']).toBe(false);
  });
});
