import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context';

/** The package's version, read from its package.json (two folders up, from the sources and from dist/). */
export function packageVersion(): string {
  for (const up of [
    ['..', '..'],
    ['..', '..', '..'],
  ]) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, ...up, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'lambdaflex' && pkg.version) return pkg.version;
    } catch {
      // not this folder
    }
  }
  return 'unknown';
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('version')
    .description('Print the version of lambdaflex and of Node.js it runs on.')
    .action(() => {
      ctx.out(`lambdaflex ${packageVersion()} (Node.js ${process.version})`);
    });
}
