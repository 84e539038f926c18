import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

/** Each kind of bad input: the file's content (or none: unreadable), and what stderr must say. */
const cases: { kind: string; name: string; content?: string | object; expected: RegExp[] }[] = [
  {
    kind: 'an unreadable file',
    name: 'missing.json',
    expected: [/^\S*missing\.json: cannot read the file: no such file$/m],
  },
  {
    kind: 'malformed JSON',
    name: 'bad.json',
    content: '{\n  "stack": "orders-api",\n  "image": "x" "mode": "auto"\n}',
    expected: [/^\S*bad\.json(:3:\d+)?: malformed JSON: /],
  },
  {
    kind: 'malformed YAML',
    name: 'bad.yaml',
    content: 'stack: orders-api\nimage: [nginx\n',
    expected: [/^\S*bad\.yaml:\d+:\d+: malformed YAML: /],
  },
  {
    kind: 'a key given twice in JSON',
    name: 'twice.json',
    content: `{\n  "stack": "orders-api",\n  "image": "${IMAGE}",\n  "environment": { "DB_URL": "a", "DB_URL": "b" }\n}`,
    expected: [/^\S*twice\.json:4:\d+: environment\.DB_URL: appears more than once/m],
  },
  {
    kind: 'a key given twice in YAML',
    name: 'twice.yaml',
    content: `stack: orders-api\nimage: ${IMAGE}\nmode: auto\nmode: lambda\n`,
    expected: [/^\S*twice\.yaml:4:\d+: malformed YAML: .*unique/m],
  },
  {
    kind: 'an environment name Lambda refuses',
    name: 'env.json',
    content: { stack: 'orders-api', image: IMAGE, environment: { A: 'x', _X: 'y', LAMBDAFLEX_STACK: 'z' } },
    expected: [
      /^environment\.A: must match Lambda's/m,
      /^environment\._X: /m,
      /^environment\.LAMBDAFLEX_STACK: .*reserved/m,
    ],
  },
  {
    kind: 'an empty document',
    name: 'empty.yaml',
    content: '\n',
    expected: [/^\S*empty\.yaml: the document is empty$/m],
  },
  {
    kind: 'a schema violation',
    name: 'violation.json',
    content: { stack: 'Orders_API', image: IMAGE, fargate: { minTasks: 0 } },
    expected: [/^stack: /m, /^fargate\.minTasks: /m],
  },
  {
    // The image's rule is the CLI's, beyond the schema: it is named beside the schema's errors, not after them.
    kind: 'an image Lambda cannot run beside a schema violation',
    name: 'image.json',
    content: { stack: 'Orders_API', image: 'nginx:1.27', port: 0 },
    expected: [/^stack: /m, /^port: /m, /^image: must be in a private Amazon ECR repository /m],
  },
  {
    kind: 'an unknown field',
    name: 'unknown.yaml',
    content: `stack: orders-api\nimage: ${IMAGE}\ntresholds: {}\n`,
    expected: [/^tresholds: .*unknown/m],
  },
  {
    kind: 'a wrong type',
    name: 'type.json',
    content: { stack: 'orders-api', image: IMAGE, port: '8080' },
    expected: [/^port: /m],
  },
  {
    // `get -o yaml > file`, edited and applied, as kubectl would take it: the spec is under `spec`.
    kind: "a stack's whole record, as get -o yaml prints it",
    name: 'record.yaml',
    content: `stack: orders-api\nspec:\n  stack: orders-api\n  image: ${IMAGE}\n  mode: lambda\ngeneration: 3\nversion: 12\nevents: []\nstatus:\n  phase: Lambda\n`,
    expected: [
      /^spec: the document is the stack's whole record \(as `lambdaflex get orders-api -o yaml` prints it\); a desired state is its `spec` alone$/m,
      /^write the spec alone to a file: `lambdaflex --local get orders-api -o json \| jq \.spec > orders-api\.json`, then edit that file and use it$/m,
    ],
  },
  {
    // Its `stack` no stack name (here one ending in "-"): not put into the commands suggested.
    kind: 'a whole record whose stack is no stack name',
    name: 'odd-record.yaml',
    content: `stack: orders-\nspec:\n  stack: orders-\n  image: ${IMAGE}\ngeneration: 1\n`,
    expected: [
      /^spec: the document is the stack's whole record \(as `lambdaflex get STACK -o yaml` prints it\)/m,
      /^write the spec alone to a file: `lambdaflex --local get STACK -o json \| jq \.spec > STACK\.json`/m,
    ],
  },
];

describe.each(['validate', 'apply'])('lambdaflex %s with bad input', (command) => {
  it.each(cases)(
    'exits 1 for $kind, naming the path, and writes nothing',
    async ({ name, content, expected }) => {
      const cwd = tempFolder();
      const file = content === undefined ? join(cwd, name) : writeFile(cwd, name, content);
      const result = await runCli(cwd, ['--local', command, '-f', file]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      for (const line of expected) expect(result.stderr).toMatch(line);
      // One line per error, then what to do next.
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines.length - expected.length).toBeGreaterThanOrEqual(0);
      expect(lines.length - expected.length).toBeLessThanOrEqual(1);
      // Either a line of its own, or the error's own words end with it.
      expect(lines.at(-1)).toMatch(/^(check|fix|write) |: write each key once$/);
      // Rejected before the store was opened: not even the local table exists.
      expect(existsSync(join(cwd, '.lambdaflex'))).toBe(false);
    },
  );
});

describe('lambdaflex apply of a bad update', () => {
  it('leaves the stored spec as it was', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE });
    await runCli(cwd, ['--local', 'apply', '-f', file]);
    writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE, mode: 'sometimes' });
    const result = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mode: /);
    const stored = JSON.parse((await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json'])).stdout);
    expect(stored).toMatchObject({ generation: 1, spec: { mode: 'auto' } });
  });
});

describe('lambdaflex apply to a stack being deleted', () => {
  it('fails naming the pending delete, and stores nothing', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE });
    await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect((await runCli(cwd, ['--local', 'delete', 'orders-api'])).code).toBe(0);
    const before = JSON.parse((await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json'])).stdout);
    writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE, mode: 'fargate' });
    const result = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toMatch(
      /^writing spec \(orders-api\): the stack's deletion was requested at \S+; it takes no new spec/,
    );
    expect(result.stderr).toMatch(/apply again once `lambdaflex --local get orders-api` finds no such stack/);
    const after = JSON.parse((await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json'])).stdout);
    expect(after).toEqual(before);
  });
});

describe('lambdaflex validate', () => {
  it('accepts a valid document without opening any store', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'ok.yaml', `stack: orders-api\nimage: ${IMAGE}\n`);
    const result = await runCli(cwd, ['--local', 'validate', '-f', file]);
    expect(result).toEqual({ code: 0, stdout: `${file}: valid (stack orders-api, mode auto)\n`, stderr: '' });
    expect(existsSync(join(cwd, '.lambdaflex'))).toBe(false);
  });
});
