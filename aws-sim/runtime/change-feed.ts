/**
 * A change feed from the state store, standing for DynamoDB Streams on the state table: every write that
 * changes a record appends a stream record as Lambda delivers them (`eventName` INSERT / MODIFY / REMOVE,
 * the key, and with the NEW_AND_OLD_IMAGES view the item before and after, in DynamoDB's attribute-value
 * form), in write order, each with a growing sequence number.
 *
 * `withChangeFeed(store, feed)` wraps any StateStore: the records are taken from the store as it is
 * before and after each write, so that what the feed shows is what the table holds, whatever the store.
 *
 * @example
 * const feed = new ChangeFeed({ streamArn, region: 'us-east-1', now: () => account.now() });
 * const store = withChangeFeed(new InMemoryStateStore(() => account.now()), feed);
 */
import { isDeepStrictEqual } from 'node:util';
import type { DynamoDBRecord } from 'aws-lambda';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { StackRecord, StateStore } from '../../reconciler/state/types';

export interface ChangeFeedOptions {
  /** The stream's ARN, as DescribeTable's LatestStreamArn would give it. */
  streamArn: string;
  region: string;
  /** Epoch ms of each record's ApproximateCreationDateTime (the simulated clock). */
  now: () => number;
}

/** The ARN DynamoDB gives a table's stream: `…:table/<name>/stream/<ISO time of enabling>`. */
export function streamArnOf(tableArn: string, enabledAt: number): string {
  return `${tableArn}/stream/${new Date(enabledAt).toISOString().replace('Z', '')}`;
}

export class ChangeFeed {
  /** The records kept (those before `dropped` were read by every reader and let go). */
  readonly records: DynamoDBRecord[] = [];
  /** When each record kept was written (epoch ms): where a mapping starting at LATEST begins. */
  readonly writtenAt: number[] = [];
  /** How many records were let go from the front (positions are counted from the first record ever). */
  dropped = 0;
  private sequence = 0;

  constructor(readonly options: ChangeFeedOptions) {}

  get streamArn(): string {
    return this.options.streamArn;
  }

  /** Records written so far, counting those let go. */
  get length(): number {
    return this.dropped + this.records.length;
  }

  /** Records from position `from` (counted from the first ever), at most `max`. */
  read(from: number, max: number): DynamoDBRecord[] {
    const start = Math.max(0, from - this.dropped);
    return this.records.slice(start, start + max);
  }

  /** Lets go of the records before `position` (a long run keeps only what is still to be read). */
  release(position: number): void {
    const count = Math.min(this.records.length, position - this.dropped);
    if (count <= 0) return;
    this.records.splice(0, count);
    this.writtenAt.splice(0, count);
    this.dropped += count;
  }

  /** Appends the change from `before` to `after` (undefined: no item); nothing when they are equal. */
  push(stack: string, before: StackRecord | undefined, after: StackRecord | undefined): void {
    if (isDeepStrictEqual(before, after)) return;
    this.sequence += 1;
    const image = (record: StackRecord) =>
      marshall(record as unknown as Record<string, unknown>, {
        removeUndefinedValues: true,
        convertClassInstanceToMap: true,
      }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
    const eventName = before === undefined ? 'INSERT' : after === undefined ? 'REMOVE' : 'MODIFY';
    this.writtenAt.push(this.options.now());
    this.records.push({
      eventID: `${this.sequence}`.padStart(32, '0'),
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.options.region,
      eventSourceARN: this.options.streamArn,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(this.options.now() / 1000),
        Keys: { stack: { S: stack } },
        ...(after ? { NewImage: image(after) } : {}),
        ...(before ? { OldImage: image(before) } : {}),
        SequenceNumber: `${this.sequence}`.padStart(21, '0'),
        SizeBytes: JSON.stringify(after ?? before).length,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
  }
}

/** The stack each write of the StateStore touches, from its arguments (the others only read). */
const WRITES: Record<string, (args: unknown[]) => string | undefined> = {
  putSpec: ([doc]) =>
    typeof (doc as { stack?: unknown })?.stack === 'string' ? (doc as { stack: string }).stack : undefined,
  requestDelete: ([stack]) => stack as string,
  deleteRecord: ([stack]) => stack as string,
  writeStatus: ([stack]) => stack as string,
  writeReconcilerState: ([stack]) => stack as string,
  acquireLease: ([stack]) => stack as string,
  renewLease: ([stack]) => stack as string,
  releaseLease: ([stack]) => stack as string,
  appendEvents: ([stack]) => stack as string,
};

/** `store`, with every write that changes a record appended to `feed`. */
export function withChangeFeed<S extends StateStore>(store: S, feed: ChangeFeed): S {
  const read = async (stack: string) => {
    try {
      return await store.get(stack);
    } catch {
      return undefined;
    }
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const stackOf = typeof property === 'string' ? WRITES[property] : undefined;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (!stackOf) return method;
      return async (...args: unknown[]) => {
        const stack = stackOf(args);
        const before = stack === undefined ? undefined : await read(stack);
        try {
          return await method(...args);
        } finally {
          // A write that failed after part of it took effect still shows as what the table holds.
          if (stack !== undefined) feed.push(stack, before, await read(stack));
        }
      };
    },
  });
}
