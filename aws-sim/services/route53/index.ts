/**
 * Simulated Route 53: hosted zones, record sets (simple, weighted, alias), changes that go PENDING →
 * INSYNC, and the resolver view that the traffic model reads (answers.ts).
 */
import type { SimAccount } from '../../core/account';
import { ROUTE53_REQUESTS } from '../../../aws-facts/api-rate-limits';
import type { InventoryItem, OperationContext, SimService } from '../../core/service';
import { recordAnswer } from './answers';
import { applyChangeBatch } from './change-batch';
import { bareId, recordOrderKey } from './names';
import {
  DEFAULT_ROUTE53_CONFIG,
  type ChangeRecord,
  type HostedZone,
  type PriorRequestModel,
  type Route53Config,
  type Route53State,
} from './state';
import { createZone, DEFAULT_ZONE_NAME, newChangeId, zonesByName, zoneSummary } from './zones';

export { resolverWeights, type ResolverShare } from './answers';
export { addHostedZone, zoneForName, DEFAULT_ZONE_NAME } from './zones';
export { fqdn } from './names';
export type {
  Route53State,
  Route53Config,
  PriorRequestModel,
  RecordSet,
  AliasTarget,
  HostedZone,
} from './state';

const MAX_RECORDS_PER_PAGE = 300;
const MAX_ZONES_PER_PAGE = 100;

type Ctx = OperationContext<Route53State>;

function zoneOf(ctx: Ctx, id: unknown): HostedZone {
  const zone = ctx.state.zones[bareId(String(id ?? ''))];
  if (!zone) return ctx.fail('NoSuchHostedZone', `No hosted zone found with ID: ${bareId(String(id ?? ''))}`);
  return zone;
}

function changeInfo(change: ChangeRecord, now: number): Record<string, unknown> {
  return {
    Id: `/change/${change.id}`,
    Status: now >= change.insyncAt ? 'INSYNC' : 'PENDING',
    SubmittedAt: new Date(change.submittedAt),
    ...(change.comment === undefined ? {} : { Comment: change.comment }),
  };
}

/** Sets how long a change stays PENDING (default 60 s). */
export function setRoute53InsyncDelay(account: SimAccount, ms: number): void {
  setRoute53Config(account, { insyncDelayMs: ms });
}

const PRIOR_REQUEST_MODELS: readonly PriorRequestModel[] = ['while-processing', 'until-insync'];

/**
 * Changes the simulated Route 53's settings (state.ts, Route53Config): how long a change is processed and
 * PENDING, and when the next change on its zone meets PriorRequestNotComplete. A setting that is not a
 * duration in milliseconds, or an unknown model, is refused and nothing is changed.
 *
 * @example
 *   setRoute53Config(account, { priorRequestNotComplete: 'until-insync' }); // a zone takes one change a minute
 */
export function setRoute53Config(account: SimAccount, settings: Partial<Route53Config>): void {
  for (const field of ['insyncDelayMs', 'processingMs', 'getChangeLagMs'] as const) {
    const ms = settings[field];
    if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) {
      throw new Error(`Route 53 setting ${field}: must be a number of milliseconds ≥ 0, got ${String(ms)}`);
    }
  }
  const model = settings.priorRequestNotComplete;
  if (model !== undefined && !PRIOR_REQUEST_MODELS.includes(model)) {
    throw new Error(
      `Route 53 setting priorRequestNotComplete: must be one of ${PRIOR_REQUEST_MODELS.join(', ')}, got ${String(model)}`,
    );
  }
  const state = account.stateOf<Route53State>('route53');
  state.config = { ...configOf(state), ...settings };
}

/** The settings, with the defaults of those a state saved by an older simulator lacks. */
export function configOf(state: Route53State): Route53Config {
  return { ...DEFAULT_ROUTE53_CONFIG, ...state.config };
}

/**
 * Until when `change` refuses the next change on its zone. As documented (Route 53 API reference,
 * PriorRequestNotComplete: "If Amazon Route 53 can't process a request before the next request arrives,
 * it will reject subsequent requests for the same hosted zone"), while it is being processed, which is not
 * its propagation: it may be PENDING long after. The adversary keeps the zone until the change is INSYNC.
 */
function busyUntil(change: ChangeRecord, config: Route53Config): number {
  const processedAt = change.processedAt ?? change.submittedAt + config.processingMs;
  return config.priorRequestNotComplete === 'until-insync'
    ? Math.max(processedAt, change.insyncAt)
    : processedAt;
}

