/**
 * A record of every call made to a simulated account, for the tests that evaluate the reconciler's IAM
 * policy against what it really sends: the call, the answer (or the error code), the region, and every
 * resource of the account as it was just before the call (ARN and tags), which is what IAM would see
 * as `aws:ResourceTag/…` when it authorises the call. Off unless a test turns it on: it copies the
 * inventory at every call.
 */
import type { ServiceName } from './clients';
import type { SimAccount } from './account';
import type { IamState } from '../services/iam/state';
import type { InventoryItem } from './service';

export interface RecordedCall {
  service: ServiceName;
  operation: string;
  region: string;
  accountId: string;
  input: Record<string, unknown>;
  /** The answer, when the call succeeded. */
  output?: Record<string, unknown>;
  /** AWS's error code, when it failed (an injected fault is not recorded: AWS never authorised it). */
  error?: string;
  /** The account's resources before the call. */
  before: InventoryItem[];
  /** IAM roles before the call, by name: what IAM's own condition keys read (`iam:PermissionsBoundary`). */
  roles: Record<string, { arn: string; tags: Record<string, string>; boundary?: string }>;
}

export class CallRecorder {
  readonly calls: RecordedCall[] = [];

  /** The resources as the call finds them. */
  before(account: SimAccount): Pick<RecordedCall, 'before' | 'roles'> {
    const iam = account.stateOf<IamState>('iam');
    const roles = Object.fromEntries(
      Object.values(iam.roles).map((r) => [
        r.name,
        {
          arn: r.arn,
          tags: { ...r.tags },
          ...(r.permissionsBoundaryArn ? { boundary: r.permissionsBoundaryArn } : {}),
        },
      ]),
    );
    return { before: account.inventory(), roles };
  }

  record(call: RecordedCall): void {
    this.calls.push(structuredClone(call));
  }
}
