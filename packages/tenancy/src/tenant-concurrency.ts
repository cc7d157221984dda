// A small semaphore per tenant with a bounded queue behind it: a tenant with many requests in
// flight queues its own work instead of taking every socket of the shared pool from the other
// tenants, and past its queue's size or deadline it is refused at once (TenantBusy), so a noisy
// tenant can grow neither this process's memory nor its own callers' latency without bound.
// The bound is the tenant's plan's `inFlight`, passed per call (a plan change applies at once).
import { TenantBusy } from "./errors";

export interface AdmissionQueueOptions {
  /** Queued calls per tenant = queueFactor × its in-flight bound. */
  queueFactor: number;
  /** A queued call waits at most this long for a slot. */
  queueTimeoutMs: number;
  /** Retry-After of a refusal. */
  busyRetryAfterSeconds: number;
}

interface Waiter {
  admit(): void;
  timer: NodeJS.Timeout;
}

interface Slot {
  active: number;
  /** The bound of the latest call: a lowered bound hands no slot over until active is under it. */
  limit: number;
  queue: Waiter[];
}

export class TenantConcurrency {
  private readonly slots = new Map<string, Slot>();
  private queuedTotal = 0;
  private refusedTotal = 0;

  constructor(private readonly opts: AdmissionQueueOptions) {}

  async run<T>(tenantId: string, limit: number, fn: () => Promise<T>): Promise<T> {
    await this.enter(tenantId, limit);
    try {
      return await fn();
    } finally {
      this.exit(tenantId);
    }
  }

  stats(): { busyTenants: number; queued: number; busyRefusals: number } {
    return {
      busyTenants: this.slots.size,
      queued: this.queuedTotal,
      busyRefusals: this.refusedTotal,
    };
  }

  inFlight(tenantId: string): number {
    return this.slots.get(tenantId)?.active ?? 0;
  }

  private enter(tenantId: string, limit: number): Promise<void> | void {
    let slot = this.slots.get(tenantId);
    if (!slot) {
      slot = { active: 0, limit, queue: [] };
      this.slots.set(tenantId, slot);
    }
    slot.limit = limit;
    if (slot.active < limit) {
      slot.active++;
      return;
    }
    if (slot.queue.length >= limit * this.opts.queueFactor) {
      this.dropIfIdle(tenantId, slot);
      throw this.refuse(tenantId, `${slot.active} calls in flight and ${slot.queue.length} queued`);
    }
    const s = slot;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(waiter.timer);
          this.queuedTotal--;
          resolve();
        },
        timer: setTimeout(() => {
          const at = s.queue.indexOf(waiter);
          if (at >= 0) s.queue.splice(at, 1);
          this.queuedTotal--;
          reject(this.refuse(tenantId, `queued ${this.opts.queueTimeoutMs} ms without a slot`));
        }, this.opts.queueTimeoutMs),
      };
      s.queue.push(waiter);
      this.queuedTotal++;
    });
  }

  private exit(tenantId: string): void {
    const slot = this.slots.get(tenantId);
    if (!slot) return;
    if (slot.active <= slot.limit) {
      const next = slot.queue.shift();
      if (next) {
        next.admit(); // hand the slot over: active stays the same
        return;
      }
    }
    slot.active--;
    this.dropIfIdle(tenantId, slot);
  }

  private dropIfIdle(tenantId: string, slot: Slot): void {
    if (slot.active === 0 && slot.queue.length === 0) this.slots.delete(tenantId);
  }

  private refuse(tenantId: string, why: string): TenantBusy {
    this.refusedTotal++;
    return new TenantBusy(tenantId, why, this.opts.busyRetryAfterSeconds);
  }
}