export const route53Service: SimService<Route53State> = {
  name: 'route53',
  freshAnswers: true,
  // Hosted zones and their records are the account's, whatever the region: one Route 53 for every region
  // (Route 53 endpoints: "specify us-east-1 as the Region").
  global: true,
  validationErrorCode: 'InvalidInput',
  throttlingErrorCode: 'Throttling',
  // One bucket for every Route 53 call of the account (aws-facts/api-rate-limits.ts).
  buckets: { all: ROUTE53_REQUESTS },
  operations: {
    ListHostedZones: {
      mutating: false,
      bucket: 'all',
      handle: (input, ctx) => {
        const zones = Object.values(ctx.state.zones).sort((a, b) => a.id.localeCompare(b.id));
        const max = Math.min(Number(input.MaxItems ?? MAX_ZONES_PER_PAGE), MAX_ZONES_PER_PAGE);
        const start = input.Marker ? zones.findIndex((z) => z.id === bareId(String(input.Marker))) : 0;
        if (start < 0) ctx.fail('InvalidInput', `Invalid marker ${String(input.Marker)}`);
        const page = zones.slice(start, start + max);
        const next = zones[start + max];
        return {
          HostedZones: page.map(zoneSummary),
          ...(input.Marker ? { Marker: input.Marker } : {}),
          IsTruncated: next !== undefined,
          ...(next ? { NextMarker: next.id } : {}),
          MaxItems: max,
        };
      },
    },
    ListHostedZonesByName: {
      mutating: false,
      bucket: 'all',
      handle: (input, ctx) => {
        const zones = zonesByName(ctx.state);
        const max = Math.min(Number(input.MaxItems ?? MAX_ZONES_PER_PAGE), MAX_ZONES_PER_PAGE);
        let start = 0;
        if (input.DNSName) {
          const wanted = String(input.DNSName).toLowerCase().replace(/\.?$/, '.');
          const key = (n: string) => n.replace(/\.$/, '').split('.').reverse().join('.');
          start = zones.findIndex(
            (z) =>
              key(z.name) > key(wanted) ||
              (z.name === wanted && (!input.HostedZoneId || z.id >= bareId(String(input.HostedZoneId)))),
          );
          if (start < 0) start = zones.length;
        }
        const page = zones.slice(start, start + max);
        const next = zones[start + max];
        return {
          HostedZones: page.map(zoneSummary),
          ...(input.DNSName ? { DNSName: input.DNSName } : {}),
          IsTruncated: next !== undefined,
          ...(next ? { NextDNSName: next.name, NextHostedZoneId: next.id } : {}),
          MaxItems: max,
        };
      },
    },
    GetHostedZone: {
      mutating: false,
      bucket: 'all',
      required: ['Id'],
      handle: (input, ctx) => {
        const zone = zoneOf(ctx, input.Id);
        const ns = zone.records.find((r) => r.Name === zone.name && r.Type === 'NS');
        return {
          HostedZone: zoneSummary(zone),
          DelegationSet: { NameServers: (ns?.ResourceRecords ?? []).map((r) => r.Value.replace(/\.$/, '')) },
        };
      },
    },
    ChangeResourceRecordSets: {
      mutating: true,
      bucket: 'all',
      required: ['HostedZoneId', 'ChangeBatch'],
      handle: (input, ctx) => {
        const zone = zoneOf(ctx, input.HostedZoneId);
        const config = configOf(ctx.state);
        const busy = Object.values(ctx.state.changes).some(
          (c) => c.zoneId === zone.id && ctx.now < busyUntil(c, config),
        );
        if (busy) {
          // docs/aws-facts.md: refused while a prior change on the zone is being processed (or, in the
          // adversary's model, until it is INSYNC).
          ctx.fail(
            'PriorRequestNotComplete',
            'The request was rejected because Route 53 was still processing a prior request.',
          );
        }
        const result = applyChangeBatch(zone.records, zone.name, input.ChangeBatch?.Changes);
        if (!result.ok) return ctx.fail(result.error.code, result.error.message);
        const change: ChangeRecord = {
          id: newChangeId(ctx.account),
          zoneId: zone.id,
          submittedAt: ctx.now,
          processedAt: ctx.now + config.processingMs,
          // A zone's changes reach its name servers in the order Route 53 accepted them: a later change
          // is never INSYNC before an earlier one (a simulator choice; AWS says nothing either way).
          insyncAt: Math.max(ctx.now + config.insyncDelayMs, lastChangeInsyncAt(ctx.state, zone.id)),
          ...(input.ChangeBatch?.Comment === undefined ? {} : { comment: String(input.ChangeBatch.Comment) }),
        };
        zone.records = result.records;
        for (const nameAndType of result.touched) recordAnswer(zone, nameAndType, change.insyncAt, ctx.now);
        ctx.state.changes[change.id] = change;
        pruneOldChanges(ctx.state, ctx.now);
        return { ChangeInfo: changeInfo(change, ctx.now) };
      },
    },
    GetChange: {
      mutating: false,
      bucket: 'all',
      required: ['Id'],
      handle: (input, ctx) => {
        const change = ctx.state.changes[bareId(String(input.Id))];
        const lag = configOf(ctx.state).getChangeLagMs;
        if (!change || ctx.now < change.submittedAt + lag)
          return ctx.fail('NoSuchChange', `Could not find resource with ID: ${bareId(String(input.Id))}`);
        return { ChangeInfo: changeInfo(change, ctx.now) };
      },
    },
    ListResourceRecordSets: {
      mutating: false,
      bucket: 'all',
      required: ['HostedZoneId'],
      handle: (input, ctx) => {
        const zone = zoneOf(ctx, input.HostedZoneId);
        if (input.StartRecordType && !input.StartRecordName) {
          ctx.fail('InvalidInput', 'The input is not valid: StartRecordType requires StartRecordName');
        }
        const sorted = [...zone.records].sort((a, b) =>
          compare(
            recordOrderKey(a.Name, a.Type, a.SetIdentifier),
            recordOrderKey(b.Name, b.Type, b.SetIdentifier),
          ),
        );
        let start = 0;
        if (input.StartRecordName) {
          const from = recordOrderKey(
            String(input.StartRecordName).toLowerCase().replace(/\.?$/, '.'),
            input.StartRecordType ? String(input.StartRecordType) : '',
            input.StartRecordIdentifier ? String(input.StartRecordIdentifier) : '',
          );
          start = sorted.findIndex(
            (r) => compare(recordOrderKey(r.Name, r.Type, r.SetIdentifier), from) >= 0,
          );
          if (start < 0) start = sorted.length;
        }
        const max = Math.min(Number(input.MaxItems ?? MAX_RECORDS_PER_PAGE), MAX_RECORDS_PER_PAGE);
        const page = sorted.slice(start, start + max);
        const next = sorted[start + max];
        return {
          ResourceRecordSets: structuredClone(page),
          IsTruncated: next !== undefined,
          ...(next
            ? {
                NextRecordName: next.Name,
                NextRecordType: next.Type,
                ...(next.SetIdentifier === undefined ? {} : { NextRecordIdentifier: next.SetIdentifier }),
              }
            : {}),
          MaxItems: max,
        };
      },
    },
  },
  initialState: (account) => {
    const zone = createZone(account, DEFAULT_ZONE_NAME, 'lambdaflex-sim-default-zone');
    return { config: { ...DEFAULT_ROUTE53_CONFIG }, zones: { [zone.id]: zone }, changes: {} };
  },
  inventory: (state, account): InventoryItem[] =>
    Object.values(state.zones).flatMap((zone) => [
      {
        type: 'AWS::Route53::HostedZone',
        id: zone.id,
        name: zone.name,
        arn: account.arn('route53', `hostedzone/${zone.id}`, { region: false, account: false }),
        tags: {},
      },
      // Record sets have no ARN and can't be tagged; they are listed for inspection only.
      ...zone.records
        .filter((r) => r.Type !== 'NS' && r.Type !== 'SOA')
        .map((r) => ({
          type: 'AWS::Route53::RecordSet',
          id: `${zone.id}|${r.Name}|${r.Type}${r.SetIdentifier === undefined ? '' : `|${r.SetIdentifier}`}`,
          name: r.Name,
          state: account.now() >= lastChangeInsyncAt(state, zone.id) ? 'INSYNC' : 'PENDING',
          tags: {},
        })),
    ]),
};

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lastChangeInsyncAt(state: Route53State, zoneId: string): number {
  let latest = 0;
  for (const c of Object.values(state.changes))
    if (c.zoneId === zoneId && c.insyncAt > latest) latest = c.insyncAt;
  return latest;
}

/** GetChange answers for changes of the last day; older ones are forgotten so the state stays small. */
function pruneOldChanges(state: Route53State, now: number): void {
  const DAY_MS = 86_400_000;
  for (const [id, c] of Object.entries(state.changes))
    if (now - c.insyncAt > DAY_MS) delete state.changes[id];
}
