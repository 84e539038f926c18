/** Prints a plan the way `terraform plan` does: `+` create, `~` update, `-` delete, `…` wait, `!` conflict. */
import { planSummary } from './plan';
import type { Plan, PlanStep } from './types';

const SYMBOL: Record<PlanStep['action'], string> = {
  create: '+',
  update: '~',
  delete: '-',
  wait: '…',
  conflict: '!',
};

export function formatPlan(p: Plan): string {
  const s = planSummary(p);
  const lines = [
    `Plan for stack ${p.stack}${p.targetTier ? ` (target: ${p.targetTier})` : ''}: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.wait} waiting, ${s.conflict} conflicts`,
  ];
  if (p.steps.length === 0) lines.push('  No changes. AWS matches the desired state.');
  for (const step of p.steps) {
    lines.push(`  ${SYMBOL[step.action]} ${step.key} (${step.type}): ${step.reason}`);
    for (const change of step.changes ?? []) {
      lines.push(
        `      ${change.path}: ${JSON.stringify(change.from) ?? 'unset'} → ${JSON.stringify(change.to)}`,
      );
    }
    if (step.waitsFor) lines.push(`      waits for ${step.waitsFor}`);
    if (step.dependsOn.length > 0) lines.push(`      after ${step.dependsOn.join(', ')}`);
  }
  return lines.join('\n');
}
