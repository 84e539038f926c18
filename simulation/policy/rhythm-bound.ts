/**
 * What not knowing when the next burst comes costs a policy that meets recurring bursts on Fargate, over
 * what the offline optimum (which knows every burst's minute) pays for the same gap: a yardstick for the
 * flash crowds, beside `firstSightBound` (online-bound.ts), which grants the policy the whole future once
 * it has seen the first costly minute, and so every burst's start.
 *
 * The bursts' law is granted instead (more than any policy learns from a few bursts): every burst lasts
 * `L` minutes at `burstRps` over a quiet `quietRps`, and the next starts `G` minutes after the last one
 * began, `G` drawn from a known distribution, independently of everything seen before (the quiet minutes
 * carry no sign of it). A minute is seen `lagMinutes` after it (CloudWatch), a task asked for serves the
 * minute it is asked in (as in the simulated account), and a move runs `U` (up) or `D` (down) minutes,
 * both tiers billing meanwhile (the cost model of `cost.ts`). The policy is granted the end of each burst
 * as it happens: its tasks go and its scale-down starts at the burst's last minute, as the optimum's do.
 *
 * One gap, from a burst's end to the next burst's end, starting on Fargate. Before `G` is known the
 * policy follows a plan chosen from what it has seen, which says nothing of `G`:
 * - **stay** on Fargate, with the burst's tasks (beyond the idle tier's) from minute `T`;
 * - **come back**: leave at the burst's end, be back (the tier serving) at minute `R`, the burst's tasks
 *   from `T ≥ R`. A burst before `R` is served by Lambda until the tier serves (no SLO minute, Lambda's
 *   price); one seen before the scale-up was to start starts it at once.
 * A burst on Fargate before its tasks overruns the idle tier until they serve: from when the policy asked
 * for them (`T`) or saw the burst (`G + lag`), whichever is sooner.
 * The optimum, knowing `G`, stays or comes back with the tier and the tasks serving at `G` exactly.
 *
 * `gapPenalty` is the least expected cost of a plan beyond the optimum's expected cost, over all plans, and
 * over the plans with no SLO minute for any `G` the law allows (`sloSafe`): where no plan without SLO
 * minutes comes near the optimum, the burst's tasks must wait through the spread of the gaps. It assumes
 * the optimum meets each burst on Fargate (bursts dear enough on Lambda, as flash-crowd-2's): a gap
 * ending on Lambda is outside this model.
 *
 * Pure.
 */
import { fargateTaskHourlyCost, fargateTasksFor } from '../../reconciler/decide/tier-cost';
import { MINUTES_PER_HOUR } from '../../util/time';
import { minuteCost } from './cost';
import type { PolicySpec, TierState } from './types';

export interface BurstLaw {
  quietRps: number;
  burstRps: number;
  /** L: minutes each burst lasts. */
  lengthMinutes: number;
  /** From one burst's start to the next's: each gap (minutes) with its probability (summing to 1). */
  gaps: readonly { gap: number; p: number }[];
  durationMs: number;
}

export interface GapMoves {
  scaleUpMinutes: number;
  scaleDownMinutes: number;
  lagMinutes: number;
}

export interface GapPlan {
  way: 'stay' | 'comeBack';
  /** comeBack: the minute the tier serves again (from the last burst's start). */
  ready?: number;
  /** The minute the burst's tasks serve from. */
  tasksFrom: number;
  /** Expected USD over the gap. */
  cost: number;
  /** Expected SLO minutes over the gap. */
  slo: number;
}

export interface GapPenalty {
  /** Expected USD of the optimum over one gap (it knows `G`). */
  optimum: number;
  /**
   * Expected USD of the gap served by Lambda alone, the burst with it. Where it is no dearer than the
   * plans (`sloSafe.cost`), meeting the bursts from Lambda may be the cheaper way, which the plans leave
   * out, and the penalties say nothing (the model assumes the bursts met on Fargate).
   */
  onLambda: number;
  /** The cheapest plan in expectation, SLO minutes allowed. */
  best: GapPlan;
  /** The cheapest plan with no SLO minute for any gap the law allows. */
  sloSafe: GapPlan;
  /** With a `sloBudget`: the cheapest plan whose expected SLO minutes a gap are within it. */
  withinBudget?: GapPlan;
  /** best.cost − optimum and sloSafe.cost − optimum: what not knowing `G` costs a gap, at least. */
  penalty: number;
  sloSafePenalty: number;
}

interface Pricing {
  law: BurstLaw;
  moves: GapMoves;
  /** USD a minute of the burst's tasks beyond the idle tier's. */
  extraTasks: number;
  prices: Record<TierState, [number, number]>;
}

/** What a minute costs in each state, quiet or in the burst (six prices, looked up per minute). */
function minutePrices(law: BurstLaw, spec: PolicySpec): Record<TierState, [number, number]> {
  const price = (state: TierState, rps: number) => minuteCost(state, rps, law.durationMs, spec).total;
  const both = (state: TierState): [number, number] => [
    price(state, law.quietRps),
    price(state, law.burstRps),
  ];
  return { lambda: both('lambda'), fargate: both('fargate'), both: both('both') };
}

const minute = (p: Pricing, state: TierState, burst: boolean) => p.prices[state][burst ? 1 : 0];

/**
 * One gap's cost and SLO minutes under a plan, for a burst at `G`: the minutes from the last burst's end
 * (`L`) to this burst's end (`G + L`).
 */
