import { SYSTEM_RECORD_KEY } from '../../reconciler/state/system-record';

/**
 * The system record's item as the table holds it: no zones granted, an empty ledger, and `extra` (a
 * ceiling, or none: a record written before the ceilings existed). `toSystemRecord` reads it.
 */
export const systemRecordItem = (extra: Record<string, unknown> = {}) => ({
  stack: SYSTEM_RECORD_KEY,
  hostedZones: [],
  zoneNames: {},
  owned: {},
  intents: {},
  ...extra,
});
