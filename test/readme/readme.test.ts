/**
 * The README is true, command by command. Every line of its shell blocks is run as written (through bash,
 * `npx lambdaflex` and `npm start` included) in a fresh folder that holds the repo but no local state, in
 * the README's order, and its exit code and output are checked against what the README says happens. A
 * command added to the README without a check here, or a check whose command left the README, fails the
 * test. The commands table is checked against each command's --help, and the TypeScript snippet against
 * the example test it is taken from.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PORT } from '../../sandbox/options';
import { runCli } from '../cli/run-cli';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** Local state and tools' output: a fresh clone has none of them. */
const NOT_IN_A_CLONE = new Set([
  '.git',
  '.lambdaflex',
  'test-artifacts',
  'dist',
  'coverage',
  '.jest-summary',
]);

/** The code blocks of a language, each as its lines. */
function codeBlocks(markdown: string, lang: string): string[][] {
  const blocks: string[][] = [];
  const pattern = new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm');
  for (const match of markdown.matchAll(pattern)) blocks.push(match[1]!.replace(/\n$/, '').split('\n'));
  return blocks;
}

/** A shell line without its trailing comment. */
function command(line: string): string {
  return line.replace(/\s+#.*$/, '').trim();
}

const clones: string[] = [];
// Removes the links and the local state; what they link to is left alone.
afterAll(() => {
  for (const dir of clones) rmSync(dir, { recursive: true, force: true });
});

/** A folder holding the repo (linked, the installed node_modules too) and nothing else: no `.lambdaflex/`. */
function freshClone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lf-readme-'));
  clones.push(dir);
  for (const name of readdirSync(ROOT)) {
    if (NOT_IN_A_CLONE.has(name)) continue;
    // package.json is copied: npm takes the folder it is in as the package's root.
    if (name === 'package.json') copyFileSync(join(ROOT, name), join(dir, name));
    else symlinkSync(join(ROOT, name), join(dir, name));
  }
  return dir;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment of the commands: the machine's, with nothing from npm's registry (npx finds the repo's bin). */
function shellEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
  };
  delete env.LAMBDAFLEX_SIM_FAULTS;
  // The dashboard on a free port, not 3000: the README says PORT changes it.
  env.PORT = '0';
  return env;
}

/** A `[VAR=value ]npx lambdaflex ARGS` line run by the CLI in this process, with the variable set meanwhile. */
async function inProcess(dir: string, line: string): Promise<Ran> {
  const match = /^(?:(\w+)=(\S+) )?npx lambdaflex (.*)$/.exec(line);
  if (!match) throw new Error(`not a lambdaflex line: ${line}`);
  const [, name, value, args] = match;
  if (name) process.env[name] = value;
  try {
    return await runCli(dir, args!.split(' '));
  } finally {
    if (name) delete process.env[name];
  }
}

function sh(dir: string, line: string): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', line], { cwd: dir, env: shellEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `npm start` as a user runs it: in the foreground of its own process group, stopped by Ctrl-C (SIGINT). */
async function npmStart(dir: string) {
  const child = spawn('bash', ['-c', 'npm start'], { cwd: dir, env: shellEnv(), detached: true });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /dashboard +(http:\/\/localhost:\d+)\//.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 100);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`npm start exited before listening:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    /**
     * Ctrl-C: SIGINT to the whole group, as a terminal sends it. npm itself dies of the signal (exit "SIGINT");
     * the sandbox saves and says so, and its exit ends the group.
     */
    stop: async () => {
      process.kill(-child.pid!, 'SIGINT');
      const how = await exited;
      for (let i = 0; i < 300 && !/stopped; state saved/.test(output); i++)
        await new Promise((r) => setTimeout(r, 100));
      return how;
    },
  };
}

