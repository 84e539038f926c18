/**
 * A change feed standing for DynamoDB Streams on a table: every write that changes an item appends a
 * stream record as Lambda delivers them (`eventName` INSERT / MODIFY / REMOVE, the key, and with the
 * NEW_AND_OLD_IMAGES view the item before and after, in DynamoDB's attribute-value form), in write order,
 * each with a growing sequence number. Whoever writes the table pushes each change (for the reconciler's
 * state store, simulation/state-stream.ts).
 *
 * @example
 * const feed = new ChangeFeed({ streamArn, region: 'us-east-1', partitionKey: 'stack', now: () => account.now() });
 * feed.push('orders', before, after);
 */
import { isDeepStrictEqual } from 'node:util';
import type { DynamoDBRecord } from 'aws-lambda';
import { marshall } from '@aws-sdk/util-dynamodb';

export interface ChangeFeedOptions {
  /** The stream's ARN, as DescribeTable's LatestStreamArn would give it. */
  streamArn: string;
  region: string;
  /** The table's partition key (a string attribute): the records' `Keys`. */
  partitionKey: string;
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

  /** Appends the change of item `key` from `before` to `after` (undefined: no item); nothing when they are equal. */
  push(key: string, before: object | undefined, after: object | undefined): void {
    if (isDeepStrictEqual(before, after)) return;
    this.sequence += 1;
    const image = (record: object) =>
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
        Keys: { [this.options.partitionKey]: { S: key } },
        ...(after ? { NewImage: image(after) } : {}),
        ...(before ? { OldImage: image(before) } : {}),
        SequenceNumber: `${this.sequence}`.padStart(21, '0'),
        SizeBytes: JSON.stringify(after ?? before).length,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
  }
}
