/**
 * Runs the real entrypoint.sh with stub executables: a `node` first on PATH and a stub Lambda entry point,
 * each printing what it was given and its own PID. The PID proves `exec` (the stub replaced the shell
 * instead of running as its child), which is what lets SIGTERM reach the server.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ENTRYPOINT = path.join(__dirname, '..', '..', 'entrypoint.sh');

interface Run {
  pid: number | undefined;
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(ENTRYPOINT, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ pid: child.pid, code, stdout, stderr }));
  });
}

function stub(file: string, name: string): void {
  fs.writeFileSync(
    file,
    `#!/bin/bash\necho "${name} pid=$$ cwd=$(pwd) task_root=\${LAMBDA_TASK_ROOT:-} args=$*"\n`,
    { mode: 0o755 },
  );
}

describe('entrypoint.sh', () => {
  let dir: string;
  let appDir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-entrypoint-'));
    appDir = path.join(dir, 'app');
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(path.join(appDir, 'dist', 'image'), { recursive: true });
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(appDir, 'dist', 'image', 'main.js'), '');
    fs.writeFileSync(path.join(appDir, 'dist', 'image', 'lambda.js'), '');
    stub(path.join(bin, 'node'), 'node');
    stub(path.join(dir, 'lambda-entrypoint.sh'), 'lambda-entrypoint');
    env = {
      PATH: `${bin}:/usr/bin:/bin`,
      LAMBDAFLEX_APP_DIR: appDir,
      LAMBDAFLEX_LAMBDA_ENTRYPOINT: path.join(dir, 'lambda-entrypoint.sh'),
    };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('execs the HTTP server with node when not on Lambda', async () => {
    const r = await run(env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`node pid=${r.pid} cwd=${appDir} task_root= args=${appDir}/dist/image/main.js\n`);
  });

  it('execs the Lambda runtime entry point with the handler when AWS_LAMBDA_RUNTIME_API is set', async () => {
    const r = await run({ ...env, AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `lambda-entrypoint pid=${r.pid} cwd=${appDir} task_root=${appDir} args=dist/image/lambda.handler\n`,
    );
  });

  it('treats an empty AWS_LAMBDA_RUNTIME_API as not on Lambda', async () => {
    const r = await run({ ...env, AWS_LAMBDA_RUNTIME_API: '' });
    expect(r.stdout).toMatch(/^node /);
  });

  it('honours another handler name, checking its own module', async () => {
    fs.writeFileSync(path.join(appDir, 'dist', 'other.js'), '');
    const r = await run({ ...env, AWS_LAMBDA_RUNTIME_API: 'x', LAMBDAFLEX_HANDLER: 'dist/other.run' });
    expect(r.stdout).toMatch(/args=dist\/other\.run$/m);
  });

  it('exits 1 with a clear message when the server build is missing', async () => {
    fs.rmSync(path.join(appDir, 'dist'), { recursive: true });
    const r = await run(env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `entrypoint.sh: build output missing: ${appDir}/dist/image/main.js does not exist (run \`npm run build\` before building the image)\n`,
    );
  });

  it('exits 1 with a clear message when the Lambda handler build is missing', async () => {
    fs.rmSync(path.join(appDir, 'dist', 'image', 'lambda.js'));
    const r = await run({ ...env, AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/build output missing: .*\/dist\/image\/lambda\.js does not exist/);
  });

  it('exits 1 when the Lambda runtime entry point is not there', async () => {
    const r = await run({
      ...env,
      AWS_LAMBDA_RUNTIME_API: 'x',
      LAMBDAFLEX_LAMBDA_ENTRYPOINT: path.join(dir, 'nope'),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Lambda runtime entry point .*nope is missing or not executable/);
  });

  it('exits 1 when the application directory does not exist', async () => {
    const r = await run({ ...env, LAMBDAFLEX_APP_DIR: path.join(dir, 'missing') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/application directory .*missing does not exist/);
  });
});
