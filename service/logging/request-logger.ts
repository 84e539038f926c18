/**
 * One line per request, and one more when a request fails on the server's side. Only these fields are
 * ever logged: no headers, no query string and no body, so a bearer token or a secret in a URL can never
 * reach the logs. The failure line holds what the caller is not told (AWS's message, an account id):
 * the caller gets the request id, which finds the line.
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

export interface RequestFailureLogEntry {
  level: 'error';
  msg: 'request failed';
  time: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  /** `<name>: <message>` of the error, then of each `cause` below it. */
  error: string;
}

export type LogEntry = RequestLogEntry | RequestFailureLogEntry;

export interface RequestLogger {
  log(entry: LogEntry): void;
}

/** Writes each entry as one JSON line, which CloudWatch Logs and most collectors parse as is. */
export class JsonLineLogger implements RequestLogger {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n')) {}

  log(entry: LogEntry): void {
    this.write(JSON.stringify(entry));
  }
}

/** For tests and benchmarks, where a line per request is noise. */
export const silentLogger: RequestLogger = { log: () => undefined };
