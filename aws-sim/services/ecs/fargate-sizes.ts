/**
 * Fargate's valid task cpu/memory combinations ("Task CPU and memory", Amazon ECS developer guide), and
 * the parsing of the forms RegisterTaskDefinition accepts ("1024" or "1 vCPU"; "2048" or "2 GB").
 */
interface CpuSizes {
  cpu: number;
  minMemory: number;
  maxMemory: number;
  /** Memory steps above the minimum; 256 CPU allows exactly 512, 1024 and 2048. */
  step: number;
}

const SIZES: CpuSizes[] = [
  { cpu: 256, minMemory: 512, maxMemory: 2048, step: 512 },
  { cpu: 512, minMemory: 1024, maxMemory: 4096, step: 1024 },
  { cpu: 1024, minMemory: 2048, maxMemory: 8192, step: 1024 },
  { cpu: 2048, minMemory: 4096, maxMemory: 16384, step: 1024 },
  { cpu: 4096, minMemory: 8192, maxMemory: 30720, step: 1024 },
  { cpu: 8192, minMemory: 16384, maxMemory: 61440, step: 4096 },
  { cpu: 16384, minMemory: 32768, maxMemory: 122880, step: 8192 },
];

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

export function isValidFargateSize(cpu: number, memory: number): boolean {
  const sizes = SIZES.find((s) => s.cpu === cpu);
  if (!sizes) return false;
  if (cpu === 256) return [512, 1024, 2048].includes(memory);
  return (
    memory >= sizes.minMemory && memory <= sizes.maxMemory && (memory - sizes.minMemory) % sizes.step === 0
  );
}
