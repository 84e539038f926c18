import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  BenchInputError,
  docComment,
  documentedOptions,
  helpText,
  positiveIntegers,
  requestProblem,
  summary,
} from '../../bench/help';

const scale = {
  name: 'scale',
  text: '/**\n * Fleets. Measured at N stacks.\n *\n * `--stacks=10,100` picks the sizes; `--progress` prints.\n */\nimport x;\n',
};
const sim = { name: 'sim', text: '/**\n * The simulated AWS.\n * 1. Calls per second.\n */\n' };
const benches = [scale, sim];

describe('bench help, read from the benches’ doc comments', () => {
  it('takes the leading doc comment without its stars, and its first sentence', () => {
    expect(docComment(scale.text)).toBe(
      'Fleets. Measured at N stacks.\n\n`--stacks=10,100` picks the sizes; `--progress` prints.',
    );
    expect(summary(scale.text)).toBe('Fleets.');
    expect(summary(sim.text)).toBe('The simulated AWS.');
    expect(summary('/** ' + 'word '.repeat(40) + '*/', 20)).toBe('word word word word…');
    expect(docComment('const x = 1;')).toBe('');
  });

  it('lists the options a bench documents', () => {
    expect(documentedOptions(scale.text)).toEqual(['progress', 'stacks']);
    expect(documentedOptions(sim.text)).toEqual([]);
  });

  it('lists every bench, or documents the named ones whole', () => {
    const all = helpText(benches, []);
    expect(all).toContain('  scale  Fleets.');
    expect(all).toContain('  sim    The simulated AWS.');
    expect(helpText(benches, [scale])).toBe(`npm run bench scale\n\n${docComment(scale.text)}\n`);
  });

  it('refuses a name that matches no bench, naming the benches', () => {
    expect(requestProblem(benches, ['scal'])).toBeUndefined();
    expect(requestProblem(benches, ['nosuch'])).toBe('no bench named nosuch (benches: scale, sim)');
  });

  it('refuses an option the chosen benches do not document, and takes the ones they do', () => {
    expect(requestProblem(benches, ['scale', '--stacks=10', '--progress', '--json'])).toBeUndefined();
    expect(requestProblem(benches, ['sim', '--stacks=10'])).toBe(
      'unknown option --stacks for sim (see npm run bench sim -- --help)',
    );
    expect(requestProblem(benches, ['--stacks=10'])).toBeUndefined();
    expect(requestProblem(benches, ['--stack=10'])).toMatch(/^unknown option --stack for any bench/);
  });

  it('reads whole numbers of at least 1, and says which option is wrong otherwise', () => {
    expect(positiveIntegers('stacks', undefined)).toBeUndefined();
    expect(positiveIntegers('stacks', '10,100')).toEqual([10, 100]);
    for (const bad of ['', 'abc', '0', '1.5', '10,,100', '-3'])
      expect(() => positiveIntegers('stacks', bad)).toThrow(
        new BenchInputError(`--stacks=${bad}: give whole numbers of at least 1, separated by commas`),
      );
  });
});

describe('npm run bench, asked wrongly or for help', () => {
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, '../../bench/run.ts'), ...args],
      {
        encoding: 'utf8',
        env: { ...process.env, npm_config_json: '' },
      },
    );

  it('prints help and runs nothing', () => {
    const out = run('scale', '--help');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('--switch-max');
    expect(out.stdout + out.stderr).not.toContain('== scale ==');
  });

  it('exits 2 with one line for an unknown bench or option', () => {
    const name = run('nosuch');
    expect(name.status).toBe(2);
    expect(name.stderr.trim()).toMatch(/^npm run bench: no bench named nosuch \(benches: .*scale.*\)$/);
    const option = run('scale', '--bogus');
    expect(option.status).toBe(2);
    expect(option.stderr.trim()).toBe(
      'npm run bench: unknown option --bogus for scale (see npm run bench scale -- --help)',
    );
  });
});
