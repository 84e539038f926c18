/**
 * A weighted record as the kind reports it to the engine: ready once Route 53 reports its last change
 * INSYNC (the change's id kept in `extra` for the next pass to ask GetChange about); a name that is
 * someone else's as foreign, never written, with what the stack may still have there; an ownership TXT
 * of ours left without records, so that the plan writes them again under it or takes the TXT away.
 */
import { GetChangeCommand, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { Tier } from '../../../spec';
import { errorCode } from '../../aws/classify';
import type { ObservedResource, ResourceContext, StateWaiter, Waiters } from '../types';
import { readyByState } from '../common/waiters';
import type { ForeignOwnership } from './dns-ownership';
import { fromRecordSet, RECORD_SET_TYPE } from './weighted-record';

/** What LambdaFlex reads of a Route 53 change: its id and PENDING or INSYNC. */
export interface ChangeInfo {
  Id?: string;
  Status?: string;
}

/**
 * What the engine and the traffic engine read from a record's `extra`: the change still PENDING (for the
 * next pass), the set as held, and on a foreign name whether the stack wrote there.
 */
export interface DnsRecordExtra {
  hostedZoneId: string;
  /** The last change this kind made, until Route 53 reports it INSYNC. */
  changeId?: string;
  changeStatus?: string;
  /** The record set exactly as Route 53 holds it, for a DELETE that must repeat it; absent for an orphan TXT. */
  recordSet?: ResourceRecordSet;
  /** The name's ownership TXT as Route 53 holds it, when it names this stack. */
  ownerTxt?: ResourceRecordSet;
  /**
   * On a foreign name: the stack remembers writing records there, so a change of its own may still be
   * propagating (dns-ownership.ts, `ForeignOwnership.wroteThere`).
   */
  wroteThere?: true;
}

/**
 * A kept change Route 53 answers NoSuchChange for. AWS documents it only as "A change with the specified
 * change ID does not exist", and no expiry of change ids: for a change the stack made (an eventually
 * consistent read, an id kept wrong, another account's or partition's endpoint) it says nothing of
 * whether the change is in sync. So it is still waited on, never read as INSYNC (safety rule 6): read
 * so, the drain would start while Route 53's servers may still answer the old weights.
 */
export const NO_SUCH_CHANGE = 'NO_SUCH_CHANGE';

/**
 * Route 53 change statuses (Route 53 API reference, ChangeInfo.Status), with a change it does not know,
 * which is waited on as a PENDING one (its id kept and asked again).
 */
export const CHANGE_STATUS: StateWaiter = { pending: ['PENDING', NO_SUCH_CHANGE], target: ['INSYNC'] };
export const WAITERS: Waiters = { ready: CHANGE_STATUS };

export function observedRecord(
  key: string,
  tier: Tier,
  zoneId: string,
  set: ResourceRecordSet,
  change: ChangeInfo | undefined,
  ownerTxt: ResourceRecordSet | undefined,
): ObservedResource<DnsRecordExtra> {
  const record = fromRecordSet(set, tier, !!ownerTxt);
  // No change to ask about (none made, or its id forgotten): the record is as Route 53 serves it.
  const state = change?.Status ?? 'INSYNC';
  const pending = change !== undefined && CHANGE_STATUS.pending.includes(state);
  const extra: DnsRecordExtra = {
    hostedZoneId: zoneId,
    ...(pending ? { changeId: change.Id, changeStatus: change.Status } : {}),
    recordSet: set,
    ...(ownerTxt ? { ownerTxt } : {}),
  };
  return {
    key,
    type: RECORD_SET_TYPE,
    id: `${zoneId}/${record.name}/A/${tier}`,
    state,
    tags: {},
    attributes: record,
    ...readyByState(WAITERS, state, `Route 53 change ${change?.Id} is`),
    ...(state === NO_SUCH_CHANGE ? { notReadyReason: notKnown(change!.Id) } : {}),
    foreign: false,
    extra,
  };
}

/** Why a record waits on a change Route 53 answers NoSuchChange for, in words. */
export function notKnown(changeId: string | undefined): string {
  return `Route 53 knows no change ${changeId} (NoSuchChange): not taken as INSYNC, asked again`;
}

/**
 * The name is someone else's: reported, never written (safety rule 7). The set of this tier's identifier
 * held there, if any, is kept in `extra`: written by the stack before its ownership TXT was taken over,
 * it may still send lookups to the stack's ALB, which then may not go (safety rule 2); and whether the
 * stack wrote there at all (`wroteThere`). The traffic engine reads both (traffic/foreign-name.ts).
 */
export function foreignName(
  key: string,
  zoneId: string,
  name: string,
  ownership: ForeignOwnership,
  held: ResourceRecordSet | undefined,
): ObservedResource<DnsRecordExtra> {
  return {
    key,
    type: RECORD_SET_TYPE,
    id: `${zoneId}/${name}`,
    tags: {},
    attributes: {},
    ready: true,
    foreign: true,
    conflict: ownership.inTheWay,
    extra: {
      hostedZoneId: zoneId,
      ...(held ? { recordSet: held } : {}),
      ...(ownership.wroteThere ? { wroteThere: true as const } : {}),
    },
  };
}

/**
 * Our ownership TXT left without any of our records (they were deleted by hand): the `lambda` record stands
 * for it, so that a wanted record is written again under it and an unwanted one takes the TXT with it.
 */
export function orphanOwnership(
  key: string,
  zoneId: string,
  name: string,
  txt: ResourceRecordSet,
): ObservedResource<DnsRecordExtra> {
  const extra: DnsRecordExtra = { hostedZoneId: zoneId, ownerTxt: txt };
  return {
    key,
    type: RECORD_SET_TYPE,
    id: `${zoneId}/${name}/A/lambda`,
    state: 'MISSING',
    tags: {},
    attributes: { name, type: 'A', setIdentifier: 'lambda', ownershipRecord: 'present' },
    ready: true,
    foreign: false,
    extra,
  };
}

/**
 * A change's status; one Route 53 answers NoSuchChange for is `NO_SUCH_CHANGE`, waited on (see there).
 * An answer without ChangeInfo is not an INSYNC either: it is waited on alike.
 */
export async function changeStatus(ctx: ResourceContext, changeId: string): Promise<ChangeInfo> {
  try {
    const answer = await ctx.clients.route53.send(new GetChangeCommand({ Id: changeId }));
    return answer.ChangeInfo ?? { Id: changeId, Status: NO_SUCH_CHANGE };
  } catch (error) {
    if (errorCode(error) === 'NoSuchChange') return { Id: changeId, Status: NO_SUCH_CHANGE };
    throw error;
  }
}