async function json(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** Waits, on the sandbox's own clock, until its state says `done`; a bound on real time fails the test. */
async function until(url: string, done: (state: Record<string, unknown>) => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (done(await json(`${url}/sandbox/state`))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `the sandbox never reached the state waited for: ${JSON.stringify(await json(`${url}/sandbox/state`))}`,
  );
}

/** Checks one line's outcome; `run` runs a further command the same way, to look at what it did. */
type Check = (ran: Ran, run: (line: string) => Promise<Ran>) => void | Promise<void>;

/** What the CLI block says each line does, in the README's order. */
function cliChecks(): [string, Check][] {
  return [
    [
      'npx lambdaflex --local apply -f examples/catalog-api.json',
      ({ code, stdout }) => {
        // "prints the new spec, defaults filled in, and records it"
        expect(code).toBe(0);
        expect(stdout).toMatch(
          /^stack catalog-api is new:\n(?: {2}\+ .*\n)+stack catalog-api created \(generation 1\)$/m,
        );
        expect(stdout).toMatch(/^ {2}\+ mode: "fargate"$/m);
        expect(stdout).toMatch(/^ {2}\+ thresholds: \{/m);
      },
    ],
    [
      'npx lambdaflex --local plan catalog-api',
      ({ code, stdout }) => {
        expect(code).toBe(2); // "exit 2: changes"
        expect(stdout).toContain('+ vpc (AWS::EC2::VPC): missing');
      },
    ],
    [
      'LAMBDAFLEX_SIM_FAULTS=throttle=0.2,crashAfterMutatingCalls=3 npx lambdaflex --local reconcile catalog-api',
      async ({ code, stdout, stderr }, run) => {
        // "exits 1 saying the pass died mid-work, with the Fargate tier half built"
        expect(code).toBe(1);
        expect(stderr).toMatch(/simulated crash after \d+ AWS calls \(3 of them changes that took effect\)/);
        expect(stderr).toMatch(/the pass died mid-work/);
        expect(stdout).toMatch(/: created$/m);
        const calls = JSON.parse((await run('npx lambdaflex --local sim calls --json')).stdout) as {
          count: number;
        }[];
        expect(calls.length).toBeGreaterThan(0);
      },
    ],
    [
      'npx lambdaflex --local reconcile catalog-api --until-settled',
      async ({ code, stdout }, run) => {
        // "finishes the job: passes on the simulated clock, with progress"
        expect(code).toBe(0);
        expect(stdout).toMatch(/^\[\d\d:\d\d:\d\d\] catalog-api pass 1: /m);
        expect(stdout).toMatch(/ — waiting for: /);
        expect(stdout).toMatch(/pass \d+: phase Fargate \(settled\)/);
        // Settled means a fresh observation plans nothing: so does `plan` right after.
        expect((await run('npx lambdaflex --local plan catalog-api')).code).toBe(0);
      },
    ],
    [
      'npx lambdaflex --local status catalog-api',
      ({ code, stdout }) => {
        // "phase, traffic, URLs, conditions, resources, API calls"
        expect(code).toBe(0);
        expect(stdout).toMatch(/^Phase: +Fargate since /m);
        expect(stdout).toMatch(/^Traffic: +\S/m);
        expect(stdout).toMatch(/^URLs: +Lambda +https:\/\/\w+\.execute-api\./m);
        expect(stdout).toMatch(/^ +Fargate +http:\/\/lf-catalog-api-alb-/m);
        expect(stdout).toMatch(/^Conditions:\n +TYPE +STATUS +REASON +MESSAGE$/m);
        expect(stdout).toMatch(/^Resources \(\d+\):$/m);
        expect(stdout).toMatch(/^Last pass: .*, \d+ API calls \(\d+ mutating\)/m);
      },
    ],
    [
      'npx lambdaflex --local events catalog-api',
      ({ code, stdout }) => {
        // "what happened, oldest first"
        expect(code).toBe(0);
        const up = stdout.indexOf('→ ScalingUp');
        expect(up).toBeGreaterThanOrEqual(0);
        expect(stdout.indexOf('ScalingUp → Fargate')).toBeGreaterThan(up);
      },
    ],
    [
      'npx lambdaflex --local sim resources',
      ({ code, stdout }) => {
        // "every resource in the simulated account"
        expect(code).toBe(0);
        expect(stdout).toMatch(/^STACK +TYPE +STATE +NAME +ID$/m);
        expect(stdout).toMatch(/^catalog-api +AWS::EC2::VPC +available /m);
        expect(stdout).toMatch(/^catalog-api +AWS::ElasticLoadBalancingV2::LoadBalancer +active /m);
      },
    ],
    [
      'npx lambdaflex --local delete catalog-api',
      ({ code, stdout }) => {
        expect(code).toBe(0);
        expect(stdout).toMatch(/deletion of stack catalog-api requested/);
      },
    ],
    [
      'npx lambdaflex --local reconcile catalog-api --until-settled',
      async ({ code, stdout }, run) => {
        // "deletes both tiers at once (no domain, so nothing to drain), then the record"
        expect(code).toBe(0);
        expect(stdout).toMatch(
          /waiting for: no custom domain, so no traffic to drain; deleting both tiers(;|$)/m,
        );
        expect(stdout).not.toMatch(/TTL × 2/);
        expect(stdout).toMatch(/^ {2}catalog-api: - vpc: deleted$/m);
        expect(stdout).toMatch(/^ {2}catalog-api: - lambda-function: deleted$/m);
        expect(stdout).toMatch(/pass \d+: deleted: its resources and then its record are gone;/);
        const left = JSON.parse((await run('npx lambdaflex --local sim resources --json')).stdout) as {
          tags: Record<string, string>;
        }[];
        expect(left.filter((r) => r.tags['lambdaflex:stack'] === 'catalog-api')).toEqual([]);
        expect((await run('npx lambdaflex --local list')).stdout).not.toMatch(/catalog-api/);
      },
    ],
  ];
}

describe('the README, command by command', () => {
  const blocks = codeBlocks(README, 'sh');

  it('has the blocks this test knows: the quick start and the CLI', () => {
    expect(blocks.map((b) => b.map(command))).toEqual([
      ['npm install && npm start', 'npm ci && npm test'],
      cliChecks().map(([line]) => line),
    ]);
  });

  it('runs the quick start and the CLI block in a fresh clone, each doing what the README says', async () => {
    const dir = freshClone();
    // `npm install` / `npm ci`: the clone links this checkout's installed node_modules (installing again
    // would write into them); `npm test` is this very run.
    const start = await npmStart(dir);
    // "dashboard on http://localhost:3000 (`PORT` changes it)": here PORT=0 picks a free port.
    expect(DEFAULT_PORT).toBe(3000);
    expect(start.output()).toMatch(/LambdaFlex sandbox: one simulated minute per second/);
    expect(start.output()).toMatch(/first run: applied the demo stack orders-api \(mode auto, 2 rps\)/);
    expect((await fetch(`${start.url}/`)).headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(`${start.url}/docs`)).status).toBe(200);
    // "The first run applies a demo stack ... mode auto ... 2 requests per second ... It settles on the Lambda tier."
    await until(start.url, (s) => s.phase === 'Lambda');
    const state = await json(`${start.url}/sandbox/state`);
    expect(state).toMatchObject({ stack: 'orders-api', mode: 'auto', rps: 2 });
    expect(await json(`${start.url}/stack-status`)).toMatchObject({ stack: 'orders-api', phase: 'Lambda' });

    // "while the sandbox runs, every --local command there is refused with the sandbox's address"
    const refused = await inProcess(dir, 'npx lambdaflex --local status orders-api');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${start.url}/`);

    // "Ctrl-C stops cleanly; the next `npm start` carries on from the same state."
    expect(['0', 'SIGINT']).toContain(await start.stop());
    expect(start.output()).toMatch(/SIGINT: saving and stopping…\nstopped; state saved in \.lambdaflex\//);
    const again = await npmStart(dir);
    expect(again.output()).toMatch(/carrying on from simulated .* with 1 stack\(s\): orders-api/);
    expect(['0', 'SIGINT']).toContain(await again.stop());
    expect(again.output()).toMatch(/stopped; state saved in \.lambdaflex\//);

    // The demo's record, as the README describes it, before the CLI block changes it.
    const demo = JSON.parse((await inProcess(dir, 'npx lambdaflex --local get orders-api -o json')).stdout);
    expect(demo.spec).toMatchObject({ mode: 'auto', dns: { recordName: 'orders-api.example.test' } });

    for (const [line, check] of cliChecks()) {
      const ran = await sh(dir, line);
      try {
        // What a line did is looked at in this process: only the README's own lines need npx.
        await check(ran, (more) => inProcess(dir, more));
      } catch (error) {
        throw new Error(`README line \`${line}\`:\n${ran.stdout}\n${ran.stderr}\n${String(error)}`);
      }
    } // The demo stack beside it was left as it was.
    const after = JSON.parse((await inProcess(dir, 'npx lambdaflex --local get orders-api -o json')).stdout);
    expect(after).toMatchObject({ generation: demo.generation, spec: { mode: 'auto' } });
  });

  it('runs the CLI block in an empty folder too (in this process: the line above ran them through npx)', async () => {
    const dir = freshClone();
    for (const [line, check] of cliChecks()) {
      const ran = await inProcess(dir, line);
      try {
        await check(ran, (more) => inProcess(dir, more));
      } catch (error) {
        throw new Error(`README line \`${line}\`:\n${ran.stdout}\n${ran.stderr}\n${String(error)}`);
      }
    }
  });
});

