/**
 * bootstrap changes a managed policy by a new default version (reconciler/bootstrap/managed-policy.ts), and
 * IAM keeps at most five: "If the policy has five versions, you must delete an existing version using
 * DeletePolicyVersion before you create a new version" (CreatePolicyVersion, IAM API Reference), else
 * LimitExceeded. CreatePolicyVersion has no client token: the SDK's retry of one that took effect behind a
 * 5xx makes a second version, or, with the policy at its five, hears LimitExceeded for its own first
 * attempt. So it is sent once (reconciler/aws/create-retries.ts), and bootstrap run again converges.
 * Against the simulated IAM, which answers LimitExceeded as IAM does, and the fault that answers 503 after
 * the call took effect (`error5xxAfterOperation`).
 */
import {
  CreatePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import { POLICY_NAMES } from '../../../reconciler/iam/arns';
import { runBootstrap } from '../../../reconciler/bootstrap/run';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { stubPointInTimeRecovery } from './pitr-stub';
import { bootstrapWorld } from './bootstrap-world';

let db: TestDynamo;
beforeAll(async () => {
  db = await startTestDynamo();
  stubPointInTimeRecovery(db.client);
});
afterAll(() => db.stop());

function world(tableName: string) {
  return bootstrapWorld(db.client, tableName, 19);
}

describe('bootstrap: a new policy version answered 503 after it took effect', () => {
  it.each([
    // Three versions: a retry would make a duplicate; four: no room is made, the create is the fifth,
    // and a retry hears LimitExceeded; five: the oldest goes first, then the same.
    { versions: 3, left: ['v1', 'v2', 'v3', 'v4'] },
    { versions: 4, left: ['v1', 'v2', 'v3', 'v4', 'v5'] },
    { versions: 5, left: ['v2', 'v3', 'v4', 'v5', 'v6'] },
  ])(
    'the policy at $versions versions: sent once, no LimitExceeded, one new version, bootstrap again changes nothing',
    async ({ versions, left }) => {
      const w = world(`lf-boot-pv-${versions}`);
      await runBootstrap(w.options());
      const iam = w.clients.iam;
      const name = POLICY_NAMES.boundary(w.account.region);
      const policies = (await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? [];
      const arn = policies.find((p) => p.PolicyName === name)!.Arn!;
      // By hand, versions that drift from what bootstrap wants, each the default in turn.
      for (let v = 2; v <= versions; v++) {
        const document = {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'logs:CreateLogGroup', Resource: `arn:aws:logs:::${v}` }],
        };
        await iam.send(
          new CreatePolicyVersionCommand({
            PolicyArn: arn,
            PolicyDocument: JSON.stringify(document),
            SetAsDefault: true,
          }),
        );
      }
      const drifted = await defaultDocument();

      w.account.setFaults({ error5xxAfterOperation: 'CreatePolicyVersion' });
      const run = await runBootstrap(w.options());
      // The fault was spent on the one call that took effect; nothing sent it again.
      expect(w.account.faults.error5xxAfterOperation).toBeUndefined();
      expect(run.calls.byOperation['iam:CreatePolicyVersion']).toBe(1);
      const ids = ((await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions ?? [])
        .map((v) => v.VersionId)
        .sort();
      expect(ids).toEqual(left);
      expect(await defaultDocument()).not.toEqual(drifted);

      const again = await runBootstrap(w.options());
      expect(again).toMatchObject({ passes: 1, calls: { mutating: 0 } });

      /** The default version's document, as IAM holds it. */
      async function defaultDocument(): Promise<unknown> {
        const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
        const version = await iam.send(
          new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId }),
        );
        return JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!));
      }
    },
  );
});
