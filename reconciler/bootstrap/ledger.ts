/**
 * Bootstrap's proof of ownership (safety rule 3, docs/ownership.md "Bootstrap's own resources"): the
 * identity AWS gave each resource bootstrap made (a RoleId, a PolicyId, a queue's creation time, …),
 * kept in the table's system record beside the hosted zones, and the intent (a nonce) written before
 * each create, so that a resource a run made and died before recording is still recognised by the
 * nonce it carries. A resource of bootstrap's name and tags whose identity is not recorded here is
 * someone else's: never changed, never deleted.
 *
 * Stored in the system record item as two maps, `owned` (key → identity) and `intents` (key →
 * {nonce, at}). A record without `owned` was written by a release before this ledger (`legacy`).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CreateIntent } from '../state/bookkeeping';
import { documentClientOf } from '../state/dynamo-store';
import { SYSTEM_RECORD_KEY } from '../state/system-record';

/** A create's intent as a stack's record keeps it, less what only the stacks' waiting reads. */
export type Intent = Pick<CreateIntent, 'nonce' | 'at'>;

export interface Ledger {
  owned: Record<string, string>;
  intents: Record<string, Intent>;
}

/** What the system record holds: a ledger, `legacy` (a record made before ledgers), or nothing (no record). */
export type LedgerState = Ledger | 'legacy' | undefined;

/** The ledger of a system record item as stored. */
export function ledgerOfItem(item: Record<string, unknown> | undefined): LedgerState {
  if (!item) return undefined;
  const owned = item['owned'];
  if (owned === undefined || owned === null || typeof owned !== 'object') return 'legacy';
  const intents = (item['intents'] ?? {}) as Record<string, Partial<Intent>>;
  return {
    owned: Object.fromEntries(
      Object.entries(owned as Record<string, unknown>).filter(([, v]) => typeof v === 'string'),
    ) as Record<string, string>,
    intents: Object.fromEntries(
      Object.entries(intents)
        .filter(([, i]) => typeof i?.nonce === 'string')
        .map(([k, i]) => [k, { nonce: i.nonce!, at: Number(i.at ?? 0) }]),
    ),
  };
}

/** Writes to the ledger: conditional on the record being there with its ledger (made by this release). */
export class LedgerStore {
  private documentClient: DynamoDBDocumentClient | undefined;

  constructor(
    private readonly dynamodb: DynamoDBClient,
    readonly tableName: string,
  ) {}

  private doc(): DynamoDBDocumentClient {
    // Translating as the state store does (state/dynamo-store.ts documentClientOf says why).
    return (this.documentClient ??= documentClientOf(this.dynamodb));
  }

  private async update(expression: string, names: Record<string, string>, values?: Record<string, unknown>) {
    await this.doc().send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { stack: SYSTEM_RECORD_KEY },
        UpdateExpression: expression,
        ConditionExpression: 'attribute_exists(#owned) AND attribute_exists(#intents)',
        ExpressionAttributeNames: { '#owned': 'owned', '#intents': 'intents', ...names },
        ...(values ? { ExpressionAttributeValues: values } : {}),
      }),
    );
  }

  /** Before a create: the nonce the create carries. */
  async intend(key: string, intent: Intent): Promise<void> {
    await this.update('SET #intents.#k = :i', { '#k': key }, { ':i': intent });
  }

  /** A create answered (or its resource found by its nonce): its identity recorded, its intent cleared. */
  async owned(key: string, identity: string): Promise<void> {
    await this.update('SET #owned.#k = :id REMOVE #intents.#k', { '#k': key }, { ':id': identity });
  }

  /** Deleted: no longer ours. */
  async released(key: string): Promise<void> {
    await this.update('REMOVE #owned.#k, #intents.#k', { '#k': key });
  }

  /**
   * The upgrade of a record made before ledgers: every identity at once, in one write, only while the
   * record is still without a ledger (a concurrent run may have upgraded it).
   */
  async adopt(owned: Record<string, string>): Promise<void> {
    await this.doc().send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { stack: SYSTEM_RECORD_KEY },
        UpdateExpression: 'SET #owned = :owned, #intents = :none',
        ConditionExpression: 'attribute_exists(#stack) AND attribute_not_exists(#owned)',
        ExpressionAttributeNames: { '#owned': 'owned', '#intents': 'intents', '#stack': 'stack' },
        ExpressionAttributeValues: { ':owned': owned, ':none': {} },
      }),
    );
  }
}