describe('the README commands table', () => {
  const rows = README.split('\n').filter((line) => line.startsWith('| `lambdaflex '));

  it('lists every command of the CLI', async () => {
    const help = (await runCli(tmpdir(), ['--help'])).stdout;
    const commands = [...help.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    const listed = rows.map((row) => /^\| `lambdaflex (?:--local )?([a-z]+)/.exec(row)![1]);
    expect([...new Set(listed)].sort()).toEqual([...new Set(commands)].sort());
  });

  it.each(rows.map((row) => [/^\| `([^`]+)`/.exec(row)![1]!, row]))(
    '%s: its options are in its --help',
    async (usage, row) => {
      const words = usage.replace(/^lambdaflex (--local )?/, '').split(' ');
      const path = words[0] === 'sim' ? ['sim'] : [words[0]!];
      const help =
        (await runCli(tmpdir(), [...path, '--help'])).stdout + (await runCli(tmpdir(), ['--help'])).stdout;
      const options = [...row.matchAll(/(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])\b/g)].map((m) => m[1]!);
      for (const option of options.filter((o) => o !== '--local' && o !== '--help'))
        expect(help).toContain(option);
      for (const sub of /sim (resources\\\|calls\\\|advance\\\|reset)/.exec(row)?.[1]?.split('\\|') ?? [])
        expect(help).toContain(sub);
    },
  );
});

describe('the README commands table, from the other side', () => {
  const rows = README.split('\n').filter((line) => line.startsWith('| `lambdaflex '));
  /** Whether the row names the option, by its short or its long name. */
  const names = (row: string, option: string) => new RegExp(`(?<![\\w-])${option}\\b`).test(row);

  it.each(rows.map((row) => [/^\| `([^`]+)`/.exec(row)![1]!, row]))(
    '%s: every option of its --help is in its row',
    async (usage, row) => {
      const command = usage.replace(/^lambdaflex (--local )?/, '').split(' ')[0]!;
      const help = (await runCli(tmpdir(), [command, '--help'])).stdout;
      const options = [...help.matchAll(/^ {2}(?:(-[a-zA-Z]), )?(--[a-z][a-z-]*)/gm)];
      const missing = options
        .filter(([, short, long]) => long !== '--help' && !names(row, long!) && !(short && names(row, short)))
        .map(([, , long]) => long);
      expect([command, missing]).toEqual([command, []]);
    },
  );
});

describe('the README TypeScript snippet', () => {
  it('is lines of examples/plan-my-spec.test.ts, which npm test runs', () => {
    const example = readFileSync(join(ROOT, 'examples', 'plan-my-spec.test.ts'), 'utf8');
    const lines = codeBlocks(README, 'ts').flat();
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(example).toContain(line.replace(/\s+\/\/ .*$/, '').trim());
  });
});
