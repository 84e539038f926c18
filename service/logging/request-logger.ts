/**
 * One line per request. Only these fields are ever logged: no headers, no query string and no body, so a
 * bearer token or a secret in a URL can never reach the logs.
 */
export interface RequestLogEntry {
  level: 'info' | 'warn' | 'error';
  msg: 'request';
  time: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
}

export interface RequestLogger {
  log(entry: RequestLogEntry): void;
}

/** Writes each entry as one JSON line, which CloudWatch Logs and most collectors parse as is. */
export class JsonLineLogger implements RequestLogger {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n')) {}

  log(entry: RequestLogEntry): void {
    this.write(JSON.stringify(entry));
  }
}

/** For tests and benchmarks, where a line per request is noise. */
export const silentLogger: RequestLogger = { log: () => undefined };
