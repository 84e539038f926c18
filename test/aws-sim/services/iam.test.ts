import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteConflictException,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  EntityAlreadyExistsException,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PutRolePolicyCommand,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import { createSimulatedAws } from '../../../aws-sim';
import { simulatedAccount } from './network-fixture';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});
const EXECUTION_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

function setup() {
  const sim = simulatedAccount();
  const create = (RoleName: string, Path?: string) =>
    sim.clients.iam.send(
      new CreateRoleCommand({
        RoleName,
        Path,
        AssumeRolePolicyDocument: TRUST,
        Tags: [{ Key: 'lambdaflex:stack', Value: 'web' }],
      }),
    );
  return { sim, iam: sim.clients.iam, create };
}

describe('simulated IAM roles', () => {
  it('creates a role with a global ARN and an AROA id; a second one of the same name is EntityAlreadyExists', async () => {
    const { iam, create } = setup();
    const { Role } = await create('lf-web-execution');
    expect(Role!.Arn).toBe('arn:aws:iam::123456789012:role/lf-web-execution');
    expect(Role!.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    // IAM role names are unique regardless of case (IAM identifiers).
    await expect(create('LF-WEB-EXECUTION')).rejects.toBeInstanceOf(EntityAlreadyExistsException);
    const got = await iam.send(new GetRoleCommand({ RoleName: 'lf-web-execution' }));
    // GetRole returns the trust policy URL-encoded (RFC 3986), as IAM does.
    expect(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!)).toBe(TRUST);
    expect(got.Role!.Tags).toEqual([{ Key: 'lambdaflex:stack', Value: 'web' }]);
    await expect(iam.send(new GetRoleCommand({ RoleName: 'ghost' }))).rejects.toBeInstanceOf(
      NoSuchEntityException,
    );
  });

  it('refuses invalid names and malformed trust policies', async () => {
    const { iam, create } = setup();
    await expect(create('bad name')).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(create('x'.repeat(65))).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: '{not json' })),
    ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
  });

  it('refuses DeleteRole while managed or inline policies remain: DeleteConflict (DeleteRole API reference)', async () => {
    const { iam, create } = setup();
    await create('r');
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: EXECUTION_POLICY }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'logs', PolicyDocument: TRUST }));
    await expect(iam.send(new DeleteRoleCommand({ RoleName: 'r' }))).rejects.toBeInstanceOf(
      DeleteConflictException,
    );
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'r' }));
    expect(attached.AttachedPolicies).toEqual([
      { PolicyArn: EXECUTION_POLICY, PolicyName: 'AmazonECSTaskExecutionRolePolicy' },
    ]);
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'r', PolicyArn: EXECUTION_POLICY }));
    await expect(iam.send(new DeleteRoleCommand({ RoleName: 'r' }))).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: expect.stringMatching(/delete policies/),
    });
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'r' }))).PolicyNames).toEqual(['logs']);
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'logs' }));
    expect(decodeURIComponent(inline.PolicyDocument!)).toBe(TRUST);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'r', PolicyName: 'logs' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'r' }));
    await expect(iam.send(new GetRoleCommand({ RoleName: 'r' }))).rejects.toBeInstanceOf(
      NoSuchEntityException,
    );
  });

  it('lists roles by path prefix with Marker pagination', async () => {
    const { iam, create } = setup();
    await create('a', '/lambdaflex/');
    await create('b', '/lambdaflex/');
    await create('c');
    const first = await iam.send(new ListRolesCommand({ PathPrefix: '/lambdaflex/', MaxItems: 1 }));
    expect(first.Roles!.map((r) => r.RoleName)).toEqual(['a']);
    expect(first.IsTruncated).toBe(true);
    expect(first.Roles![0].Arn).toBe('arn:aws:iam::123456789012:role/lambdaflex/a');
    const second = await iam.send(
      new ListRolesCommand({ PathPrefix: '/lambdaflex/', MaxItems: 1, Marker: first.Marker }),
    );
    expect(second.Roles!.map((r) => r.RoleName)).toEqual(['b']);
    expect(second.IsTruncated).toBe(false);
    expect((await iam.send(new ListRolesCommand({}))).Roles).toHaveLength(3);
  });

  it('tags roles and lists them in the inventory', async () => {
    const { sim, iam, create } = setup();
    await create('r');
    await iam.send(new TagRoleCommand({ RoleName: 'r', Tags: [{ Key: 'team', Value: 'a' }] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'r' }))).Tags).toEqual([
      { Key: 'lambdaflex:stack', Value: 'web' },
      { Key: 'team', Value: 'a' },
    ]);
    expect(sim.account.inventory()).toContainEqual(
      expect.objectContaining({ type: 'AWS::IAM::Role', id: 'r', arn: 'arn:aws:iam::123456789012:role/r' }),
    );
  });
});

