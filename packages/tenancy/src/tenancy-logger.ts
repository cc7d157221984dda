// The logger tenancy writes to (pino's shape, any object with these methods). A leaf module: the
// registry and the cluster clients take it without importing the config (which imports them).
export interface TenancyLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
