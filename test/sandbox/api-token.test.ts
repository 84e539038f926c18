/**
 * The sandbox's service answers its own API (`/desired-state`) as the stack's service does on AWS, where
 * the reconciler gives it the spec's `api.tokenSha256`: the sandbox gives it the hash the stack's spec
 * has when it starts. Without it the API stays locked, and the 403 says to set the hash in the spec.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { IMAGE, runCli, tempFolder, writeFile } from '../cli/run-cli';

jest.setTimeout(60_000);

const TOKEN = 'sandbox-token-for-the-test';

describe('the sandbox service’s API token', () => {
  const folders: string[] = [];
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });
  afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  async function sandboxWith(api: object | undefined): Promise<Sandbox> {
    const cwd = tempFolder();
    folders.push(cwd);
    const spec = { stack: 'api-demo', image: IMAGE, mode: 'lambda', ...(api ? { api } : {}) };
    const applied = await runCli(cwd, ['--local', 'apply', '-f', writeFile(cwd, 'api-demo.json', spec)]);
    expect(applied.code).toBe(0);
    return startSandbox({ cwd, port: 0, speed: 60, tickMs: 1000, stack: 'api-demo', print: () => undefined });
  }

  it('takes the bearer token whose hash the stack’s spec has, and only it', async () => {
    const tokenSha256 = createHash('sha256').update(TOKEN).digest('hex');
    sandbox = await sandboxWith({ tokenSha256 });
    const read = (token?: string) =>
      fetch(`${sandbox!.url}/desired-state`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});

    const ok = await read(TOKEN);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ stack: 'api-demo', mode: 'lambda', api: { tokenSha256 } });
    expect((await read('another-token')).status).toBe(401);
    expect((await read()).status).toBe(401);
  });

  it('stays locked for a stack whose spec has no hash', async () => {
    sandbox = await sandboxWith(undefined);
    const res = await fetch(`${sandbox.url}/desired-state`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/set api\.tokenSha256/);
  });
});
