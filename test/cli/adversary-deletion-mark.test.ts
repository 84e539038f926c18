/**
 * adversary: a stack's `deletionRequestedAt` edited by hand into no time (here null, as someone "clearing"
 * it in the console would), seen through the CLI: status, get and list say the stack is held and why, with
 * the command that requests its deletion; a pass changes nothing; apply is refused naming the field with
 * nothing written; delete replaces the mark with a proper request.
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DEFAULT_TABLE_NAME } from '../../reconciler/state';
import { deleteLocalRecord, IMAGE, runCli, tempFolder, withLocalTable, writeFile } from './run-cli';

const HOLD = 'deletionRequestedAt: null is not a deletion request';

/** The local table's item edited by hand, between two runs of the CLI (which hold the folder while they run). */
async function editMark(cwd: string): Promise<void> {
  await withLocalTable(cwd, (client) =>
    client.send(
      new UpdateItemCommand({
        TableName: DEFAULT_TABLE_NAME,
        Key: { stack: { S: 'orders-api' } },
        UpdateExpression: 'SET deletionRequestedAt = :v',
        ExpressionAttributeValues: { ':v': { NULL: true } },
      }),
    ),
  );
}

describe('lambdaflex --local over a deletion mark edited into null', () => {
  it('status, get and list say the stack is held; reconcile changes nothing; apply is refused; delete replaces it', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    await editMark(cwd);

    // Before any pass: read from the record itself.
    const early = await runCli(cwd, ['--local', 'status', 'orders-api']);
    expect(early.code).toBe(0);
    expect(early.stdout).toMatch(/^Phase: +Pending \(held: its deletionRequestedAt is no time\)$/m);
    expect(early.stdout).toMatch(
      new RegExp(`^Problems: +${HOLD} .*\`lambdaflex --local delete orders-api\``, 'm'),
    );

    const reconciled = await runCli(cwd, ['--local', 'reconcile', 'orders-api']);
    expect(reconciled.stderr).toMatch(new RegExp(`^orders-api: ${HOLD}`, 'm'));
    expect(reconciled.stderr).not.toContain('the spec is invalid');
    const json = JSON.parse((await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json'])).stdout);
    expect(json.status.resources).toEqual({});
    expect(json.unreadableDeletionMark).toBe('null');
    expect(json.deletionRequestedAt).toBeUndefined();

    // After the pass: the condition it wrote, and the problem said once (not again as an invalid spec).
    const status = await runCli(cwd, ['--local', 'status', 'orders-api']);
    expect(status.stdout).toMatch(/^ +SpecValid +False +DeletionMarkUnreadable +deletionRequestedAt: null/m);
    expect(status.stdout.match(/^(Problems:)? +deletionRequestedAt: null/gm)).toHaveLength(1);
    expect(status.stdout).not.toContain('the spec is invalid');

    const got = await runCli(cwd, ['--local', 'get', 'orders-api']);
    expect(got.stdout).toMatch(/^Phase: +Pending \(held: its deletionRequestedAt is no time\)$/m);
    expect(got.stdout).toMatch(
      new RegExp(`^Deletion mark: +${HOLD} .*\`lambdaflex --local delete orders-api\``, 'm'),
    );
    const listed = await runCli(cwd, ['--local', 'list']);
    expect(listed.stdout).toMatch(/^orders-api .*Pending \(held: its deletionRequestedAt is no time\)$/m);

    writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE, mode: 'fargate' });
    const applied = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain(`writing spec (orders-api): ${HOLD}`);
    expect(applied.stderr).toMatch(
      /`lambdaflex --local delete orders-api` requests its deletion.*; nothing written$/m,
    );
    const planned = await runCli(cwd, ['--local', 'plan', 'orders-api']);
    expect(planned.code).toBe(1);
    expect(planned.stderr).toContain(`planning (orders-api): ${HOLD}`);
    expect(planned.stderr).not.toContain('validate');
    const after = JSON.parse((await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json'])).stdout);
    expect(after).toMatchObject({ generation: json.generation, spec: { mode: 'lambda' } });

    const deleted = await runCli(cwd, ['--local', 'delete', 'orders-api']);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain(
      'the deletionRequestedAt found (null) was no time; this request replaced it',
    );
    expect((await runCli(cwd, ['--local', 'list'])).stdout).toMatch(/^orders-api .*\(deletion requested\)$/m);
  });
});

describe('lambdaflex --local status --watch over a deletion mark edited into null', () => {
  it('names the delete command with --local in its problem line, as status does', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    // The mark edited while the watch runs, then the record deleted, which ends the watch.
    let readings = 0;
    const sleep = () => (++readings === 1 ? editMark(cwd) : deleteLocalRecord(cwd));
    const watched = await runCli(cwd, ['--local', 'status', 'orders-api', '--watch'], '', sleep);
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(
      new RegExp(`^problem: ${HOLD} .*\`lambdaflex --local delete orders-api\``, 'm'),
    );
  });
});

describe('lambdaflex --local reconcile over a spec edited to hold a deletionRequestedAt field', () => {
  it("calls it an invalid spec: only the record's own mark holds the stack", async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    await withLocalTable(cwd, (client) =>
      client.send(
        new UpdateItemCommand({
          TableName: DEFAULT_TABLE_NAME,
          Key: { stack: { S: 'orders-api' } },
          UpdateExpression: 'SET spec.deletionRequestedAt = :v',
          ExpressionAttributeValues: { ':v': { N: '1' } },
        }),
      ),
    );
    const reconciled = await runCli(cwd, ['--local', 'reconcile', 'orders-api']);
    expect(reconciled.code).toBe(1);
    expect(reconciled.stderr).toMatch(
      /^orders-api: the spec is invalid until the spec changes: deletionRequestedAt: unknown field/m,
    );
  });
});
