/** The slice of pino the pipeline logs through, so tests can pass a silent or capturing log. */
export interface PipelineLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLog: PipelineLog = { info: () => {}, warn: () => {}, error: () => {} };