function priceGap(
  p: Pricing,
  plan: { way: 'stay' | 'comeBack'; ready: number; tasksFrom: number },
  G: number,
): { cost: number; slo: number } {
  const L = p.law.lengthMinutes;
  const { scaleUpMinutes: U, scaleDownMinutes: D, lagMinutes } = p.moves;
  let cost = 0;
  let slo = 0;
  // The burst's tasks serve from when they were asked for, or from when the burst was seen.
  const tasksAt = Math.min(plan.tasksFrom, G + lagMinutes);
  // A burst seen on Lambda before the planned scale-up starts it at once.
  const upFrom = Math.max(L + D, Math.min(plan.ready - U, G + lagMinutes));
  for (let t = L; t < G + L; t++) {
    const burst = t >= G;
    let state: TierState = 'fargate';
    if (plan.way === 'comeBack') {
      if (t < L + D) state = 'both';
      else if (t < upFrom) state = 'lambda';
      else if (t < upFrom + U) state = 'both';
    }
    cost += minute(p, state, burst);
    if (state !== 'fargate') continue;
    // The idle tier's tasks are in minuteCost's; the burst's beyond them are priced while they run ahead
    // of it (in the burst, minuteCost sizes the tier to the rate).
    if (!burst && t >= plan.tasksFrom) cost += p.extraTasks;
    if (burst && t < tasksAt) slo += 1;
  }
  return { cost, slo };
}

function expected(p: Pricing, plan: { way: 'stay' | 'comeBack'; ready: number; tasksFrom: number }) {
  let cost = 0;
  let slo = 0;
  for (const { gap, p: weight } of p.law.gaps) {
    const one = priceGap(p, plan, gap);
    cost += weight * one.cost;
    slo += weight * one.slo;
  }
  return { cost, slo };
}

/**
 * @example
 * const law = { quietRps: 3.3, burstRps: 383, lengthMinutes: 7, gaps: generatorGaps(67), durationMs: 100 };
 * gapPenalty(law, spec, { scaleUpMinutes: 11, scaleDownMinutes: 9, lagMinutes: 3 }).sloSafePenalty;
 * gapPenalty(law, spec, moves, 0.5).withinBudget; // the cheapest plan missing half a minute a gap at most
 */
export function gapPenalty(law: BurstLaw, spec: PolicySpec, moves: GapMoves, sloBudget?: number): GapPenalty {
  const taskMinute = fargateTaskHourlyCost(spec.fargate) / MINUTES_PER_HOUR;
  const extra = fargateTasksFor(law.burstRps, spec.fargate) - fargateTasksFor(law.quietRps, spec.fargate);
  const p: Pricing = {
    law,
    moves,
    extraTasks: Math.max(0, extra) * taskMinute,
    prices: minutePrices(law, spec),
  };
  const L = law.lengthMinutes;
  const { scaleUpMinutes: U, scaleDownMinutes: D } = moves;
  const hi = Math.max(...law.gaps.map((g) => g.gap));
  // The optimum, knowing G: the cheaper of staying and coming back on time, tasks from G.
  let optimum = 0;
  for (const { gap, p: weight } of law.gaps) {
    const stay = priceGap(p, { way: 'stay', ready: 0, tasksFrom: gap }, gap).cost;
    const back =
      gap - U >= L + D ? priceGap(p, { way: 'comeBack', ready: gap, tasksFrom: gap }, gap).cost : Infinity;
    optimum += weight * Math.min(stay, back);
  }
  let onLambda = 0;
  for (const { gap, p: weight } of law.gaps) {
    onLambda += weight * ((gap - L) * minute(p, 'lambda', false) + L * minute(p, 'lambda', true));
  }
  const plans: GapPlan[] = [];
  // Tasks later than the last gap allowed plus the lag are never needed ahead: the burst is seen by then.
  const lastTasks = hi + moves.lagMinutes;
  for (let tasksFrom = L; tasksFrom <= lastTasks; tasksFrom++) {
    const e = expected(p, { way: 'stay', ready: 0, tasksFrom });
    plans.push({ way: 'stay', tasksFrom, ...e });
  }
  for (let ready = L + D + U; ready <= hi; ready++) {
    for (let tasksFrom = ready; tasksFrom <= lastTasks; tasksFrom++) {
      const e = expected(p, { way: 'comeBack', ready, tasksFrom });
      plans.push({ way: 'comeBack', ready, tasksFrom, ...e });
    }
  }
  const cheapest = (candidates: GapPlan[]) =>
    candidates.reduce((a, b) => (b.cost < a.cost ? b : a), candidates[0]!);
  const best = cheapest(plans);
  // No SLO minute for any gap the law allows: the expectation is zero only if each is.
  const safe = plans.filter((plan) => plan.slo === 0);
  const sloSafe = cheapest(safe.length ? safe : plans);
  const within = sloBudget === undefined ? [] : plans.filter((plan) => plan.slo <= sloBudget);
  return {
    optimum,
    onLambda,
    best,
    sloSafe,
    ...(within.length ? { withinBudget: cheapest(within) } : {}),
    penalty: best.cost - optimum,
    sloSafePenalty: sloSafe.cost - optimum,
  };
}

/**
 * The gaps of the seeded generator's flash crowds (simulation/traffic/generate.ts): the period times a
 * uniform draw in [0.85, 1.15], rounded to a whole minute.
 */
export function generatorGaps(period: number, low = 0.85, high = 1.15): { gap: number; p: number }[] {
  const from = period * low;
  const to = period * high;
  const out: { gap: number; p: number }[] = [];
  for (let gap = Math.round(from); gap <= Math.round(to); gap++) {
    // Math.round(x) = gap for x in [gap − 0.5, gap + 0.5): its share of [from, to].
    const width = Math.min(to, gap + 0.5) - Math.max(from, gap - 0.5);
    if (width > 0) out.push({ gap, p: width / (to - from) });
  }
  return out;
}
