/**
 * The forms RegisterTaskDefinition accepts for a task's size ("1024" or "1 vCPU"; "2048" or "2 GB").
 * Which sizes Fargate runs is AWS's table, aws-facts/fargate-sizes.ts.
 */

/** CPU units from "256" or "0.25 vCPU"; undefined when unreadable. */
export function parseCpu(text: string | undefined): number | undefined {
  return parseUnits(text, /v?cpu$/i);
}

/** MiB from "512" or "0.5 GB"; undefined when unreadable. */
export function parseMemory(text: string | undefined): number | undefined {
  return parseUnits(text, /gb$/i);
}

function parseUnits(text: string | undefined, scaledSuffix: RegExp): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = String(text).trim();
  const scaled = scaledSuffix.test(trimmed);
  const value = Number(trimmed.replace(scaledSuffix, '').trim());
  if (!Number.isFinite(value) || value <= 0) return undefined;
  return scaled ? Math.round(value * 1024) : value;
}
