/**
 * `bootstrap --hosted-zone` and `--print-policy` against a local simulated account, and `apply`'s
 * refusal of a zone bootstrap was not given: the zones are kept in the table's system record, so a later
 * bootstrap without the option keeps them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulatedAccountFile } from '../../cli/aws';
import { LOCAL_REGION } from '../../cli/local';
import { MANAGED_POLICY_LIMIT } from '../../reconciler/iam/policy';
import { createSimulatedAws } from '../../aws-sim';
import { addHostedZone } from '../../aws-sim/services/route53';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

jest.setTimeout(120_000);

function folderWithZones(): { cwd: string; zip: string; ours: string; other: string } {
  const cwd = tempFolder();
  const { account } = createSimulatedAws({ region: LOCAL_REGION });
  const ours = addHostedZone(account, 'example.com');
  const other = addHostedZone(account, 'example.org');
  account.save(simulatedAccountFile(cwd));
  const zip = join(cwd, 'bundle.zip');
  writeFileSync(zip, 'PK a bundle');
  return { cwd, zip, ours, other };
}

const spec = (zone: string, recordName: string) => ({
  stack: 'shop',
  image: IMAGE,
  dns: {
    hostedZoneId: zone,
    recordName,
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
  },
});

/** The policy documents `--print-policy` printed, each after its `// name: size` line. */
function printedPolicies(stdout: string): { header: string; text: string }[] {
  const parts = stdout
    .split(/^(?=\/\/ lambdaflex-reconciler-)/m)
    .filter((p) => p.startsWith('// lambdaflex'));
  return parts.map((part) => {
    const [header, ...rest] = part.split('\n');
    return { header: header!, text: rest.filter((l) => !l.startsWith('//')).join('\n') };
  });
}

describe('bootstrap --hosted-zone, --print-policy; apply within the zones', () => {
  it('keeps the zones, prints a policy naming only them, and apply refuses any other zone', async () => {
    const { cwd, zip, ours, other } = folderWithZones();
    const boot = await runCli(cwd, ['--local', 'bootstrap', '--zip', zip, '--hosted-zone', ours]);
    expect(boot.stderr).toBe('');
    expect(boot.code).toBe(0);
    expect(boot.stdout).toContain(`hosted zones the reconciler may write in: ${ours} (*.example.com)`);

    const refused = await runCli(cwd, [
      '--local',
      'apply',
      '-f',
      writeFile(cwd, 'other.json', spec(other, 'api.example.org')),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `dns.hostedZoneId: ${other} is not a hosted zone the reconciler may write in; allowed: ${ours} (example.com)`,
    );
    const apex = await runCli(cwd, [
      '--local',
      'apply',
      '-f',
      writeFile(cwd, 'apex.json', spec(ours, 'example.com')),
    ]);
    expect(apex.stderr).toContain('dns.recordName: example.com is not a name the reconciler may write');
    const list = await runCli(cwd, ['--local', 'list']);
    expect(list.stdout).not.toContain('shop');

    const accepted = await runCli(cwd, [
      '--local',
      'apply',
      '-f',
      writeFile(cwd, 'ours.json', spec(ours, 'api.example.com')),
    ]);
    expect(accepted.stderr).toBe('');
    expect(accepted.code).toBe(0);

    // Again without the option: the zones kept in the table are kept.
    const again = await runCli(cwd, ['--local', 'bootstrap', '--zip', zip]);
    expect(again.stdout).toContain(`hosted zones the reconciler may write in: ${ours} (*.example.com)`);

    const printed = await runCli(cwd, ['--local', 'bootstrap', '--print-policy']);
    expect(printed.code).toBe(0);
    const policies = printedPolicies(printed.stdout);
    expect(policies.length).toBeGreaterThanOrEqual(5);
    for (const { header, text } of policies) {
      const size = Number(/: ([\d,]+) of/.exec(header)![1]!.replace(/,/g, ''));
      expect(size).toBeLessThan(MANAGED_POLICY_LIMIT);
      const document = JSON.parse(text);
      expect(JSON.stringify(document).length).toBe(size);
      // No placeholder: no brace inside any string of the document.
      expect((text.match(/"(?:[^"\\]|\\.)*"/g) ?? []).filter((s) => /[{}]/.test(s))).toEqual([]);
    }
    expect(printed.stdout).toContain(`arn:aws:route53:::hostedzone/${ours}`);
    expect(printed.stdout).not.toContain(`hostedzone/${other}`);
    expect(printed.stdout).not.toContain('hostedzone/*');
  });

  it('names the option when a zone does not exist or is malformed', async () => {
    const { cwd, zip } = folderWithZones();
    const missing = await runCli(cwd, ['--local', 'bootstrap', '--zip', zip, '--hosted-zone', 'ZNOSUCHZONE']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--hosted-zone ZNOSUCHZONE');
    const malformed = await runCli(cwd, [
      '--local',
      'bootstrap',
      '--zip',
      zip,
      '--hosted-zone',
      'example.com',
    ]);
    expect(malformed.stderr).toContain('--hosted-zone example.com: "example.com" is not a hosted zone id');
  });

  it("apply's refusal names a bootstrap that keeps the zones given and adds the one asked for", async () => {
    const { cwd, zip, ours, other } = folderWithZones();
    // Names of our own in the zone: the command must give them back, or bootstrap would reset them.
    const given = `${ours}=api.example.com,*.svc.example.com`;
    expect((await runCli(cwd, ['--local', 'bootstrap', '--zip', zip, '--hosted-zone', given])).code).toBe(0);

    const refused = await runCli(cwd, [
      '--local',
      'apply',
      '-f',
      writeFile(cwd, 'o.json', spec(other, 'api.example.org')),
    ]);
    expect(refused.code).toBe(1);
    const command = /`(lambdaflex [^`]*)` adds it/.exec(refused.stderr)?.[1];
    expect(command).toBe(
      `lambdaflex --local bootstrap --hosted-zone ${ours}='api.example.com,*.svc.example.com' --hosted-zone ${other}`,
    );
    // Run as printed (the shell's quotes taken off): both zones, ours with its names, and apply goes through.
    const args = command!.replace(/'/g, '').split(' ').slice(1);
    expect((await runCli(cwd, [...args, '--zip', zip])).code).toBe(0);
    expect(
      (
        await runCli(cwd, [
          '--local',
          'apply',
          '-f',
          writeFile(cwd, 'o.json', spec(other, 'api.example.org')),
        ])
      ).code,
    ).toBe(0);
    const ourName = await runCli(cwd, [
      '--local',
      'apply',
      '-f',
      writeFile(cwd, 's.json', { ...spec(ours, 'www.example.com'), stack: 'web' }),
    ]);
    expect(ourName.code).toBe(1);
    expect(/`(lambdaflex [^`]*)` adds it/.exec(ourName.stderr)?.[1]).toBe(
      `lambdaflex --local bootstrap --hosted-zone ${ours}='api.example.com,*.svc.example.com,www.example.com' --hosted-zone ${other}`,
    );
  });
});
