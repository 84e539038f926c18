/** Plain-JSON state of the cost meter (attached to the simulated account, saved with it: meter.ts). */

/** Spend in USD, split by tier: Lambda + API Gateway, and ALB + Fargate + public IPv4. */
export interface CostSplit {
  lambda: number;
  fargate: number;
  total: number;
}

export interface MinuteCost extends CostSplit {
  minute: number;
}

export interface CostState {
  total: CostSplit;
  byMinute: MinuteCost[];
}

export function zeroCost(): CostSplit {
  return { lambda: 0, fargate: 0, total: 0 };
}

export function initialCostState(): CostState {
  return { total: zeroCost(), byMinute: [] };
}
