// A small semaphore per tenant: a tenant with many requests in flight queues its own work
// instead of taking every socket of the shared pool from the other tenants.
export class TenantConcurrency {
  private readonly slots = new Map<string, { active: number; queue: (() => void)[] }>();
  private queuedTotal = 0;

  constructor(private readonly limit: number) {}

  async run<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    await this.enter(tenantId);
    try {
      return await fn();
    } finally {
      this.exit(tenantId);
    }
  }

  stats(): { busyTenants: number; queued: number } {
    return { busyTenants: this.slots.size, queued: this.queuedTotal };
  }

  inFlight(tenantId: string): number {
    return this.slots.get(tenantId)?.active ?? 0;
  }

  private enter(tenantId: string): Promise<void> {
    let slot = this.slots.get(tenantId);
    if (!slot) {
      slot = { active: 0, queue: [] };
      this.slots.set(tenantId, slot);
    }
    if (slot.active < this.limit) {
      slot.active++;
      return Promise.resolve();
    }
    this.queuedTotal++;
    const s = slot;
    return new Promise<void>((resolve) => {
      s.queue.push(() => {
        this.queuedTotal--;
        resolve();
      });
    });
  }

  private exit(tenantId: string): void {
    const slot = this.slots.get(tenantId);
    if (!slot) return;
    const next = slot.queue.shift();
    if (next) {
      next(); // hand the slot over: active stays the same
      return;
    }
    slot.active--;
    if (slot.active === 0) this.slots.delete(tenantId);
  }
}
