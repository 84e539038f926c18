/**
 * Injection tokens for the values the service gets from outside (environment, store, logger), so that
 * tests and the two entry points can each supply their own.
 */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const STATE_STORE = Symbol('STATE_STORE');
