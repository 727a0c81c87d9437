import { pino } from "pino";

export function createLogger(options: { level: string; instanceId: string }) {
  return pino({ level: options.level, base: { instance: options.instanceId } });
}

export type AppLogger = ReturnType<typeof createLogger>;
