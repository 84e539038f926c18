/**
 * What resolvers see. A change reaches Route 53's authoritative servers at its INSYNC time; resolvers
 * that cached the previous answer keep it until their copy's TTL runs out (Route 53 FAQ: "resolvers
 * cache for the record's TTL"). Cache expiries are spread evenly, so the share of resolvers still holding
 * the previous answer falls linearly from 1 at INSYNC to 0 at INSYNC + TTL.
 */
import type { SimAccount } from '../../core/account';
import { fqdn } from './names';
import {
  ALIAS_TTL_SECONDS,
  type AnswerEntry,
  type AnswerEpoch,
  type HostedZone,
  type RecordSet,
  type Route53State,
} from './state';

/** One answer resolvers hand out, and the share of all lookups that get it. */
export interface ResolverShare {
  setIdentifier?: string;
  target: string;
  alias: boolean;
  /** 0..1; the shares of one name sum to 1, or less while some resolvers still hold "no such name". */
  share: number;
}

/** Records the authoritative answer for `name|type` from `effectiveAt` on, dropping epochs nobody sees any more. */
export function recordAnswer(zone: HostedZone, nameAndType: string, effectiveAt: number, now: number): void {
  const [name, type] = nameAndType.split('|');
  const records = zone.records.filter((r) => r.Name === name && r.Type === type);
  const epoch: AnswerEpoch = { effectiveAt, ttlSeconds: answerTtl(records), entries: records.map(toEntry) };
  const epochs = (zone.answers[nameAndType] ??= []);
  epochs.push(epoch);
  pruneSettled(epochs, now);
}

/**
 * The answers resolvers give for `recordName` at `at` (default now), with the share of lookups each gets.
 *
 * @example
 *   resolverWeights(account, zoneId, 'api.example.test'); // [{ setIdentifier: 'lambda', share: 0.25, … }, …]
 */
export function resolverWeights(
  account: SimAccount,
  zoneId: string,
  recordName: string,
  type = 'A',
  at = account.now(),
): ResolverShare[] {
  const zone = account.stateOf<Route53State>('route53').zones[zoneId];
  if (!zone) return [];
  const epochs = (zone.answers[`${fqdn(recordName)}|${type}`] ?? []).filter((e) => e.effectiveAt <= at);
  const shares = viewAt(epochs, epochs.length - 1, at);
  return [...shares.values()].filter((s) => s.share > 0);
}

function viewAt(epochs: AnswerEpoch[], index: number, at: number): Map<string, ResolverShare> {
  if (index < 0) return new Map();
  const epoch = epochs[index]!;
  const current = normalise(epoch.entries);
  if (index === 0) return current;
  const previousTtlMs = epochs[index - 1]!.ttlSeconds * 1000;
  const fresh = previousTtlMs <= 0 ? 1 : Math.min(1, (at - epoch.effectiveAt) / previousTtlMs);
  if (fresh >= 1) return current;
  const mixed = new Map<string, ResolverShare>();
  const add = (from: Map<string, ResolverShare>, factor: number) => {
    for (const [key, s] of from) {
      const entry = mixed.get(key) ?? { ...s, share: 0 };
      entry.share += s.share * factor;
      mixed.set(key, entry);
    }
  };
  add(current, fresh);
  add(viewAt(epochs, index - 1, at), 1 - fresh);
  return mixed;
}

/** Weighted records share lookups by weight; all weights 0 means equal shares (Route 53 weighted routing). */
function normalise(entries: AnswerEntry[]): Map<string, ResolverShare> {
  const shares = new Map<string, ResolverShare>();
  if (entries.length === 0) return shares;
  const total = entries.reduce((sum, e) => sum + (e.weight ?? 1), 0);
  for (const e of entries) {
    const share = total === 0 ? 1 / entries.length : (e.weight ?? 1) / total;
    const key = `${e.setIdentifier ?? ''}|${e.target}`;
    shares.set(key, { setIdentifier: e.setIdentifier, target: e.target, alias: e.alias, share });
  }
  return shares;
}

function toEntry(record: RecordSet): AnswerEntry {
  const target = record.AliasTarget?.DNSName ?? (record.ResourceRecords ?? []).map((r) => r.Value).join(',');
  return {
    setIdentifier: record.SetIdentifier,
    weight: record.Weight,
    target,
    alias: record.AliasTarget !== undefined,
  };
}

function answerTtl(records: RecordSet[]): number {
  return Math.max(0, ...records.map((r) => (r.AliasTarget ? ALIAS_TTL_SECONDS : (r.TTL ?? 0))));
}

/** Epochs older than the newest one that every resolver already holds can never be seen again. */
function pruneSettled(epochs: AnswerEpoch[], now: number): void {
  for (let i = epochs.length - 1; i > 0; i--) {
    const settledAt = epochs[i]!.effectiveAt + epochs[i - 1]!.ttlSeconds * 1000;
    if (settledAt <= now) {
      epochs.splice(0, i);
      return;
    }
  }
}
