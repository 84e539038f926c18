/**
 * A customer managed IAM policy of LambdaFlex's, kept by bootstrap under `/lambdaflex/<region>/`: the
 * stack roles' permissions boundary and log-group policy, and the parts of the reconciler's own policy.
 * Same verbs as every kind: found by its path and name, ours only with the
 * `lambdaflex-system` tags and the PolicyId recorded when bootstrap made it (proven.ts), changed by a new default version (IAM keeps five: the oldest other one goes
 * first), deleted with its versions.
 */
import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { isOwnedBy, nonceTags, ownershipTagList } from '../../spec/names';
import { stackRolePath } from '../iam/arns';
import { assertOwned } from '../resources/common/foreign-guard';
import { parsePolicyDocument } from '../resources/iam/policy-documents';
import { deleteIgnoringGone, orUndefinedIfGone } from '../resources/common/not-found';
import type { ErrorCodes, ObservedResource } from '../resources/types';
import type { SystemResource, SystemContext } from './system-spec';
import { SYSTEM_STACK } from './names';

const TYPE = 'AWS::IAM::ManagedPolicy';
/** IAM keeps at most five versions of a managed policy. */
const MAX_VERSIONS = 5;

const ERRORS: ErrorCodes = {
  notFound: ['NoSuchEntity'],
  retryable: ['ConcurrentModification', 'EntityAlreadyExists'],
  // DeleteConflict: still attached, or still the boundary of stack roles: delete the stacks first.
  terminal: ['MalformedPolicyDocument', 'LimitExceeded', 'InvalidInput', 'DeleteConflict'],
};

export interface ManagedPolicyOptions {
  key: string;
  /** The policy's name (it carries the region: IAM names are global). */
  name: string;
  region: string;
  description: string;
  /** The document; undefined while the table (whose ARN names the account) is not known. Pure. */
  document(refs: SystemContext['refs']): unknown;
}

/** The policy's ARN, found by its path and name (the path is the region's, the name unique in IAM). */
async function policyArnOf(iam: IAMClient, region: string, name: string): Promise<string | undefined> {
  let marker: string | undefined;
  do {
    const page = await iam.send(
      new ListPoliciesCommand({ Scope: 'Local', PathPrefix: stackRolePath(region), Marker: marker }),
    );
    const found = page.Policies?.find((p) => p.PolicyName === name);
    if (found?.Arn) return found.Arn;
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return undefined;
}

async function nonDefaultVersions(iam: IAMClient, policyArn: string) {
  const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn }))).Versions ?? [];
  return versions
    .filter((v) => !v.IsDefaultVersion && v.VersionId)
    .sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0));
}

/**
 * @example
 * managedPolicyResource({ key: 'boundary-policy', name: 'lambdaflex-stack-boundary-eu-west-1',
 *   region: 'eu-west-1', description: '…', document: (refs) => … });
 */
export function managedPolicyResource(options: ManagedPolicyOptions): SystemResource {
  const { key, name, region } = options;
  const documentOf = (refs: SystemContext['refs']) => {
    const document = options.document(refs);
    if (document === undefined)
      throw new Error(`${key}: the table, whose ARN names the account, is not known yet`);
    return JSON.stringify(document);
  };

  const find = async (ctx: SystemContext): Promise<ObservedResource | undefined> => {
    const iam = ctx.clients.iam;
    const policyArn = await policyArnOf(iam, region, name);
    if (!policyArn) return undefined;
    const policy = (
      await orUndefinedIfGone(() => iam.send(new GetPolicyCommand({ PolicyArn: policyArn })), ERRORS)
    )?.Policy;
    if (!policy?.Arn) return undefined;
    const tags = Object.fromEntries((policy.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    // Its identity (proven.ts): a policy made again under the name has another PolicyId.
    const base = { key, type: TYPE, id: name, arn: policy.Arn, uniqueId: policy.PolicyId, tags, ready: true };
    if (!isOwnedBy(tags, SYSTEM_STACK)) return { ...base, attributes: {}, foreign: true };
    const version = await orUndefinedIfGone(
      () =>
        iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: policy.DefaultVersionId })),
      ERRORS,
    );
    return { ...base, attributes: { document: parsePolicyDocument(version?.PolicyVersion?.Document) } };
  };

  return {
    key,
    type: TYPE,
    service: 'iam',
    dependsOn: ['table'],
    errors: ERRORS,
    neededBy: () => true,
    desiredAttributes: (_spec, refs) => {
      const document = options.document(refs);
      return document === undefined ? {} : { document };
    },
    find,
    async create(ctx) {
      await ctx.clients.iam.send(
        new CreatePolicyCommand({
          PolicyName: name,
          Path: stackRolePath(region),
          PolicyDocument: documentOf(ctx.refs),
          Description: options.description,
          Tags: [
            ...ownershipTagList(SYSTEM_STACK, key),
            ...Object.entries(nonceTags(ctx.nonce)).map(([Key, Value]) => ({ Key, Value })),
          ],
        }),
      );
      const found = await find(ctx);
      if (!found) throw new Error(`${key}: CreatePolicy answered but ${name} is not found`);
      return found;
    },
    async update(ctx, current) {
      assertOwned(current, 'updating');
      const iam = ctx.clients.iam;
      const policyArn = current.arn!;
      const others = await nonDefaultVersions(iam, policyArn);
      // Room for the new version: the oldest of the others goes (the default one stays until replaced).
      if (others.length >= MAX_VERSIONS - 1) {
        await deleteIgnoringGone(
          () =>
            iam.send(
              new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: others[0]!.VersionId }),
            ),
          ERRORS,
        );
      }
      await iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: policyArn,
          PolicyDocument: documentOf(ctx.refs),
          SetAsDefault: true,
        }),
      );
      return (await find(ctx)) ?? current;
    },
    async delete(ctx, current) {
      assertOwned(current, 'deleting');
      const iam = ctx.clients.iam;
      const policyArn = current.arn!;
      // IAM deletes a policy only once its other versions are gone.
      const others = await orUndefinedIfGone(() => nonDefaultVersions(iam, policyArn), ERRORS);
      if (others === undefined) return;
      for (const version of others) {
        await deleteIgnoringGone(
          () =>
            iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: version.VersionId })),
          ERRORS,
        );
      }
      await deleteIgnoringGone(() => iam.send(new DeletePolicyCommand({ PolicyArn: policyArn })), ERRORS);
    },
  };
}