describe('simulated IAM managed policies', () => {
  it('creates, attaches, refuses to delete while attached, and NoSuchEntity for unknown customer policies', async () => {
    const { iam, create } = setup();
    await create('r');
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: TRUST }));
    expect(Policy!.Arn).toBe('arn:aws:iam::123456789012:policy/p');
    await expect(
      iam.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: TRUST })),
    ).rejects.toBeInstanceOf(EntityAlreadyExistsException);
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: Policy!.Arn }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }))).Policy!.AttachmentCount).toBe(
      1,
    );
    await expect(iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn }))).rejects.toBeInstanceOf(
      DeleteConflictException,
    );
    await expect(
      iam.send(
        new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: 'arn:aws:iam::123456789012:policy/ghost' }),
      ),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
  });
});

describe('simulated IAM policy versions, boundaries and regions', () => {
  const doc = (action: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
    });

  it('keeps at most five versions, never deletes the default one, and deletes a policy only alone', async () => {
    const { iam } = setup();
    const { Policy } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'p',
        Path: '/lambdaflex/us-east-1/',
        PolicyDocument: doc('s3:a'),
      }),
    );
    const arn = Policy!.Arn!;
    expect(arn).toBe('arn:aws:iam::123456789012:policy/lambdaflex/us-east-1/p');
    for (let v = 2; v <= 5; v++) {
      await iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: arn,
          PolicyDocument: doc(`s3:v${v}`),
          SetAsDefault: true,
        }),
      );
    }
    await expect(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:v6') })),
    ).rejects.toMatchObject({ name: 'LimitExceededException' });
    const current = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId!;
    expect(current).toBe('v5');
    const { PolicyVersion } = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: current }),
    );
    expect(JSON.parse(decodeURIComponent(PolicyVersion!.Document!)).Statement[0].Action).toBe('s3:v5');
    await expect(
      iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' })),
    ).rejects.toBeInstanceOf(DeleteConflictException);
    await expect(iam.send(new DeletePolicyCommand({ PolicyArn: arn }))).rejects.toBeInstanceOf(
      DeleteConflictException,
    );
    const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!;
    for (const v of versions.filter((x) => !x.IsDefaultVersion)) {
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v.VersionId }));
    }
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    const listed = await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/lambdaflex/' }));
    expect(listed.Policies).toEqual([]);
  });

  it('refuses a managed policy over 6,144 characters without whitespace', async () => {
    const { iam } = setup();
    const big = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(6_200)}` }],
    });
    await expect(
      iam.send(new CreatePolicyCommand({ PolicyName: 'big', PolicyDocument: big })),
    ).rejects.toMatchObject({
      name: 'LimitExceededException',
    });
  });

  it('creates a role with an existing boundary only, shows it, and keeps a boundary in use from deletion', async () => {
    const { iam } = setup();
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: doc('logs:*') }),
    );
    await expect(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'ghost-bounded',
          AssumeRolePolicyDocument: TRUST,
          PermissionsBoundary: 'arn:aws:iam::123456789012:policy/ghost',
        }),
      ),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'bounded',
        AssumeRolePolicyDocument: TRUST,
        PermissionsBoundary: Policy!.Arn,
      }),
    );
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'bounded' }));
    expect(Role!.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: Policy!.Arn,
    });
    expect(
      (await iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }))).Policy!
        .PermissionsBoundaryUsageCount,
    ).toBe(1);
    await expect(iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn }))).rejects.toBeInstanceOf(
      DeleteConflictException,
    );
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'bounded' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn }));
  });

  it('is one IAM for every region of the account', async () => {
    const east = createSimulatedAws({ region: 'us-east-1' });
    const west = createSimulatedAws({ region: 'eu-west-1', sameAccountAs: east.account });
    await east.clients.iam.send(
      new CreateRoleCommand({ RoleName: 'global', AssumeRolePolicyDocument: TRUST }),
    );
    await expect(
      west.clients.iam.send(new CreateRoleCommand({ RoleName: 'global', AssumeRolePolicyDocument: TRUST })),
    ).rejects.toBeInstanceOf(EntityAlreadyExistsException);
    await west.clients.iam.send(new DeleteRoleCommand({ RoleName: 'global' }));
    await expect(east.clients.iam.send(new GetRoleCommand({ RoleName: 'global' }))).rejects.toBeInstanceOf(
      NoSuchEntityException,
    );
  });
});
